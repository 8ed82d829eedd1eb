"""The clinic's wall clock: its time zone and the step slot search moves in, and what day it is
in the clinic. Every area that speaks of "today" or shows a time asks here, so the calendar, the
consent and the protocol agree on the day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from corneum.records.calendar.resources.tables import (
    DEFAULT_STEP_MINUTES,
    DEFAULT_TIMEZONE,
    CalendarSettings,
)


@dataclass(frozen=True, slots=True)
class ClinicClock:
    """The clinic's wall clock: its zone and the step slot search moves in."""

    zone: ZoneInfo
    step: int

    def local(self, moment: datetime) -> datetime:
        """``moment`` on the clinic's wall clock; one stored at the very edge of time (before
        moments were kept to 1900-2999) that the zone's offset would push past it stops there."""
        try:
            return moment.astimezone(self.zone).replace(tzinfo=None)
        except OverflowError:
            return datetime.max if moment.year == datetime.max.year else datetime.min

    def utc(self, local: datetime) -> datetime:
        """A wall-clock time as UTC; in the repeated hour of a DST change, its first instance."""
        return local.replace(tzinfo=self.zone).astimezone(UTC)


def clinic_clock(session: Session, clinic_id: int) -> ClinicClock:
    settings = session.get(CalendarSettings, clinic_id)
    zone = settings.timezone if settings else DEFAULT_TIMEZONE
    step = settings.step_minutes if settings else DEFAULT_STEP_MINUTES
    return ClinicClock(ZoneInfo(zone), step)


def clinic_day(session: Session, clinic_id: int, now: datetime) -> date:
    """The day ``now`` falls on in the clinic's time zone."""
    return clinic_clock(session, clinic_id).local(now).date()
