"""The outbox: messages to send, written in the same transaction as the booking that causes
them, so a reminder exists exactly when its booking does; a worker sends them later."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from corneum.db.base import NO_ID_REUSE, Base
from corneum.db.types import utcnow


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"
    __table_args__ = (
        Index("ix_outbox_messages_pending", "sent_at", "next_attempt_at"),
        NO_ID_REUSE,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    booking_id: Mapped[int | None] = mapped_column(
        ForeignKey("bookings.id", ondelete="CASCADE"), index=True
    )
    """The booking it reminds of; erasing the client erases the booking and so the message."""
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    due_at: Mapped[datetime]
    next_attempt_at: Mapped[datetime]
    """``due_at`` at first; pushed back after each failed attempt."""
    sent_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(200))
    """The kind of the last failure (an exception's class and SMTP code), never the message."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
