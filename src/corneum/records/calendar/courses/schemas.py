"""A course's sessions proposed onto the calendar: the request and the proposal."""

from __future__ import annotations

from pydantic import BaseModel, Field

from corneum.records.calendar.bookings.schemas import BookingRead, ConflictRead, SlotRead
from corneum.records.calendar.resources.schemas import HoursSpan
from corneum.records.fields import (
    Input,
    PlausibleDate,
    RecordId,
)


class WeeklyAvailability(Input):
    """When the client can come, in the clinic's time: spans per weekday and days they cannot."""

    spans: list[HoursSpan] = Field(max_length=100)
    unavailable: list[PlausibleDate] = Field(default_factory=list, max_length=1000)


class ScheduleRequest(Input):
    first_day: PlausibleDate | None = None
    """None: the day after the clinic's today, or the earliest the course allows after the
    sessions already booked."""
    practitioner_id: RecordId | None = None
    client_hours: WeeklyAvailability | None = None
    confirm: bool = False
    """Book the proposal (all or nothing) instead of only proposing it."""


class CourseRuleRead(BaseModel):
    sessions: int
    min_days: int
    max_days: int | None
    source: str


class ProposalRead(BaseModel):
    rule: CourseRuleRead
    sessions: list[SlotRead]
    conflicts: list[ConflictRead]
    booked: list[BookingRead]
    """The bookings made, when confirmed."""
    advice: list[str]
    """Season notes the proposed dates draw (the knowledge base's, with their source)."""
