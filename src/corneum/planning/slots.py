"""Slot search: the earliest places a session fits, skipping straight past whatever is in the
way rather than stepping through every quarter hour."""

from __future__ import annotations

import heapq
import itertools
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from corneum.planning.calendar import (
    Booking,
    Calendar,
    Interval,
    Practitioner,
    WeeklyHours,
    at,
)
from corneum.planning.requirements import Requirement

DEFAULT_STEP = 15
Place = tuple[int, tuple[tuple[str, int], ...]]
"""A room and the device units, by kind."""
Shared = dict[datetime, tuple[Place | None, datetime | None]]


@dataclass(frozen=True, slots=True)
class Search:
    """What every practitioner's scan in one day of a search shares."""

    step: int
    client_hours: WeeklyHours | None
    shared: Shared
    """Room and device answers by moment: they do not depend on the practitioner."""
    room_windows: list[Interval]
    """When some room is free for the whole session (see ``_room_windows``)."""


@dataclass(frozen=True, slots=True)
class Slot:
    start: datetime
    practitioner_id: int
    room_id: int
    device_ids: tuple[tuple[str, int], ...]

    def booking(self, booking_id: int, procedure_id: str) -> Booking:
        return Booking(
            booking_id,
            procedure_id,
            self.start,
            self.practitioner_id,
            self.room_id,
            self.device_ids,
        )


def align(moment: datetime, step: int) -> datetime:
    """Round up to the next multiple of ``step`` minutes past midnight."""
    midnight = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    minutes = -(-(moment - midnight) // timedelta(minutes=step))
    return midnight + timedelta(minutes=minutes * step)


def find_slots(
    calendar: Calendar,
    requirement: Requirement,
    *,
    start: datetime,
    end: datetime,
    count: int = 5,
    practitioner_id: int | None = None,
    client_hours: WeeklyHours | None = None,
    step: int = DEFAULT_STEP,
) -> list[Slot]:
    """The earliest ``count`` options starting in [start, end) and ending by ``end``, by time
    then practitioner id. Searched a day at a time, so a busy week further on costs nothing
    once today has enough options."""
    practitioners = [
        p
        for p in calendar.resources.qualified(requirement)
        if practitioner_id is None or p.id == practitioner_id
    ]
    shared: Shared = {}
    found: list[Slot] = []
    day_start = start
    while day_start < end and len(found) < count:
        midnight = day_start.replace(hour=0, minute=0, second=0, microsecond=0)
        day_end = min(midnight + timedelta(days=1), end)
        windows = _room_windows(calendar, requirement, day_start, day_end)
        streams = [
            _options(
                calendar,
                requirement,
                p,
                (day_start, day_end, end),
                Search(step, client_hours, shared, windows),
            )
            for p in practitioners
        ]
        merged = heapq.merge(*streams, key=lambda slot: (slot.start, slot.practitioner_id))
        found.extend(itertools.islice(merged, count - len(found)))
        day_start = day_end
    return found


def _room_windows(
    calendar: Calendar, requirement: Requirement, start: datetime, end: datetime
) -> list[Interval]:
    """The stretches of start times in [start, end) at which some room is free for the whole
    session and its cleaning, merged and in order. Practitioners are then tried only there: on a
    busy day this skips most of the day at once."""
    needed = timedelta(minutes=requirement.room_span[1])
    starts: list[Interval] = []
    for room in calendar.resources.rooms:
        for free_from, free_until in calendar.timeline(("room", room)).gaps(start, end + needed):
            last = min(free_until - needed, end)
            if last >= free_from:
                starts.append((free_from, last))
    merged: list[Interval] = []
    for first, last in sorted(starts):
        if merged and first <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(last, merged[-1][1]))
        else:
            merged.append((first, last))
    return merged


def _next_in(windows: list[Interval], moment: datetime, step: int) -> datetime | None:
    """The first grid moment at or after ``moment`` inside a window, or None."""
    index = bisect_right(windows, moment, key=lambda window: window[0]) - 1
    for first, last in windows[max(index, 0) :]:
        candidate = align(max(moment, first), step)
        if candidate <= last:
            return candidate
    return None


