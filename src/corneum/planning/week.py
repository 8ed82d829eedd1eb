"""What the week optimiser's models share: the requests, and minutes of the week."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from corneum.planning.calendar import WeeklyHours
from corneum.planning.requirements import Requirement

DAY = 24 * 60
WEEK = 7 * DAY
OPTIMISER_STEP = 5
"""The optimiser's grid in minutes. Finer than the booking screens' 15: room spans of 35, 55
or 85 minutes on a 15-minute grid waste up to 10 minutes at each change-over, which in a
full week is several sessions."""


@dataclass(frozen=True, slots=True)
class SessionRequest:
    """One session a course needs, to start within [earliest, latest]."""

    id: int
    procedure_id: str
    earliest: datetime
    latest: datetime
    client_hours: WeeklyHours | None = None
    practitioner_id: int | None = None


def minutes_from(week_start: datetime, moment: datetime) -> int:
    return int((moment - week_start).total_seconds() // 60)


def allowed_starts(
    week_start: datetime,
    step: int,
    request: SessionRequest,
    requirement: Requirement,
    hours: WeeklyHours,
    day: int,
) -> list[int]:
    """Start minutes on ``day`` inside the request's window, ``hours`` and the client's hours,
    on the step grid, with the whole session inside both sets of hours."""
    ranges = open_ranges(week_start, hours, day)
    if request.client_hours is not None:
        ranges = intersect(ranges, open_ranges(week_start, request.client_hours, day))
    window = (
        minutes_from(week_start, request.earliest),
        minutes_from(week_start, request.latest) + requirement.minutes,
    )
    starts: list[int] = []
    for begin, end in intersect(ranges, [window]):
        first = -(-begin // step) * step
        starts.extend(range(first, end - requirement.minutes + 1, step))
    return starts


def open_ranges(week_start: datetime, hours: WeeklyHours, day: int) -> list[tuple[int, int]]:
    """The minutes (from ``week_start``) of ``day`` that ``hours`` holds open."""
    moment = week_start + timedelta(days=day)
    if moment.date() in hours.exceptions:
        return []
    base = day * DAY
    return [
        (base + minute_of(open_at), base + minute_of(close_at))
        for open_at, close_at in hours.days.get(moment.weekday(), ())
    ]


def minute_of(moment: time) -> int:
    return DAY if moment == time.max else moment.hour * 60 + moment.minute


Ranges = list[tuple[int, int]]


def intersect(left: Iterable[tuple[int, int]], right: Ranges) -> Ranges:
    return [(max(a, c), min(b, d)) for a, b in left for c, d in right if max(a, c) < min(b, d)]
