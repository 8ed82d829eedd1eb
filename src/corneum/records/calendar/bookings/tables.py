"""Bookings, what each booking holds, and the history of every change.

``booking_holds`` is what keeps the calendar honest: one row per (resource, interval) a booking
holds, as :func:`corneum.planning.calendar.holds` lists them. On PostgreSQL an exclusion
constraint (migration 0003) refuses two active holds of one resource that overlap in time; on
SQLite booking writes are serialised (see ``corneum.db.engine.take_write_lock``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, column_property, mapped_column

from corneum.db.base import NO_ID_REUSE, Base, one_of
from corneum.db.types import utcnow
from corneum.records.accounts.tables import shown_name_of
from corneum.records.calendar.resources.tables import ENDS_AFTER_STARTS, ResourceKind

BookingStatus = Literal["booked", "arrived", "cancelled", "late_cancelled", "no_show", "done"]
"""``arrived``: checked in at the desk, still holding its place; ``late_cancelled`` and
``no_show``: the client's place lost too late to be offered in time, kept apart from an
ordinary cancellation for the clinic's own policy (fees, reminders)."""
HOLDING: frozenset[str] = frozenset({"booked", "arrived"})
"""Statuses of a booking that still holds its place."""
RELEASED_STATUSES: frozenset[str] = frozenset({"cancelled", "late_cancelled", "no_show"})
"""Statuses of a booking whose place was given up."""
BookingAction = Literal["create", "cancel", "reschedule", "check_in", "no_show", "late_cancel"]
CancelReason = Literal[
    "client_request",
    "client_unwell",
    "practitioner_unavailable",
    "equipment_unavailable",
    "clinical_decision",
    "other",
]
"""Why a booking was cancelled: a code, so nothing personal is kept with it."""


class Booking(Base):
    """A session of a procedure placed on the calendar for a client (of a plan, if any)."""

    __tablename__ = "bookings"
    __table_args__ = (
        one_of("status", BookingStatus),
        one_of("cancel_reason", CancelReason),
        CheckConstraint(ENDS_AFTER_STARTS, name="span"),
        Index("ix_bookings_clinic_id_starts_at", "clinic_id", "starts_at"),
        NO_ID_REUSE,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    plan_id: Mapped[int | None] = mapped_column(
        ForeignKey("treatment_plans.id", ondelete="CASCADE"), index=True
    )
    procedure_id: Mapped[str] = mapped_column(String(64))
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    practitioner_name: Mapped[str | None] = column_property(shown_name_of(practitioner_id))
    """The practitioner's full name, else her e-mail address."""
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    status: Mapped[BookingStatus] = mapped_column(String(16), default="booked")
    cautions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    """The cautions screening found for the booking's day when it was made or last moved
    (stored reasons), so reception and the runner see them before the session."""
    cancel_reason: Mapped[CancelReason | None] = mapped_column(String(32))
    """Why it was cancelled, when the canceller said (the web app's cancel form asks)."""
    version: Mapped[int] = mapped_column(default=1)
    """Raised by every change, so a caller can refuse to act on a booking it saw out of date."""
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    arrived_at: Mapped[datetime | None]
    """When the desk checked the client in."""
    arrived_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    missed_at: Mapped[datetime | None]
    """When the desk recorded the no-show or the late cancellation."""
    missed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class BookingHold(Base):
    """One interval one resource is held by a booking, cleaning buffers included."""

    __tablename__ = "booking_holds"
    __table_args__ = (
        one_of("resource_kind", ResourceKind),
        CheckConstraint(ENDS_AFTER_STARTS, name="span"),
        Index("ix_booking_holds_resource", "resource_kind", "resource_id", "starts_at"),
        NO_ID_REUSE,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(
        ForeignKey("bookings.id", ondelete="CASCADE"), index=True
    )
    resource_kind: Mapped[ResourceKind] = mapped_column(String(16))
    resource_id: Mapped[int]
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    active: Mapped[bool] = mapped_column(default=True)
    """False once the booking is cancelled: the row stays, the resource is free."""


class BookingEvent(Base):
    """The history of a booking: created, cancelled, moved; by whom, when, from when to when."""

    __tablename__ = "booking_events"
    __table_args__ = (one_of("action", BookingAction), NO_ID_REUSE)

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(
        ForeignKey("bookings.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[BookingAction] = mapped_column(String(16))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    old_starts_at: Mapped[datetime | None]
    old_ends_at: Mapped[datetime | None]
    new_starts_at: Mapped[datetime | None]
    new_ends_at: Mapped[datetime | None]
    old_practitioner_id: Mapped[int | None]
    new_practitioner_id: Mapped[int | None]
