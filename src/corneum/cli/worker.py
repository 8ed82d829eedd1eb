"""``corneum worker``: send the reminders in the outbox that are due, over SMTP.

Each message is claimed (its attempt counted) in its own transaction, sent with no transaction
open, and then marked sent or failed: a reminder is never lost, and goes out twice only when the
worker stops between the SMTP server's acceptance and that mark (see
:mod:`corneum.records.reminders.service`). An SMTP server that is down is a recorded failure with
a later retry, never an error of the command; with ``--interval`` the worker keeps going until
SIGTERM or SIGINT, then finishes the message under way and exits 0. Only counts are printed;
never an address or a text.
"""

from __future__ import annotations

import signal
import smtplib
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer

from corneum.cli.db import check_current, database_errors, load_settings, open_engine

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from corneum.config import Settings
    from corneum.records.reminders.service import Claimed, Retry

Clock = Callable[[], datetime]
Send = Callable[[EmailMessage, str], None]


def smtp_sender(settings: Settings) -> Send:
    """Send one email to exactly ``recipient``: the envelope never takes addresses from headers.
    With ``starttls`` or ``tls`` the server's certificate and name are checked, and the
    credentials (if any) are sent only after that."""

    def send(message: EmailMessage, recipient: str) -> None:
        with smtp_connection(settings) as smtp:
            if settings.smtp_username is not None:
                password = (
                    settings.smtp_password.get_secret_value() if settings.smtp_password else ""
                )
                smtp.login(settings.smtp_username, password)
            smtp.send_message(message, from_addr=settings.smtp_from, to_addrs=[recipient])

    return send


def smtp_connection(settings: Settings) -> smtplib.SMTP:
    """A connection to the SMTP server, encrypted as the settings ask."""
    host, port, timeout = settings.smtp_host, settings.smtp_port, settings.smtp_timeout_seconds
    if settings.smtp_security == "none":
        return smtplib.SMTP(host, port, timeout=timeout)
    context = ssl.create_default_context(cafile=settings.smtp_ca_file)
    if settings.smtp_security == "tls":
        return smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
    smtp = smtplib.SMTP(host, port, timeout=timeout)
    try:
        smtp.starttls(context=context)  # refuses a server that does not offer it
    except BaseException:
        smtp.close()
        raise
    return smtp


def retry_policy(settings: Settings) -> Retry:
    from corneum.records.reminders.service import Retry

    return Retry(
        first=timedelta(seconds=settings.reminder_retry_seconds),
        longest=timedelta(seconds=settings.reminder_retry_max_seconds),
        lease=timedelta(seconds=settings.reminder_lease_seconds),
    )


def run_once(
    sessions: sessionmaker[Session],
    settings: Settings,
    now: Clock,
    *,
    send: Send | None = None,
    stop: threading.Event | None = None,
) -> tuple[int, int]:
    """Send what is due now, one message at a time; (sent, failed)."""
    from corneum.records.reminders import service

    send = send or smtp_sender(settings)
    retry = retry_policy(settings)
    with sessions() as session:
        due = service.due_messages(session=session, now=now())
    sent = failed = 0
    for message_id in due:
        if stop is not None and stop.is_set():
            break
        with sessions.begin() as session:
            message = service.claim(session=session, message_id=message_id, now=now(), retry=retry)
        if message is None:
            continue
        error = attempt(message, settings, send)
        with sessions.begin() as session:
            if error is None:
                service.record_sent(session=session, message_id=message.id, now=now())
            else:
                service.record_failure(
                    session=session, message=message, error=error, now=now(), retry=retry
                )
        sent += error is None
        failed += error is not None
    return sent, failed


def attempt(message: Claimed, settings: Settings, send: Send) -> str | None:
    """Send one claimed message; None when the server took it, else the kind of failure."""
    from corneum.records.reminders import service

    try:
        mail = service.email(message, settings.smtp_from)
    except ValueError:
        return service.BAD_RECIPIENT
    try:
        send(mail, message.recipient)
    except (smtplib.SMTPException, OSError) as exc:
        return service.error_kind(exc)
    return None


@contextmanager
def stop_on_signals() -> Iterator[threading.Event]:
    """An event set by SIGTERM or SIGINT, so the loop ends between two messages."""
    stop = threading.Event()

    def handle(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def worker_command(
    once: Annotated[bool, typer.Option("--once", help="Send what is due, then exit.")] = False,
    interval: Annotated[
        float, typer.Option("--interval", min=0.1, help="Seconds between looks at the outbox.")
    ] = 30.0,
) -> None:
    """Send due reminders from the outbox over SMTP (CORNEUM_SMTP_HOST, _PORT, _FROM)."""
    from sqlalchemy.exc import OperationalError

    from corneum.db.engine import session_factory

    settings = load_settings()
    engine = open_engine(settings)
    sessions = session_factory(engine)
    clock: Clock = lambda: datetime.now(UTC)  # noqa: E731
    try:
        with database_errors():
            check_current(engine)
        with stop_on_signals() as stop:
            if once:
                with database_errors():
                    report(*run_once(sessions, settings, clock, stop=stop))
                return
            while not stop.is_set():
                try:
                    report(*run_once(sessions, settings, clock, stop=stop))
                except OperationalError as exc:
                    # The database is away for a moment (restarting, locked): look again later.
                    typer.echo(f"reminders: the database cannot be used: {type(exc.orig).__name__}")
                stop.wait(interval)
    finally:
        engine.dispose()


def report(sent: int, failed: int) -> None:
    if sent or failed:
        typer.echo(f"reminders: {sent} sent, {failed} failed (retried later)")
