"""A week of bookings as the calendar page draws it: seven days by the clinic's working hours,
each booking a block placed on a grid of quarter hours, with what each of its stages holds.

Pure over its inputs: the page reads the bookings through the calendar service and passes
them in, in the clinic's wall-clock time."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from corneum.knowledge import KnowledgeBase
from corneum.web.calendar.texts import HOLDS_PRACTITIONER, WEEKDAYS

ROW_MINUTES = 15
DEFAULT_HOURS = (8, 20)
"""Shown when nobody works that week and nothing is booked."""


@dataclass(frozen=True, slots=True)
class StageView:
    name: str
    starts: str
    ends: str
    minutes: int
    holds: tuple[str, ...]
    """Labels of what the stage holds besides the room: the practitioner, device kinds."""
    waiting: bool
    """Only the room is held: nobody attends the stage and no device is used."""


@dataclass(frozen=True, slots=True)
class Placed:
    """One booking, in local time, with what the grid shows of it."""

    booking_id: int
    starts: datetime
    ends: datetime
    procedure: str
    client: str
    status: str
    stages: tuple[StageView, ...]


@dataclass(frozen=True, slots=True)
class Block:
    placed: Placed
    row: int
    """The first grid line (1-based) of the block."""
    span: int
    lane: int
    """1-based column within its day, so overlapping bookings sit side by side."""


@dataclass(frozen=True, slots=True)
class Day:
    day: date
    weekday: str
    blocks: tuple[Block, ...]
    lanes: int


@dataclass(frozen=True, slots=True)
class Week:
    monday: date
    days: tuple[Day, ...]
    hours: tuple[int, ...]
    rows: int

    @property
    def rows_per_hour(self) -> int:
        return 60 // ROW_MINUTES

    @property
    def previous(self) -> date:
        return self.monday - timedelta(days=7)

    @property
    def next(self) -> date:
        return self.monday + timedelta(days=7)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def stage_views(kb: KnowledgeBase, procedure_id: str, starts: datetime) -> tuple[StageView, ...]:
    """The procedure's stages as booked (the knowledge base's booking defaults), from
    ``starts``; a procedure without booking defaults has none to show."""
    defaults = kb.booking.get(procedure_id)
    if defaults is None:
        return ()
    scheduled = {term.code for term in kb.vocabulary.equipment if term.scheduled}
    views = []
    at = starts
    stages = kb.procedure(procedure_id).stages
    for stage, minutes in zip(stages, defaults.stage_minutes, strict=True):
        ends = at + timedelta(minutes=minutes)
        devices = tuple(kb.label(code) for code in stage.equipment if code in scheduled)
        holds = ((HOLDS_PRACTITIONER,) if stage.attended else ()) + devices
        views.append(
            StageView(stage.name, f"{at:%H:%M}", f"{ends:%H:%M}", minutes, holds, not holds)
        )
        at = ends
    return tuple(views)


def hour_range(spans: Sequence[tuple[time, time]], placed: Sequence[Placed]) -> tuple[int, int]:
    """From the earliest working hour to the latest, widened to every booking shown."""
    starts = [span[0].hour for span in spans] + [p.starts.hour for p in placed]
    ends = [_ceil_hour(span[1]) for span in spans] + [_ceil_hour(p.ends.time()) for p in placed]
    if not starts:
        return DEFAULT_HOURS
    return min(starts), min(24, max(ends))


def _ceil_hour(moment: time) -> int:
    return moment.hour + (1 if (moment.minute or moment.second) else 0) or 24


def build_week(monday: date, placed: Sequence[Placed], hours: tuple[int, int]) -> Week:
    """The grid: each day's bookings as blocks, side by side where they overlap."""
    first, last = hours
    rows = (last - first) * 60 // ROW_MINUTES
    by_day: Mapping[date, list[Placed]] = {monday + timedelta(days=n): [] for n in range(7)}
    for item in placed:
        day = item.starts.date()
        if day in by_day:
            by_day[day].append(item)
    days = []
    for day, items in by_day.items():
        blocks = _blocks(day, sorted(items, key=lambda p: (p.starts, p.booking_id)), first, rows)
        lanes = max((block.lane for block in blocks), default=1)
        days.append(Day(day, WEEKDAYS[day.weekday()], tuple(blocks), lanes))
    return Week(monday, tuple(days), tuple(range(first, last)), rows)


def _blocks(day: date, items: list[Placed], first_hour: int, rows: int) -> list[Block]:
    origin = datetime.combine(day, time(first_hour))
    lane_ends: list[datetime] = []
    blocks = []
    for item in items:
        lane = next((n for n, end in enumerate(lane_ends) if end <= item.starts), None)
        if lane is None:
            lane_ends.append(item.ends)
            lane = len(lane_ends) - 1
        else:
            lane_ends[lane] = item.ends
        top = max(0, int((item.starts - origin) / timedelta(minutes=ROW_MINUTES)))
        bottom = -(-(item.ends - origin) // timedelta(minutes=ROW_MINUTES))
        span = max(1, min(rows, bottom) - top)
        blocks.append(Block(item, min(top, rows - 1) + 1, span, lane + 1))
    return blocks
