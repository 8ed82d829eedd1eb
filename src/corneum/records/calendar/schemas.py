"""The calendar as the API and the CLI take and give it.

Moments are given with their time zone and answered in UTC; slots and proposals also carry the
clinic's wall-clock time (``local_start``), the time a receptionist says on the phone.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, Field, model_validator
from pydantic_core import PydanticCustomError

from corneum.knowledge import default_knowledge_base
from corneum.records.calendar.tables import BookingAction, BookingStatus
from corneum.records.fields import (
    Input,
    Moment,
    Name,
    Note,
    Output,
    PlausibleDate,
    ProcedureId,
    RecordId,
)
from corneum.records.sessions.schemas import CautionRead


def _scheduled_device(kind: str) -> str:
    allowed = [t.code for t in default_knowledge_base().vocabulary.equipment if t.scheduled]
    if kind not in allowed:
        raise PydanticCustomError(
            "unknown_code",
            "unknown device kind '{kind}'; allowed: {allowed}",
            {"kind": kind, "allowed": ", ".join(allowed)},
        )
    return kind


DeviceKind = Annotated[str, AfterValidator(_scheduled_device)]
Weekday = Annotated[int, Field(ge=0, le=6, description="Monday = 0")]


def _zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise PydanticCustomError(
            "unknown_timezone", "unknown time zone '{name}'", {"name": name}
        ) from None
    return name


TimeZoneName = Annotated[str, AfterValidator(_zone)]


class CalendarSettingsWrite(Input):
    timezone: TimeZoneName
    step_minutes: Annotated[int, Field(ge=1, le=240)] = 15


class CalendarSettingsRead(Output):
    timezone: str
    step_minutes: int


class RoomCreate(Input):
    name: Name


class RoomUpdate(Input):
    name: Name | None = None
    active: bool | None = None


class RoomRead(Output):
    id: int
    name: str
    active: bool


class DeviceCreate(Input):
    kind: DeviceKind
    name: Name


class DeviceUpdate(Input):
    name: Name | None = None
    active: bool | None = None


class DeviceRead(Output):
    id: int
    kind: str
    name: str
    active: bool


class MaintenanceCreate(Input):
    starts_at: Moment
    ends_at: Moment
    note: Note | None = None

    @model_validator(mode="after")
    def _ordered(self) -> MaintenanceCreate:
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        return self


class MaintenanceRead(Output):
    id: int
    device_id: int
    starts_at: datetime
    ends_at: datetime
    note: str | None


def _wall_clock(value: time) -> time:
    if value.tzinfo is not None:
        raise PydanticCustomError(
            "time_offset",
            "give the time without a UTC offset: working hours are in the clinic's time zone",
        )
    return value


WallTime = Annotated[time, AfterValidator(_wall_clock)]
"""A time of day on the clinic's clock (``08:00``); one with an offset is refused."""


class HoursSpan(BaseModel):
    weekday: Weekday
    starts: WallTime
    ends: WallTime

    @model_validator(mode="after")
    def _ordered(self) -> HoursSpan:
        if self.ends <= self.starts:
            raise ValueError("ends must be after starts")
        return self


class HoursWrite(Input):
    """A practitioner's whole weekly pattern (in the clinic's time) and days off; replaces the
    stored one."""

    spans: list[HoursSpan] = Field(max_length=100)
    days_off: list[PlausibleDate] = Field(default_factory=list, max_length=1000)


class HoursRead(BaseModel):
    practitioner_id: int
    spans: list[HoursSpan]
    days_off: list[date]


class SlotRead(BaseModel):
    start: datetime
    end: datetime
    local_start: str
    """The clinic's wall-clock time, without a zone (``2026-11-30T10:00:00``): a string, as
    OpenAPI's ``date-time`` must carry an offset."""
    practitioner_id: int
    room_id: int
    device_ids: dict[str, int]


class BookingCreate(Input):
    """A plan's session (the procedure is the plan's) or a single visit of a client."""

    plan_id: RecordId | None = None
    client_id: RecordId | None = None
    procedure_id: ProcedureId | None = None
    start: Moment
    practitioner_id: RecordId | None = None
    """None: the first qualified practitioner free then."""
    room_id: RecordId | None = None
    """None: the first room free then."""

    @model_validator(mode="after")
    def _whose(self) -> BookingCreate:
        if (self.plan_id is None) == (self.client_id is None):
            raise ValueError("give either plan_id or client_id")
        if self.client_id is not None and self.procedure_id is None:
            raise ValueError("procedure_id is needed with client_id")
        return self


class RescheduleRequest(Input):
    start: Moment
    practitioner_id: RecordId | None = None
    """None: keep the practitioner."""
    room_id: RecordId | None = None
    version: Annotated[int, Field(ge=1)] | None = None
    """The version the caller saw; an older one is refused (409) rather than overwritten."""
    check_only: bool = False
    """Only say what would conflict; move nothing."""


class CancelRequest(Input):
    version: Annotated[int, Field(ge=1)] | None = None


class BookingRead(Output):
    id: int
    client_id: int
    plan_id: int | None
    procedure_id: str
    practitioner_id: int
    room_id: int
    device_ids: dict[str, int]
    start: datetime
    end: datetime
    status: BookingStatus
    version: int
    cautions: list[CautionRead] = Field(default_factory=list)
    """The cautions screening found for its day when it was booked or last moved."""


class BookingEventRead(Output):
    action: BookingAction
    actor_id: int | None
    at: datetime
    old_starts_at: datetime | None
    new_starts_at: datetime | None
    old_practitioner_id: int | None
    new_practitioner_id: int | None


class BookingDetailRead(BookingRead):
    history: list[BookingEventRead]
    flagged: list[CautionRead] = Field(default_factory=list)
    """Contraindications screening finds now for the booking's day, from the record as it
    stands (a condition or a medication recorded since it was made): the session cannot start
    until someone moves or cancels the booking, or the record changes."""


class ConflictRead(BaseModel):
    session: int
    """1-based number of the session in the course."""
    message: str


class CheckRead(BaseModel):
    conflicts: list[ConflictRead]


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


class FeedLinkRead(BaseModel):
    """A secret feed address, shown once, when issued: only its hash is kept."""

    url: str = Field(description="The address a calendar app subscribes to (no sign-in needed)")
    issued_at: datetime
