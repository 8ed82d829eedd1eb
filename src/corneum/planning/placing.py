"""How many of a week's session requests can be placed: a smaller CP-SAT model that counts
resources instead of naming them.

Rooms and device units are counted as in the full model. Practitioners are counted too: for
every union ``U`` of the requests' pools of qualified practitioners, the sessions that only
people in ``U`` may do cannot at any moment outnumber the people of ``U`` at work and free
(Hall's condition for giving each running session its own practitioner). Every solution of the
full model is a solution of this one, so the bound it proves is a bound on the week; and with
no practitioner choices it is small enough to solve and to prove well within seconds. Its
sessions are then given practitioners, rooms and units by the caller.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import combinations

from ortools.sat.python import cp_model

from corneum.planning.calendar import Calendar, Practitioner
from corneum.planning.requirements import Requirement
from corneum.planning.week import (
    DAY,
    WEEK,
    SessionRequest,
    allowed_starts,
    minutes_from,
    open_ranges,
)

MAX_POOLS_FOR_UNIONS = 6
"""With more distinct pools than this, only each pool and all of them together are counted
(still a relaxation, just a looser one)."""


@dataclass
class Choice:
    """A request on one day of the week."""

    request: SessionRequest
    day: int
    start: cp_model.IntVar
    chosen: cp_model.IntVar
    first: int
    last: int
    """The earliest and latest start minute it may take."""


@dataclass
class PlacingModel:
    """The counting model of one week; minutes from ``week_start``."""

    calendar: Calendar
    requirements: dict[str, Requirement]
    week_start: datetime
    step: int
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    choices: list[Choice] = field(default_factory=list)
    pools: dict[int, frozenset[int]] = field(default_factory=dict)
    """Request id -> the practitioners who may do it."""

    def minutes(self, moment: datetime) -> int:
        return minutes_from(self.week_start, moment)

    def build(self, requests: Sequence[SessionRequest]) -> None:
        for request in requests:
            self._add(request)
        self._count_rooms_and_devices()
        self._count_practitioners()

    def placed(self) -> cp_model.LinearExpr:
        return cp_model.LinearExpr.sum([c.chosen for c in self.choices])

    def _add(self, request: SessionRequest) -> None:
        requirement = self.requirements[request.procedure_id]
        staff = [
            p
            for p in self.calendar.resources.qualified(requirement)
            if request.practitioner_id in (None, p.id)
        ]
        self.pools[request.id] = frozenset(p.id for p in staff)
        options = []
        for day in range(7):
            starts = sorted(
                {
                    s
                    for p in staff
                    for s in allowed_starts(
                        self.week_start, self.step, request, requirement, p.hours, day
                    )
                }
            )
            if not starts:
                continue
            name = f"r{request.id}d{day}"
            domain = cp_model.Domain.from_values(starts)
            start = self.model.new_int_var_from_domain(domain, f"{name}s")
            chosen = self.model.new_bool_var(f"{name}c")
            self.choices.append(Choice(request, day, start, chosen, starts[0], starts[-1]))
            options.append(chosen)
        if options:
            self.model.add_at_most_one(options)

    def _interval(self, choice: Choice, offset: int, size: int, name: str) -> cp_model.IntervalVar:
        return self.model.new_optional_fixed_size_interval_var(
            choice.start + offset, size, choice.chosen, name
        )

    def _fixed(self, start: int, end: int) -> cp_model.IntervalVar:
        begin, finish = max(start, -DAY), min(end, WEEK + DAY)
        return self.model.new_fixed_size_interval_var(begin, max(finish - begin, 0), "fixed")

    def _count_rooms_and_devices(self) -> None:
        rooms: list[cp_model.IntervalVar] = []
        devices: dict[str, list[cp_model.IntervalVar]] = defaultdict(list)
        for choice in self.choices:
            requirement = self.requirements[choice.request.procedure_id]
            rooms.append(self._interval(choice, 0, requirement.room_span[1], "room"))
            for kind, spans in requirement.device_spans:
                for begin, end in spans:
                    size = end - begin + requirement.device_cleaning
                    devices[kind].append(self._interval(choice, begin, size, kind))
        unit_kinds = {unit.id: unit.kind for unit in self.calendar.resources.devices}
        for (kind, resource_id), (start, end) in self._existing_holds():
            if kind == "room":
                rooms.append(self._fixed(start, end))
            elif kind == "device":
                devices[unit_kinds[resource_id]].append(self._fixed(start, end))
        for unit in self.calendar.resources.devices:
            for start_at, end_at in unit.maintenance:
                devices[unit.kind].append(self._fixed(self.minutes(start_at), self.minutes(end_at)))
        self.model.add_cumulative(rooms, [1] * len(rooms), len(self.calendar.resources.rooms))
        for kind, intervals in devices.items():
            units = len(self.calendar.resources.units(kind))
            self.model.add_cumulative(intervals, [1] * len(intervals), units)

    def _existing_holds(self) -> list[tuple[tuple[str, int], tuple[int, int]]]:
        week_end = self.week_start + timedelta(days=7)
        return [
            (key, (self.minutes(start), self.minutes(end)))
            for key, (start, end) in self.calendar.held()
            if end > self.week_start and start < week_end
        ]

    def _count_practitioners(self) -> None:
        """Hall's condition over every union of pools: the sessions only ``U`` may do, plus
        the time each person of ``U`` is away or already busy, never exceed ``len(U)``."""
        away = self._away()
        for union in unions(set(self.pools.values())):
            intervals: list[cp_model.IntervalVar] = []
            demands: list[int] = []
            for choice in self.choices:
                if not self.pools[choice.request.id] <= union:
                    continue
                for begin, end in self.requirements[choice.request.procedure_id].practitioner_spans:
                    intervals.append(self._interval(choice, begin, end - begin, "work"))
                    demands.append(1)
            if not intervals:
                continue
            held = Counter(span for pid in union for span in away[pid])
            for (start, end), count in held.items():
                intervals.append(self._fixed(start, end))
                demands.append(count)
            self.model.add_cumulative(intervals, demands, len(union))

    def _away(self) -> dict[int, list[tuple[int, int]]]:
        """Per practitioner, the week's minutes outside their hours or already booked."""
        away: dict[int, list[tuple[int, int]]] = {}
        for practitioner in self.calendar.resources.practitioners:
            away[practitioner.id] = self._off_hours(practitioner)
        for (kind, resource_id), span in self._existing_holds():
            if kind == "practitioner" and resource_id in away:
                away[resource_id].append(span)
        return away

    def _off_hours(self, practitioner: Practitioner) -> list[tuple[int, int]]:
        off = []
        for day in range(7):
            free_from = day * DAY
            for begin, end in open_ranges(self.week_start, practitioner.hours, day):
                if begin > free_from:
                    off.append((free_from, begin))
                free_from = end
            if free_from < (day + 1) * DAY:
                off.append((free_from, (day + 1) * DAY))
        return off


def unions(pools: set[frozenset[int]]) -> set[frozenset[int]]:
    """Every union of the given pools (each pool alone included); with many pools, each pool
    and all of them together."""
    listed = sorted(pools, key=sorted)
    if len(listed) > MAX_POOLS_FOR_UNIONS:
        return set(listed) | {frozenset().union(*listed)}
    found: set[frozenset[int]] = set()
    for size in range(1, len(listed) + 1):
        for group in combinations(listed, size):
            found.add(frozenset().union(*group))
    return found
