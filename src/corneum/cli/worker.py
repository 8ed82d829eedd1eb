"""``corneum worker``: send the reminders in the outbox that are due, over SMTP.

Each message is sent and marked in its own transaction, so a crash re-sends at most the one
message under way. Only counts are printed; never an address or a text.
"""

from __future__ import annotations

import smtplib
import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Annotated

import typer
from sqlalchemy.orm import Session, sessionmaker

from corneum.config import Settings, get_settings
from corneum.db.engine import make_engine, session_factory
from corneum.records.reminders import service

SMTP_TIMEOUT_SECONDS = 30


def smtp_sender(settings: Settings) -> Callable[[EmailMessage], None]:
    def send(message: EmailMessage) -> None:
        with smtplib.SMTP(
            settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_SECONDS
        ) as smtp:
            smtp.send_message(message)

    return send


def run_once(
    sessions: sessionmaker[Session], settings: Settings, now: Callable[[], datetime]
) -> tuple[int, int]:
    """Send what is due now; (sent, failed)."""
    send = smtp_sender(settings)
    with sessions() as session:
        due = service.due_messages(session=session, now=now())
    sent = 0
    for message_id in due:
        with sessions() as session, session.begin():
            delivered = service.deliver(
                session=session,
                message_id=message_id,
                now=now(),
                send=send,
                sender=settings.smtp_from,
            )
        sent += delivered
    return sent, len(due) - sent


def worker_command(
    once: Annotated[bool, typer.Option("--once", help="Send what is due, then exit.")] = False,
    interval: Annotated[
        float, typer.Option("--interval", min=0.1, help="Seconds between looks at the outbox.")
    ] = 30.0,
) -> None:
    """Send due reminders from the outbox over SMTP (CORNEUM_SMTP_HOST, _PORT, _FROM)."""
    settings = get_settings()
    engine = make_engine(settings.database_url)
    sessions = session_factory(engine)
    try:
        while True:
            sent, failed = run_once(sessions, settings, lambda: datetime.now(UTC))
            if sent or failed:
                typer.echo(f"reminders: {sent} sent, {failed} failed (retried later)")
            if once:
                return
            time.sleep(interval)
    finally:
        engine.dispose()
