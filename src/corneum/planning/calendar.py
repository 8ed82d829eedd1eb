"""The clinic's resources and what holds them.

A :class:`Calendar` keeps, for every practitioner, room and device unit, the intervals it is
held, sorted and never overlapping, so "is it free?" is one binary search.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from corneum.phrase import N_, Phrase
from corneum.planning.requirements import Requirement, Span

Interval = tuple[datetime, datetime]
ResourceKey = tuple[str, int]
"""("practitioner" | "room" | "device", id)."""
RESOURCES = {
    "practitioner": N_("practitioner %(id)s"),
    "room": N_("room %(id)s"),
    "device": N_("device %(id)s"),
}
"""How a phrase names a resource it knows no name for: by its kind and id."""
HELD = N_("%(resource)s is held at %(time)s")
IN_MAINTENANCE = N_("%(resource)s is in maintenance at %(time)s")
ALREADY_HELD = N_("%(start)s-%(end)s is already held")


def resource_phrase(key: ResourceKey, names: Mapping[ResourceKey, str] | None = None) -> Phrase:
    """How a refusal names a resource: by its name (a person's full name, a room's), else by
    its kind and id."""
    name = (names or {}).get(key)
    if name is not None:
        return Phrase.verbatim(name)
    return Phrase(RESOURCES[key[0]], {"id": key[1]})


def minute(moment: datetime) -> str:
    """A moment as phrases give it: ``2026-11-30 10:30``."""
    return f"{moment:%Y-%m-%d %H:%M}"


@dataclass(frozen=True, slots=True)
class WeeklyHours:
    """Working (or available) spans per weekday, Monday = 0; a gap between spans is a break."""

    days: Mapping[int, tuple[tuple[time, time], ...]]
    exceptions: frozenset[date] = frozenset()
    """Days off (or days the client cannot come)."""

    def span_containing(self, start: datetime, end: datetime) -> tuple[time, time] | None:
        """The working span that holds all of [start, end), or None."""
        if start.date() != end.date() and end.time() != time(0):
            return None
        if start.date() in self.exceptions:
            return None
        finish = end.time() if end.date() == start.date() else time.max
        for open_at, close_at in self.days.get(start.weekday(), ()):
            if open_at <= start.time() and finish <= close_at:
                return (open_at, close_at)
        return None

    def next_opening(self, after: datetime, minutes: int) -> datetime | None:
        """The earliest start at or after ``after`` with ``minutes`` of working time, within
        two weeks; None if there is none."""
        for day_offset in range(15):
            day = after.date() + timedelta(days=day_offset)
            if day in self.exceptions:
                continue
            for open_at, close_at in self.days.get(day.weekday(), ()):
                start = max(datetime.combine(day, open_at), after)
                if start + timedelta(minutes=minutes) <= datetime.combine(day, close_at):
                    return start
        return None


@dataclass(frozen=True, slots=True)
class Practitioner:
    id: int
    qualifications: frozenset[str]
    hours: WeeklyHours


@dataclass(frozen=True, slots=True)
class DeviceUnit:
    id: int
    kind: str
    maintenance: tuple[Interval, ...] = ()


@dataclass(frozen=True, slots=True)
class Resources:
    practitioners: tuple[Practitioner, ...]
    rooms: tuple[int, ...]
    devices: tuple[DeviceUnit, ...]
    names: Mapping[ResourceKey, str] = field(default_factory=dict)
    """How people and things are called, for refusals; one missing is named by its id."""

    def qualified(self, requirement: Requirement) -> list[Practitioner]:
        return [p for p in self.practitioners if p.qualifications & requirement.qualifications]

    def units(self, kind: str) -> list[DeviceUnit]:
        return [d for d in self.devices if d.kind == kind]


@dataclass(frozen=True, slots=True)
class Booking:
    """A session placed on the calendar: who, where and with which device units."""

    id: int
    procedure_id: str
    start: datetime
    practitioner_id: int
    room_id: int
    device_ids: tuple[tuple[str, int], ...] = ()


def at(start: datetime, span: Span, extra: int = 0) -> Interval:
    return (start + timedelta(minutes=span[0]), start + timedelta(minutes=span[1] + extra))


def holds(booking: Booking, requirement: Requirement) -> list[tuple[ResourceKey, Interval]]:
    """Every (resource, interval) a booking holds, cleaning buffers included."""
    start = booking.start
    held: list[tuple[ResourceKey, Interval]] = [
        (("practitioner", booking.practitioner_id), at(start, span))
        for span in requirement.practitioner_spans
    ]
    held.append((("room", booking.room_id), at(start, requirement.room_span)))
    units = dict(booking.device_ids)
    for kind, spans in requirement.device_spans:
        for span in spans:
            held.append((("device", units[kind]), at(start, span, requirement.device_cleaning)))
    return held


@dataclass
class Timeline:
    """The intervals one resource is held, sorted by start and never overlapping."""

    starts: list[datetime] = field(default_factory=list)
    ends: list[datetime] = field(default_factory=list)
    owners: list[int] = field(default_factory=list)

    def blocker(self, start: datetime, end: datetime) -> datetime | None:
        """None if [start, end) is free, else the end of the interval in the way.

        Intervals never overlap, so ends are sorted like starts: the interval with the last
        start before ``end`` is the only one that can reach past ``start``."""
        index = bisect_left(self.starts, end)
        if index and self.ends[index - 1] > start:
            return self.ends[index - 1]
        return None

    def gaps(self, start: datetime, end: datetime) -> Iterator[Interval]:
        """The free stretches inside [start, end), in order."""
        index = max(bisect_left(self.starts, start) - 1, 0)
        free_from = start
        while index < len(self.starts) and self.starts[index] < end:
            if self.ends[index] > free_from:
                if self.starts[index] > free_from:
                    yield (free_from, self.starts[index])
                free_from = self.ends[index]
            index += 1
        if free_from < end:
            yield (free_from, end)

    def add(self, start: datetime, end: datetime, owner: int) -> None:
        if self.blocker(start, end) is not None:
            raise OverlapError(
                Phrase(ALREADY_HELD, {"start": minute(start), "end": f"{end:%H:%M}"})
            )
        index = bisect_left(self.starts, start)
        self.starts.insert(index, start)
        self.ends.insert(index, end)
        self.owners.insert(index, owner)

    def remove(self, owner: int) -> None:
        keep = [i for i, o in enumerate(self.owners) if o != owner]
        self.starts = [self.starts[i] for i in keep]
        self.ends = [self.ends[i] for i in keep]
        self.owners = [self.owners[i] for i in keep]


class OverlapError(ValueError):
    """A resource would be held twice at once; ``phrase`` names it."""

    def __init__(self, phrase: Phrase) -> None:
        super().__init__(phrase.text)
        self.phrase = phrase


def _at(
    template: str, key: ResourceKey, start: datetime, names: Mapping[ResourceKey, str]
) -> Phrase:
    return Phrase(template, {"resource": resource_phrase(key, names), "time": minute(start)})


class Calendar:
    """Bookings and the timelines of every resource they hold."""

    def __init__(self, resources: Resources, requirements: Mapping[str, Requirement]) -> None:
        self.resources = resources
        self.requirements = requirements
        self.bookings: dict[int, Booking] = {}
        self.timelines: dict[ResourceKey, Timeline] = {}
        self.maintenance: dict[int, list[Interval]] = {
            unit.id: sorted(unit.maintenance) for unit in resources.devices
        }

    def timeline(self, key: ResourceKey) -> Timeline:
        found = self.timelines.get(key)
        if found is None:
            found = self.timelines[key] = Timeline()
        return found

    def book(self, booking: Booking) -> None:
        """Place a booking; refuses (and changes nothing) if any resource is already held."""
        held = holds(booking, self.requirements[booking.procedure_id])
        for key, (start, end) in held:
            if self.timeline(key).blocker(start, end) is not None:
                raise OverlapError(_at(HELD, key, start, self.resources.names))
            if key[0] == "device" and self.in_maintenance(key[1], start, end):
                raise OverlapError(_at(IN_MAINTENANCE, key, start, self.resources.names))
        for key, (start, end) in held:
            self.timeline(key).add(start, end, booking.id)
        self.bookings[booking.id] = booking

    def cancel(self, booking_id: int) -> Booking:
        booking = self.bookings.pop(booking_id)
        for key, _ in holds(booking, self.requirements[booking.procedure_id]):
            self.timeline(key).remove(booking_id)
        return booking

    def in_maintenance(self, unit_id: int, start: datetime, end: datetime) -> datetime | None:
        """None if the unit is not in maintenance during [start, end), else when it ends."""
        for window_start, window_end in self.maintenance.get(unit_id, ()):
            if window_start < end and start < window_end:
                return window_end
        return None

    def copy(self) -> Calendar:
        """An independent calendar holding the same: to try placements on."""
        twin = Calendar(self.resources, self.requirements)
        twin.bookings = dict(self.bookings)
        twin.timelines = {
            key: Timeline(list(t.starts), list(t.ends), list(t.owners))
            for key, t in self.timelines.items()
        }
        return twin

    def held(self) -> Iterator[tuple[ResourceKey, Interval]]:
        """Every interval any resource is held, whether by a booking placed here or by one
        loaded from the records straight into the timelines."""
        for key, timeline in self.timelines.items():
            for start, end in zip(timeline.starts, timeline.ends, strict=True):
                yield key, (start, end)

    def extend(self, bookings: Iterable[Booking]) -> None:
        for booking in bookings:
            self.book(booking)
