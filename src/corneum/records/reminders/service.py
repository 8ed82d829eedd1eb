"""Filling the outbox when a booking is made, and sending what is due.

A reminder says when and where, never what for: an email crosses systems the clinic does not
control, so it carries no clinical fact. Failures are recorded as the kind of error only, and
retried with a doubling delay; after ``MAX_ATTEMPTS`` a message is left for a person to look at.
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from corneum.records.reminders.tables import OutboxMessage

REMIND_BEFORE = timedelta(hours=24)
MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)

Send = Callable[[EmailMessage], None]


@dataclass(frozen=True, slots=True)
class Appointment:
    """What a reminder needs to say: no procedure, no clinical fact."""

    clinic_id: int
    clinic_name: str
    booking_id: int
    recipient: str | None
    starts_at: datetime
    local_start: datetime


def enqueue_reminder(*, session: Session, appointment: Appointment, now: datetime) -> None:
    """A reminder due 24 h before the appointment (at once if that is past); none if the client
    gave no email."""
    if appointment.recipient is None or appointment.starts_at <= now:
        return
    due = max(appointment.starts_at - REMIND_BEFORE, now)
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
    """Ids of unsent messages whose time has come; on PostgreSQL rows another worker holds are
    skipped, so several workers never send one message twice."""
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


def deliver(*, session: Session, message_id: int, now: datetime, send: Send, sender: str) -> bool:
    """Send one message if it is still due; True if sent. Locks its row so a second worker
    waits, then finds it sent."""
    message = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.sent_at.is_(None))
        .with_for_update(skip_locked=True)
    ).first()
    if message is None:
        return False
    try:
        send(_email(message, sender))
    except (smtplib.SMTPException, OSError) as exc:
        message.attempts += 1
        message.last_error = _kind(exc)
        message.next_attempt_at = now + backoff(message.attempts)
        return False
    message.attempts += 1
    message.sent_at = now
    message.last_error = None
    return True


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, ... minutes after the n-th failure, at most an hour."""
    delay: timedelta = FIRST_RETRY * (2 ** (attempts - 1))
    return min(delay, LONGEST_RETRY)


def _email(message: OutboxMessage, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = f"<reminder-{message.id}@corneum>"
    email.set_content(message.body)
    return email


def _kind(exc: Exception) -> str:
    """The error's class and SMTP code: enough to diagnose, never an address or text."""
    code = getattr(exc, "smtp_code", None)
    return f"{type(exc).__name__}{f' {code}' if code else ''}"[:200]
