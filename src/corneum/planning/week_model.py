"""The full CP-SAT model of a week: each session on a named practitioner, so each
practitioner's day and its idle gaps can be seen. Rooms and device units are counted
(cumulative constraints); they are given out after solving, in start order."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

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

WEIGHT = WEEK + 1
"""Worth more than all the idle minutes a week can hold: placing comes first."""


@dataclass
class Candidate:
    request: SessionRequest
    day: int
    start: cp_model.IntVar
    chosen: cp_model.IntVar
    earliest: int
    latest: int
    """The first and last start minute the candidate may take."""
    on: dict[int, cp_model.IntVar] = field(default_factory=dict)
    """Practitioner id -> literal: the session is on this day with this practitioner."""


class WeekModel:
    """The CP-SAT model of one week; times are minutes from ``week_start``."""

    def __init__(
        self,
        calendar: Calendar,
        requirements: dict[str, Requirement],
        requests: Sequence[SessionRequest],
        week_start: datetime,
        step: int,
        options: int,
        hinted: dict[int, int],
    ) -> None:
        self.calendar = calendar
        self.options = options
        self.hinted = hinted
        self.requirements = requirements
        self.week_start = week_start
        self.step = step
        self.model = cp_model.CpModel()
        self.candidates: list[Candidate] = []
        self.by_practitioner: dict[int, list[cp_model.IntervalVar]] = defaultdict(list)
        self.day_work: dict[tuple[int, int], list[tuple[Candidate, int]]] = defaultdict(list)
        self.rooms: list[cp_model.IntervalVar] = []
        self.devices: dict[str, list[cp_model.IntervalVar]] = defaultdict(list)
        self.day_span: dict[tuple[int, int], tuple[cp_model.IntVar, ...]] = {}
        """Per practitioner and day: the first and last minute worked and the idle minutes."""
        for request in requests:
            self._add_request(request)
        self._add_existing_bookings()
        self._add_capacities()

    def minutes(self, moment: datetime) -> int:
        return minutes_from(self.week_start, moment)

    def _add_request(self, request: SessionRequest) -> None:
        requirement = self.requirements[request.procedure_id]
        practitioners = self._shortlist(request, requirement)
        options = []
        for day in range(7):
            candidate = self._candidate(request, requirement, day, practitioners)
            if candidate is not None:
                options.append(candidate.chosen)
        if options:
            self.model.add_at_most_one(options)

    def _shortlist(self, request: SessionRequest, requirement: Requirement) -> list[Practitioner]:
        """The practitioners the model may choose from: the one asked for, else up to
        ``options`` qualified ones, rotated by request so the choices spread over the staff,
        plus the one the hint used. Fewer choices keep the model small enough to solve."""
        qualified = [
            p
            for p in self.calendar.resources.qualified(requirement)
            if request.practitioner_id in (None, p.id)
        ]
        if len(qualified) <= self.options:
            return qualified
        turn = request.id % len(qualified)
        chosen = (qualified[turn:] + qualified[:turn])[: self.options]
        hinted = self.hinted.get(request.id)
        if hinted is not None and hinted not in {p.id for p in chosen}:
            chosen.append(next(p for p in qualified if p.id == hinted))
        return chosen

    def _candidate(
        self,
        request: SessionRequest,
        requirement: Requirement,
        day: int,
        practitioners: list[Practitioner],
    ) -> Candidate | None:
        per_practitioner = {
            p.id: allowed_starts(self.week_start, self.step, request, requirement, p.hours, day)
            for p in practitioners
        }
        per_practitioner = {pid: starts for pid, starts in per_practitioner.items() if starts}
        if not per_practitioner:
            return None
        union = sorted({s for starts in per_practitioner.values() for s in starts})
        name = f"r{request.id}d{day}"
        start = self.model.new_int_var_from_domain(cp_model.Domain.from_values(union), f"{name}s")
        chosen = self.model.new_bool_var(f"{name}c")
        candidate = Candidate(request, day, start, chosen, union[0], union[-1])
        for pid, starts in per_practitioner.items():
            on = self.model.new_bool_var(f"{name}p{pid}")
            if len(starts) < len(union):
                self.model.add_linear_expression_in_domain(
                    start, cp_model.Domain.from_values(starts)
                ).only_enforce_if(on)
            candidate.on[pid] = on
            for offset, end in requirement.practitioner_spans:
                self.by_practitioner[pid].append(
                    self.model.new_optional_fixed_size_interval_var(
                        start + offset, end - offset, on, f"{name}p{pid}i{offset}"
                    )
                )
            self.day_work[(pid, day)].append((candidate, pid))
        self.model.add_exactly_one([*candidate.on.values(), ~chosen])
        self._hold_shared(candidate, requirement)
        self.candidates.append(candidate)
        return candidate

    def _hold_shared(self, candidate: Candidate, requirement: Requirement) -> None:
        name = f"r{candidate.request.id}d{candidate.day}"
        room_start, room_end = requirement.room_span
        self.rooms.append(
            self.model.new_optional_fixed_size_interval_var(
                candidate.start + room_start, room_end - room_start, candidate.chosen, f"{name}room"
            )
        )
        for kind, spans in requirement.device_spans:
            for offset, end in spans:
                size = end - offset + requirement.device_cleaning
                self.devices[kind].append(
                    self.model.new_optional_fixed_size_interval_var(
                        candidate.start + offset, size, candidate.chosen, f"{name}{kind}{offset}"
                    )
                )

    def _add_existing_bookings(self) -> None:
        unit_kinds = {unit.id: unit.kind for unit in self.calendar.resources.devices}
        week_end = self.week_start + timedelta(days=7)
        for (kind, resource_id), (start, end) in self.calendar.held():
            if end <= self.week_start or start >= week_end:
                continue
            fixed = self._fixed(start, end)
            if kind == "practitioner":
                self.by_practitioner[resource_id].append(fixed)
            elif kind == "room":
                self.rooms.append(fixed)
            else:
                self.devices[unit_kinds[resource_id]].append(fixed)
        for unit in self.calendar.resources.devices:
            for start, end in unit.maintenance:
                self.devices[unit.kind].append(self._fixed(start, end))

    def _fixed(self, start: datetime, end: datetime) -> cp_model.IntervalVar:
        begin = max(self.minutes(start), -DAY)
        finish = min(self.minutes(end), WEEK + DAY)
        return self.model.new_fixed_size_interval_var(begin, max(finish - begin, 0), "fixed")

    def _add_capacities(self) -> None:
        for intervals in self.by_practitioner.values():
            self.model.add_no_overlap(intervals)
        rooms = len(self.calendar.resources.rooms)
        self.model.add_cumulative(self.rooms, [1] * len(self.rooms), rooms)
        for kind, intervals in self.devices.items():
            units = len(self.calendar.resources.units(kind))
            self.model.add_cumulative(intervals, [1] * len(intervals), units)
        self._add_energy_cuts()

    def _add_energy_cuts(self) -> None:
        """Redundant per-day limits (room, device and practitioner minutes cannot exceed what
        the day holds). They change no solution but give the solver's linear relaxation, and
        so its proved bound, something to stand on."""
        by_day: dict[int, list[Candidate]] = defaultdict(list)
        for candidate in self.candidates:
            by_day[candidate.day].append(candidate)
        for day, candidates in by_day.items():
            self._room_cut(candidates)
            for kind in self.devices:
                self._device_cut(kind, candidates)
            for pid in {pid for c in candidates for pid in c.on}:
                self._practitioner_cut(pid, day, candidates)

    def _room_cut(self, candidates: list[Candidate]) -> None:
        lengths = [self.requirements[c.request.procedure_id].room_span[1] for c in candidates]
        begin = min(c.earliest for c in candidates)
        end = max(c.latest + n for c, n in zip(candidates, lengths, strict=True))
        rooms = len(self.calendar.resources.rooms)
        used = sum(c.chosen * n for c, n in zip(candidates, lengths, strict=True))
        self.model.add(used <= rooms * (end - begin))

    def _device_cut(self, kind: str, candidates: list[Candidate]) -> None:
        terms = []
        begin, end = WEEK, 0
        for candidate in candidates:
            requirement = self.requirements[candidate.request.procedure_id]
            for device, spans in requirement.device_spans:
                if device != kind:
                    continue
                for offset, finish in spans:
                    size = finish - offset + requirement.device_cleaning
                    terms.append(candidate.chosen * size)
                    begin = min(begin, candidate.earliest + offset)
                    end = max(end, candidate.latest + offset + size)
        if terms:
            units = len(self.calendar.resources.units(kind))
            self.model.add(sum(terms) <= units * (end - begin))

    def _practitioner_cut(self, pid: int, day: int, candidates: list[Candidate]) -> None:
        practitioner = next(p for p in self.calendar.resources.practitioners if p.id == pid)
        working = sum(
            end - begin for begin, end in open_ranges(self.week_start, practitioner.hours, day)
        )
        busy = [
            c.on[pid]
            * sum(b - a for a, b in self.requirements[c.request.procedure_id].practitioner_spans)
            for c in candidates
            if pid in c.on
        ]
        self.model.add(sum(busy) <= working)

    def placed(self) -> cp_model.LinearExpr:
        return cp_model.LinearExpr.sum([c.chosen for c in self.candidates])

    def variables(self) -> list[cp_model.IntVar]:
        """Every decision variable, for carrying one phase's solution into the next as a hint."""
        found: list[cp_model.IntVar] = []
        for candidate in self.candidates:
            found += [candidate.start, candidate.chosen, *candidate.on.values()]
        for span in self.day_span.values():
            found += list(span)
        return found

    def objective(self) -> cp_model.LinearExpr:
        """WEIGHT per placed session, minus each practitioner-day's idle minutes."""
        placed = self.placed()
        idle_terms = []
        for (pid, day), work in self.day_work.items():
            first = self.model.new_int_var(day * DAY, (day + 1) * DAY, f"p{pid}d{day}first")
            last = self.model.new_int_var(day * DAY, (day + 1) * DAY, f"p{pid}d{day}last")
            # Never negative: without this the relaxation "overlaps" sessions and the bound
            # the solver proves says nothing.
            idle = self.model.new_int_var(0, DAY, f"p{pid}d{day}idle")
            self.day_span[(pid, day)] = (first, last, idle)
            busy = []
            for candidate, _ in work:
                on = candidate.on[pid]
                spans = self.requirements[candidate.request.procedure_id].practitioner_spans
                self.model.add(first <= candidate.start + spans[0][0]).only_enforce_if(on)
                self.model.add(last >= candidate.start + spans[-1][1]).only_enforce_if(on)
                busy.append(on * sum(end - start for start, end in spans))
            self.model.add(idle == last - first - sum(busy))
            idle_terms.append(idle)
        return WEIGHT * placed - cp_model.LinearExpr.sum(idle_terms)
