"""The waitlist and the week optimiser's request and plan."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field, model_validator
from pydantic_core import PydanticCustomError

from corneum.records.calendar.bookings.schemas import BookingRead, SlotRead
from corneum.records.calendar.courses.schemas import WeeklyAvailability
from corneum.records.calendar.waitlist.tables import WaitStatus
from corneum.records.fields import (
    Input,
    Output,
    PlausibleDate,
    ProcedureId,
    RecordId,
)


def _a_monday(day: date) -> date:
    if day.weekday() != 0:
        raise PydanticCustomError("monday", "must be a Monday (the week's first day)")
    return day


class WaitlistEntry(Input):
    """One session of a plan's course that should happen this week, between two days."""

    plan_id: RecordId
    earliest: PlausibleDate
    latest: PlausibleDate
    """Inclusive: the session may start on any day from ``earliest`` to ``latest``."""
    practitioner_id: RecordId | None = None
    client_hours: WeeklyAvailability | None = None

    @model_validator(mode="after")
    def _ordered(self) -> WaitlistEntry:
        if self.latest < self.earliest:
            raise ValueError("latest must not be before earliest")
        return self


class WeekRequest(Input):
    """A waitlist to place in one week: each entry a session, the same plan possibly twice."""

    week_start: Annotated[PlausibleDate, AfterValidator(_a_monday)]
    requests: list[WaitlistEntry] = Field(min_length=1, max_length=500)
    seconds: float = Field(default=5.0, gt=0, le=10)
    """The solver's time limit."""
    book: bool = False
    """Book the optimised placement (all in one transaction) instead of only proposing it."""


class PlacementRead(BaseModel):
    request: int
    """The entry's index in ``requests``."""
    plan_id: int
    slot: SlotRead


class WeekPlanRead(BaseModel):
    placed: list[PlacementRead]
    unplaced: list[int]
    """Indexes of the entries that found no place."""
    placed_bound: int | None
    """The most sessions the solver proved the week could take."""
    idle_minutes: int
    greedy_placed: int
    greedy_idle_minutes: int
    """The baseline: earliest deadline first, each at its earliest free slot."""
    status: str
    booked: list[BookingRead]


class WaitingCreate(Input):
    """A client waiting for a place: for a plan's next session, or a single visit of a
    procedure; any day from ``earliest`` to ``latest`` (inclusive)."""

    client_id: RecordId
    plan_id: RecordId | None = None
    procedure_id: ProcedureId | None = None
    earliest: PlausibleDate
    latest: PlausibleDate
    practitioner_id: RecordId | None = None
    """None: any qualified practitioner."""

    @model_validator(mode="after")
    def _complete(self) -> WaitingCreate:
        if self.latest < self.earliest:
            raise ValueError("latest must not be before earliest")
        if self.plan_id is None and self.procedure_id is None:
            raise ValueError("give plan_id or procedure_id")
        return self


class WaitingRead(Output):
    id: int
    client_id: int
    plan_id: int | None
    procedure_id: str
    earliest: date
    latest: date
    practitioner_id: int | None
    status: WaitStatus
    booking_id: int | None


class OfferRead(BaseModel):
    """A waiting client offered the place a cancelled booking freed."""

    entry: WaitingRead
    booking_id: int
    """The cancelled booking whose place is offered."""


class OfferTake(Input):
    entry_id: RecordId


class StoredWeekRequest(Input):
    """The stored waitlist's plan entries placed in one week by the optimiser."""

    week_start: Annotated[PlausibleDate, AfterValidator(_a_monday)]
    seconds: float = Field(default=5.0, gt=0, le=10)
    book: bool = False
