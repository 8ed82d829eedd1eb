"""The clinic calendar: its settings, resources (working hours, rooms, device units and their
maintenance), bookings, what each booking holds, and the history of every change.

``booking_holds`` is what keeps the calendar honest: one row per (resource, interval) a booking
holds, as :func:`corneum.planning.calendar.holds` lists them. On PostgreSQL an exclusion
constraint (migration 0003) refuses two active holds of one resource that overlap in time; on
SQLite booking writes are serialised (see ``corneum.db.engine.take_write_lock``).
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, Literal

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from corneum.db.base import NO_ID_REUSE, Base, one_of
from corneum.db.types import utcnow

BookingStatus = Literal["booked", "cancelled", "done"]
ResourceKind = Literal["practitioner", "room", "device"]
BookingAction = Literal["create", "cancel", "reschedule"]

DEFAULT_TIMEZONE = "UTC"
DEFAULT_STEP_MINUTES = 15
ENDS_AFTER_STARTS = "ends_at > starts_at"


class CalendarSettings(Base):
    """A clinic's calendar settings; a clinic without a row uses the defaults."""

    __tablename__ = "calendar_settings"
    __table_args__ = (CheckConstraint("step_minutes BETWEEN 1 AND 240", name="step_minutes"),)

    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), primary_key=True)
    timezone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIMEZONE)
    """An IANA zone name: the clinic's wall clock, in which working hours are given."""
    step_minutes: Mapped[int] = mapped_column(default=DEFAULT_STEP_MINUTES)


class WorkingHours(Base):
    """One span of a practitioner's weekly pattern; a gap between spans is a break."""

    __tablename__ = "working_hours"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint("ends > starts", name="span"),
        NO_ID_REUSE,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int]
    """Monday = 0."""
    starts: Mapped[time]
    ends: Mapped[time]


class DayOff(Base):
    __tablename__ = "days_off"
    __table_args__ = (UniqueConstraint("user_id", "day"), NO_ID_REUSE)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    day: Mapped[date]


class Room(Base):
    __tablename__ = "rooms"
    __table_args__ = NO_ID_REUSE

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)


class Device(Base):
    """One unit of a scheduled kind of equipment (a code from the knowledge base)."""

    __tablename__ = "devices"
    __table_args__ = NO_ID_REUSE

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    kind: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)


class Maintenance(Base):
    __tablename__ = "device_maintenance"
    __table_args__ = (CheckConstraint(ENDS_AFTER_STARTS, name="span"), NO_ID_REUSE)

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    note: Mapped[str | None] = mapped_column(Text)


class Booking(Base):
    """A session of a procedure placed on the calendar for a client (of a plan, if any)."""

    __tablename__ = "bookings"
    __table_args__ = (
        one_of("status", BookingStatus),
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
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    status: Mapped[BookingStatus] = mapped_column(String(16), default="booked")
    cautions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    """The cautions screening found for the booking's day when it was made or last moved
    (stored reasons), so reception and the runner see them before the session."""
    version: Mapped[int] = mapped_column(default=1)
    """Raised by every change, so a caller can refuse to act on a booking it saw out of date."""
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


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


class FeedToken(Base):
    """A secret feed address of one client or one practitioner: a calendar app subscribes to it
    without a staff token. Only the SHA-256 of the secret is kept (the secret has 256 random
    bits, so a fast hash is enough); a revoked row stays, so the audit log's ids keep meaning."""

    __tablename__ = "feed_tokens"
    __table_args__ = (
        CheckConstraint("(client_id IS NULL) <> (practitioner_id IS NULL)", name="one_person"),
        NO_ID_REUSE,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    client_id: Mapped[int | None] = mapped_column(
        ForeignKey("clients.id", ondelete="CASCADE"), index=True
    )
    practitioner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
