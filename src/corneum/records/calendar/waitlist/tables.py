"""The stored waitlist: clients waiting for a place for a procedure between two days."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from corneum.db.base import NO_ID_REUSE, Base, one_of
from corneum.db.types import utcnow
from corneum.records.clients.tables import OwnedByClient

WaitStatus = Literal["waiting", "booked", "removed"]


class WaitingClient(OwnedByClient, Base):
    """A client waiting for a session of a procedure (a plan's, if given) on a day from
    ``earliest`` to ``latest``; booked or removed, the row stays as the desk's history."""

    __tablename__ = "waitlist_entries"
    __table_args__ = (
        one_of("status", WaitStatus),
        CheckConstraint("latest >= earliest", name="window"),
        Index("ix_waitlist_entries_clinic_status", "clinic_id", "status"),
        NO_ID_REUSE,
    )

    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    plan_id: Mapped[int | None] = mapped_column(
        ForeignKey("treatment_plans.id", ondelete="CASCADE"), index=True
    )
    procedure_id: Mapped[str] = mapped_column(String(64))
    earliest: Mapped[date]
    latest: Mapped[date]
    """Inclusive."""
    practitioner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    """None: any qualified practitioner."""
    status: Mapped[WaitStatus] = mapped_column(String(16), default="waiting")
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id", ondelete="SET NULL"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None]
