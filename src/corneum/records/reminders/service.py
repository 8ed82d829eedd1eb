"""Filling the outbox when a booking is made, and sending what is due.

A reminder says when and where, never what for: an email crosses systems the clinic does not
control, so it carries no clinical fact. Failures are recorded as the kind of error only, and
retried with a doubling delay up to a cap; after ``MAX_ATTEMPTS`` a message is left for a person
to look at.

Delivery is **at least once**, in three steps, each its own transaction (the caller commits each):

1. :func:`claim` counts the attempt and pushes ``next_attempt_at`` a lease ahead, in one
   conditional ``UPDATE``: only one worker wins a message, and a worker that dies from here on
   leaves it to be tried again when the lease ends (none is lost).
2. The caller sends it, holding no transaction and no lock while SMTP talks.
3. :func:`record_sent` or :func:`record_failure` writes the outcome.

A message goes out twice only if the worker (or the database) fails in the narrow window after the
SMTP server has accepted it (its ``250`` to the data) and before ``record_sent`` commits: nothing on
our side can close that window, since no SMTP server takes part in our transaction. At most once
would instead lose a reminder in the same window, and a missed appointment costs the client and
the clinic more than a second email; each message carries a fixed ``Message-ID``
(``<reminder-ID@corneum>``) by which a mail system can tell the copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from corneum.records.reminders.tables import OutboxMessage

REMIND_BEFORE = timedelta(hours=24)
MAX_ATTEMPTS = 8
UNFINISHED = "attempt unfinished"
"""``last_error`` while an attempt is under way: left there if the worker stopped mid-send."""
BAD_RECIPIENT = "InvalidRecipient"


@dataclass(frozen=True, slots=True)
class Retry:
    """When to try again: ``first`` after the first failure, doubling, never more than
    ``longest``; ``lease`` is how long a claimed message is left alone while it is sent."""

    first: timedelta = timedelta(minutes=1)
    longest: timedelta = timedelta(hours=1)
    lease: timedelta = timedelta(minutes=5)

    def after(self, attempts: int) -> timedelta:
        """1, 2, 4, ... times ``first`` after the n-th failure, at most ``longest``."""
        exponent = min(max(attempts - 1, 0), 30)
        delay: timedelta = self.first * (2**exponent)
        return min(delay, self.longest)


@dataclass(frozen=True, slots=True)
class Appointment:
    """What a reminder needs to say: no procedure, no clinical fact."""

    clinic_id: int
    clinic_name: str
    booking_id: int
    recipient: str | None
    starts_at: datetime
    local_start: datetime
    remind_before: timedelta = REMIND_BEFORE
    """The clinic's lead time; zero: the clinic sends no reminders."""


@dataclass(frozen=True, slots=True)
class Claimed:
    """A message this worker now holds for one attempt."""

    id: int
    recipient: str
    subject: str
    body: str
    attempts: int


def enqueue_reminder(*, session: Session, appointment: Appointment, now: datetime) -> None:
    """A reminder due the clinic's lead time (24 h unless it set another) before the
    appointment (at once if that is past); none if the client gave no email or the clinic sends
    no reminders."""
    if appointment.recipient is None or appointment.starts_at <= now:
        return
    if not appointment.remind_before:
        return
    due = max(appointment.starts_at - appointment.remind_before, now)
    when = f"{appointment.local_start:%A %d %B %Y at %H:%M}"
    session.add(
        OutboxMessage(
            clinic_id=appointment.clinic_id,
            booking_id=appointment.booking_id,
            recipient=appointment.recipient,
            subject=f"Your appointment at {appointment.clinic_name}",
            body=(
                f"This is a reminder of your appointment at {appointment.clinic_name} on "
                f"{when}.\r\nIf you cannot come, please let the clinic know.\r\n"
            ),
            due_at=due,
            next_attempt_at=due,
        )
    )


def withdraw_reminders(*, session: Session, booking_id: int) -> None:
    """Drop the booking's unsent reminders (it was cancelled or moved)."""
    session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.booking_id == booking_id, OutboxMessage.sent_at.is_(None)
        )
    )


def due_messages(*, session: Session, now: datetime, limit: int = 50) -> list[int]:
    """Ids of unsent messages whose time has come, oldest first (each still to be claimed)."""
    statement = (
        select(OutboxMessage.id)
        .where(
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.next_attempt_at <= now,
            OutboxMessage.attempts < MAX_ATTEMPTS,
        )
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    )
    return list(session.scalars(statement))


def claim(*, session: Session, message_id: int, now: datetime, retry: Retry) -> Claimed | None:
    """Take the message for one attempt if it is still due; None if it was sent, withdrawn or
    taken by another worker meanwhile. The attempt is counted here, before anything is sent."""
    taken = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.next_attempt_at <= now,
            OutboxMessage.attempts < MAX_ATTEMPTS,
        )
        .values(
            attempts=OutboxMessage.attempts + 1,
            next_attempt_at=now + retry.lease,
            last_error=UNFINISHED,
        )
        .execution_options(synchronize_session=False)
    )
    if getattr(taken, "rowcount", 0) != 1:
        return None
    row = session.execute(
        select(
            OutboxMessage.recipient,
            OutboxMessage.subject,
            OutboxMessage.body,
            OutboxMessage.attempts,
        ).where(OutboxMessage.id == message_id)
    ).one()
    return Claimed(message_id, row.recipient, row.subject, row.body, row.attempts)


def record_sent(*, session: Session, message_id: int, now: datetime) -> None:
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(sent_at=now, last_error=None)
        .execution_options(synchronize_session=False)
    )


def record_failure(
    *, session: Session, message: Claimed, error: str, now: datetime, retry: Retry
) -> None:
    """Note the kind of failure and when to try again; a recipient that is no single address
    is given up at once (no retry can help)."""
    values: dict[str, object] = {
        "last_error": error[:200],
        "next_attempt_at": now + retry.after(message.attempts),
    }
    if error == BAD_RECIPIENT:
        values["attempts"] = MAX_ATTEMPTS
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id, OutboxMessage.sent_at.is_(None))
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def email(message: Claimed, sender: str) -> EmailMessage:
    """The message as an email to exactly one address; ``ValueError`` if ``recipient`` is not
    one address (rows written before addresses were validated)."""
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = Address(addr_spec=message.recipient)
    mail["Subject"] = message.subject
    mail["Message-ID"] = f"<reminder-{message.id}@corneum>"
    mail.set_content(message.body)
    return mail


def error_kind(exc: BaseException) -> str:
    """The error's class and SMTP code: enough to diagnose, never an address or text."""
    code = getattr(exc, "smtp_code", None)
    return f"{type(exc).__name__}{f' {code}' if code else ''}"[:200]