def _options(
    calendar: Calendar,
    requirement: Requirement,
    practitioner: Practitioner,
    window: tuple[datetime, datetime, datetime],
    search: Search,
) -> Iterator[Slot]:
    """Options for one practitioner starting in [window[0], window[1]), ending by window[2]."""
    start, stop, end = window
    length = timedelta(minutes=requirement.minutes)
    moment = _next_in(search.room_windows, start, search.step)
    while moment is not None and moment < stop and moment + length <= end:
        found, retry = _fit(
            calendar, requirement, practitioner, moment, search.client_hours, search.shared
        )
        if found is not None:
            yield found
            retry = moment + timedelta(minutes=search.step)
        if retry is None:
            return
        moment = _next_in(search.room_windows, retry, search.step)


def _fit(
    calendar: Calendar,
    requirement: Requirement,
    practitioner: Practitioner,
    moment: datetime,
    client_hours: WeeklyHours | None,
    shared: Shared,
) -> tuple[Slot | None, datetime | None]:
    """A slot at ``moment``, or None and the earliest moment worth trying next. The room and
    devices do not depend on the practitioner, so one search shares them in ``shared``."""
    finish = moment + timedelta(minutes=requirement.minutes)
    for hours in (practitioner.hours, client_hours):
        if hours is not None and hours.span_containing(moment, finish) is None:
            return None, hours.next_opening(moment + timedelta(minutes=1), requirement.minutes)
    timeline = calendar.timeline(("practitioner", practitioner.id))
    for span in requirement.practitioner_spans:
        blocked = timeline.blocker(*at(moment, span))
        if blocked is not None:
            return None, blocked - timedelta(minutes=span[0])
    if moment not in shared:
        shared[moment] = _room_and_devices(calendar, requirement, moment)
    place, retry = shared[moment]
    if place is None:
        return None, retry
    return Slot(moment, practitioner.id, place[0], place[1]), None


def _room_and_devices(
    calendar: Calendar, requirement: Requirement, moment: datetime
) -> tuple[Place | None, datetime | None]:
    room, retry = _free_room(calendar, requirement, moment)
    if room is None:
        return None, retry
    devices: list[tuple[str, int]] = []
    for kind, spans in requirement.device_spans:
        unit, retry = _free_unit(calendar, requirement, kind, spans, moment)
        if unit is None:
            return None, retry
        devices.append((kind, unit))
    return (room, tuple(devices)), None


def _free_room(
    calendar: Calendar, requirement: Requirement, moment: datetime
) -> tuple[int | None, datetime | None]:
    interval = at(moment, requirement.room_span)
    earliest: datetime | None = None
    for room in calendar.resources.rooms:
        blocked = calendar.timeline(("room", room)).blocker(*interval)
        if blocked is None:
            return room, None
        earliest = blocked if earliest is None else min(earliest, blocked)
    return None, earliest


def _free_unit(
    calendar: Calendar,
    requirement: Requirement,
    kind: str,
    spans: tuple[tuple[int, int], ...],
    moment: datetime,
) -> tuple[int | None, datetime | None]:
    earliest: datetime | None = None
    for unit in calendar.resources.units(kind):
        retry = _unit_retry(calendar, requirement, unit.id, spans, moment)
        if retry is None:
            return unit.id, None
        earliest = retry if earliest is None else min(earliest, retry)
    return None, earliest


def _unit_retry(
    calendar: Calendar,
    requirement: Requirement,
    unit_id: int,
    spans: tuple[tuple[int, int], ...],
    moment: datetime,
) -> datetime | None:
    """None if the unit is free for every span, else the session start worth trying next."""
    timeline = calendar.timeline(("device", unit_id))
    for span in spans:
        interval = at(moment, span, requirement.device_cleaning)
        blocked = timeline.blocker(*interval) or calendar.in_maintenance(unit_id, *interval)
        if blocked is not None:
            return blocked - timedelta(minutes=span[0])
    return None
