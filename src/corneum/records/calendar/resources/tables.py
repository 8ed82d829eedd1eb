"""The calendar's settings and resources: working hours and days off, rooms, device units and
their maintenance."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Literal

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from corneum.db.base import NO_ID_REUSE, Base

ResourceKind = Literal["practitioner", "room", "device"]

DEFAULT_TIMEZONE = "UTC"
DEFAULT_STEP_MINUTES = 15
DEFAULT_REMINDER_HOURS = 24
ENDS_AFTER_STARTS = "ends_at > starts_at"


class CalendarSettings(Base):
    """A clinic's calendar settings; a clinic without a row uses the defaults."""

    __tablename__ = "calendar_settings"
    __table_args__ = (
        CheckConstraint("step_minutes BETWEEN 1 AND 240", name="step_minutes"),
        CheckConstraint("horizon_days BETWEEN 1 AND 3650", name="horizon_days"),
        CheckConstraint("reminder_hours BETWEEN 0 AND 168", name="reminder_hours"),
    )

    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), primary_key=True)
    timezone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIMEZONE)
    """An IANA zone name: the clinic's wall clock, in which working hours are given."""
    step_minutes: Mapped[int] = mapped_column(default=DEFAULT_STEP_MINUTES)
    address: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(40))
    horizon_days: Mapped[int | None]
    """How far ahead a booking may be made; none: no limit."""
    reminder_hours: Mapped[int] = mapped_column(
        default=DEFAULT_REMINDER_HOURS, server_default=str(DEFAULT_REMINDER_HOURS)
    )
    """How long before an appointment its reminder goes out (0: none)."""


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
