"""The calendar's settings and resources as the API and the CLI take and give them."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    Field,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from corneum.knowledge import default_knowledge_base
from corneum.records.fields import (
    Input,
    Moment,
    Name,
    Note,
    Output,
    Phone,
    PlausibleDate,
)


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


Address = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)]


class CalendarSettingsWrite(Input):
    """The clinic's settings, all at once (a field left out takes its default); ``name``
    renames the clinic, left out it keeps its name."""

    timezone: TimeZoneName
    step_minutes: Annotated[int, Field(ge=1, le=240)] = 15
    name: Name | None = None
    address: Address | None = None
    phone: Phone | None = None
    horizon_days: Annotated[int, Field(ge=1, le=3650)] | None = None
    """How far ahead a booking may be made; none: no limit."""
    reminder_hours: Annotated[int, Field(ge=0, le=168)] = 24
    """How long before an appointment its reminder goes out; 0: no reminders."""


class CalendarSettingsRead(Output):
    timezone: str
    step_minutes: int
    name: str
    address: str | None
    phone: str | None
    horizon_days: int | None
    reminder_hours: int


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


WALL_TIME_SCHEMA = {
    "type": "string",
    "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?$",
    "description": "A time of day on the clinic's clock, without a UTC offset (08:00)",
    "examples": ["08:00"],
}
WallTime = Annotated[time, AfterValidator(_wall_clock), WithJsonSchema(WALL_TIME_SCHEMA)]
"""A time of day on the clinic's clock (``08:00``); one with an offset is refused. Its schema
is not JSON Schema's ``time`` format, which is RFC 3339's and requires an offset."""


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
