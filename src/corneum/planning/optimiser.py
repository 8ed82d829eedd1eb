"""Placing a waitlist of course sessions into one week: a CP-SAT model, and the greedy
placement it must beat.

The model places as many sessions as possible inside their windows, then shortens the idle
gaps in each practitioner's day: the objective is ``WEIGHT * placed - idle minutes`` with a
weight larger than any week's idle time, so one more session always wins. Rooms and device
units are interchangeable, so the model counts them (cumulative constraints); the solution is
then given real rooms and units in start order, which cannot fail on an empty week (interval
graphs colour greedily with as many colours as their largest overlap). Against bookings
already on specific rooms it can; such a session is reported as unplaced rather than forced.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from ortools.sat.python import cp_model

from corneum.planning.calendar import Calendar, OverlapError, Practitioner, WeeklyHours, holds
from corneum.planning.requirements import Requirement
from corneum.planning.slots import DEFAULT_STEP, Slot, find_slots

DAY = 24 * 60
WEEK = 7 * DAY
WEIGHT = WEEK + 1
"""Worth more than all the idle minutes a week can hold: placing comes first."""


@dataclass(frozen=True, slots=True)
class SessionRequest:
    """One session a course needs, to start within [earliest, latest]."""

    id: int
    procedure_id: str
    earliest: datetime
    latest: datetime
    client_hours: WeeklyHours | None = None
    practitioner_id: int | None = None


@dataclass(frozen=True, slots=True)
class WeekPlan:
    placed: dict[int, Slot]
    """Request id -> where and when it goes."""
    unplaced: tuple[int, ...]
    idle_minutes: int
    status: str
    objective: float | None = None
    bound: float | None = None
    seconds: float = 0.0
    notes: tuple[str, ...] = field(default_factory=tuple)
    placed_bound: float | None = None
    """The most sessions the solver could not rule out (its bound in the placing phase)."""

    @property
    def placing_gap(self) -> float | None:
        """How many more sessions might fit, relative to those placed, by the proved bound."""
        if self.placed_bound is None or not self.placed:
            return None
        return max(self.placed_bound - len(self.placed), 0) / len(self.placed)

    @property
    def gap(self) -> float | None:
        """Relative distance between the solution and the bound the solver proved."""
        if self.objective is None or self.bound is None or self.objective == 0:
            return None
        return abs(self.bound - self.objective) / abs(self.objective)


def greedy_week(
    calendar: Calendar, requirements: dict[str, Requirement], requests: Sequence[SessionRequest]
) -> WeekPlan:
    """The baseline: earliest deadline first, each at its earliest free slot. Books onto
    ``calendar``."""
    placed: dict[int, Slot] = {}
    for request in sorted(requests, key=lambda r: (r.latest, r.earliest, r.id)):
        found = find_slots(
            calendar,
            requirements[request.procedure_id],
            start=request.earliest,
            end=request.latest + timedelta(minutes=requirements[request.procedure_id].minutes),
            count=1,
            practitioner_id=request.practitioner_id,
            client_hours=request.client_hours,
        )
        if found:
            calendar.book(found[0].booking(request.id, request.procedure_id))
            placed[request.id] = found[0]
    unplaced = tuple(r.id for r in requests if r.id not in placed)
    return WeekPlan(placed, unplaced, idle_minutes(calendar), "greedy")


def idle_minutes(calendar: Calendar) -> int:
    """Minutes each practitioner waits between their first and last work of each day."""
    spans: dict[tuple[int, date], list[tuple[datetime, datetime]]] = defaultdict(list)
    for booking in calendar.bookings.values():
        for (kind, resource_id), interval in holds(
            booking, calendar.requirements[booking.procedure_id]
        ):
            if kind == "practitioner":
                spans[(resource_id, interval[0].date())].append(interval)
    idle = 0
    for intervals in spans.values():
        busy = sum((end - start).total_seconds() for start, end in intervals) // 60
        whole = (max(e for _, e in intervals) - min(s for s, _ in intervals)).total_seconds() // 60
        idle += int(whole - busy)
    return idle


@dataclass
class _Candidate:
    request: SessionRequest
    day: int
    start: cp_model.IntVar
    chosen: cp_model.IntVar
    earliest: int
    latest: int
    """The first and last start minute the candidate may take."""
    on: dict[int, cp_model.IntVar] = field(default_factory=dict)
    """Practitioner id -> literal: the session is on this day with this practitioner."""


class _WeekModel:
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
        self.candidates: list[_Candidate] = []
        self.by_practitioner: dict[int, list[cp_model.IntervalVar]] = defaultdict(list)
        self.day_work: dict[tuple[int, int], list[tuple[_Candidate, int]]] = defaultdict(list)
        self.rooms: list[cp_model.IntervalVar] = []
        self.devices: dict[str, list[cp_model.IntervalVar]] = defaultdict(list)
        self.day_span: dict[tuple[int, int], tuple[cp_model.IntVar, ...]] = {}
        """Per practitioner and day: the first and last minute worked and the idle minutes."""
        for request in requests:
            self._add_request(request)
        self._add_existing_bookings()
        self._add_capacities()

    def minutes(self, moment: datetime) -> int:
        return int((moment - self.week_start).total_seconds() // 60)

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
    ) -> _Candidate | None:
        per_practitioner = {
            p.id: self._allowed_starts(request, requirement, p.hours, day) for p in practitioners
        }
        per_practitioner = {pid: starts for pid, starts in per_practitioner.items() if starts}
        if not per_practitioner:
            return None
        union = sorted({s for starts in per_practitioner.values() for s in starts})
        name = f"r{request.id}d{day}"
        start = self.model.new_int_var_from_domain(cp_model.Domain.from_values(union), f"{name}s")
        chosen = self.model.new_bool_var(f"{name}c")
        candidate = _Candidate(request, day, start, chosen, union[0], union[-1])
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

    def _allowed_starts(
        self, request: SessionRequest, requirement: Requirement, hours: WeeklyHours, day: int
    ) -> list[int]:
        """Start minutes on ``day`` inside the window, the practitioner's hours and the
        client's, on the step grid, with the whole session inside both sets of hours."""
        ranges = self._open_ranges(hours, day)
        if request.client_hours is not None:
            ranges = _intersect(ranges, self._open_ranges(request.client_hours, day))
        window = (
            self.minutes(request.earliest),
            self.minutes(request.latest) + requirement.minutes,
        )
        ranges = _intersect(ranges, [window])
        starts: list[int] = []
        for begin, end in ranges:
            first = -(-begin // self.step) * self.step
            starts.extend(range(first, end - requirement.minutes + 1, self.step))
        return starts

    def _open_ranges(self, hours: WeeklyHours, day: int) -> list[tuple[int, int]]:
        moment = self.week_start + timedelta(days=day)
        if moment.date() in hours.exceptions:
            return []
        base = day * DAY
        return [
            (base + _minute_of(open_at), base + _minute_of(close_at))
            for open_at, close_at in hours.days.get(moment.weekday(), ())
        ]

    def _hold_shared(self, candidate: _Candidate, requirement: Requirement) -> None:
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
        for booking in self.calendar.bookings.values():
            for (kind, resource_id), (start, end) in holds(
                booking, self.requirements[booking.procedure_id]
            ):
                if end <= self.week_start or start >= self.week_start + timedelta(days=7):
                    continue
                fixed = self._fixed(start, end)
                if kind == "practitioner":
                    self.by_practitioner[resource_id].append(fixed)
                elif kind == "room":
                    self.rooms.append(fixed)
                else:
                    unit_kind = next(
                        u.kind for u in self.calendar.resources.devices if u.id == resource_id
                    )
                    self.devices[unit_kind].append(fixed)
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
        by_day: dict[int, list[_Candidate]] = defaultdict(list)
        for candidate in self.candidates:
            by_day[candidate.day].append(candidate)
        for day, candidates in by_day.items():
            self._room_cut(candidates)
            for kind in self.devices:
                self._device_cut(kind, candidates)
            for pid in {pid for c in candidates for pid in c.on}:
                self._practitioner_cut(pid, day, candidates)

    def _room_cut(self, candidates: list[_Candidate]) -> None:
        lengths = [self.requirements[c.request.procedure_id].room_span[1] for c in candidates]
        begin = min(c.earliest for c in candidates)
        end = max(c.latest + n for c, n in zip(candidates, lengths, strict=True))
        rooms = len(self.calendar.resources.rooms)
        used = sum(c.chosen * n for c, n in zip(candidates, lengths, strict=True))
        self.model.add(used <= rooms * (end - begin))

    def _device_cut(self, kind: str, candidates: list[_Candidate]) -> None:
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

    def _practitioner_cut(self, pid: int, day: int, candidates: list[_Candidate]) -> None:
        practitioner = next(p for p in self.calendar.resources.practitioners if p.id == pid)
        working = sum(end - begin for begin, end in self._open_ranges(practitioner.hours, day))
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


def optimise_week(
    calendar: Calendar,
    requirements: dict[str, Requirement],
    requests: Sequence[SessionRequest],
    *,
    week_start: datetime,
    seconds: float = 8.0,
    workers: int = 8,
    step: int = DEFAULT_STEP,
    hint: WeekPlan | None = None,
    options: int = 6,
) -> WeekPlan:
    """Place ``requests`` in the week from ``week_start`` (a Monday at 00:00) and book them
    onto ``calendar``. ``hint`` (the greedy plan) gives the solver a first solution; each
    request may go to at most ``options`` practitioners (plus the hint's). CP-SAT's portfolio
    needs several workers for its LP bound even on two cores: they share the time."""
    hinted = {rid: slot.practitioner_id for rid, slot in hint.placed.items()} if hint else {}
    week = _WeekModel(calendar, requirements, requests, week_start, step, options, hinted)
    combined = week.objective()
    if hint is not None:
        _hint(week, hint)
    # First as many sessions as possible, then, with that count held, the fewest idle minutes:
    # each phase gets its own share of the time, so the second cannot starve the first.
    solver, status = _solve(week, week.placed(), seconds * PLACING_SHARE, workers)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return WeekPlan({}, tuple(r.id for r in requests), 0, solver.status_name(status))
    best = round(solver.objective_value)
    placed_bound = solver.best_objective_bound
    week.model.clear_hints()  # type: ignore[no-untyped-call]
    if hint is not None and best <= len(hint.placed):
        _hint(week, hint)  # nothing more placed: shorten the gaps from the hint's plan
    else:
        for var in week.variables():
            week.model.add_hint(var, solver.value(var))
    week.model.add(week.placed() >= best)
    second, second_status = _solve(week, combined, seconds * (1 - PLACING_SHARE), workers)
    if second_status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        solver, status = second, second_status
    chosen = [
        (solver.value(c.start), c, next(pid for pid, on in c.on.items() if solver.value(on)))
        for c in week.candidates
        if solver.value(c.chosen)
    ]
    placed, notes = _assign(calendar, requirements, week_start, sorted(chosen, key=_by_start))
    return WeekPlan(
        placed=placed,
        unplaced=tuple(r.id for r in requests if r.id not in placed),
        idle_minutes=idle_minutes(calendar),
        status=solver.status_name(status),
        objective=solver.objective_value,
        bound=solver.best_objective_bound,
        seconds=solver.wall_time,
        notes=tuple(notes),
        placed_bound=placed_bound,
    )


PLACING_SHARE = 0.55
"""The part of the time limit spent placing sessions before shortening idle gaps."""


def _solve(
    week: _WeekModel, objective: cp_model.LinearExpr, seconds: float, workers: int
) -> tuple[cp_model.CpSolver, Any]:
    week.model.maximize(objective)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = workers
    return solver, solver.solve(week.model)


def _by_start(item: tuple[int, _Candidate, int]) -> tuple[int, int]:
    return (item[0], item[1].request.id)


def _hint(week: _WeekModel, plan: WeekPlan) -> None:
    """Start the search from ``plan`` (every variable hinted, so the hint is complete)."""
    work: dict[tuple[int, int], list[tuple[int, int, int]]] = defaultdict(list)
    for candidate in week.candidates:
        slot = plan.placed.get(candidate.request.id)
        here = slot is not None and (slot.start - week.week_start).days == candidate.day
        week.model.add_hint(candidate.chosen, here)
        start = week.minutes(slot.start) if slot is not None and here else None
        if start is not None and candidate.start.proto.domain:
            week.model.add_hint(candidate.start, start)
        for pid, on in candidate.on.items():
            chosen_here = slot is not None and here and pid == slot.practitioner_id
            week.model.add_hint(on, chosen_here)
            if chosen_here and start is not None:
                spans = week.requirements[candidate.request.procedure_id].practitioner_spans
                busy = sum(end - begin for begin, end in spans)
                work[(pid, candidate.day)].append((start + spans[0][0], start + spans[-1][1], busy))
    for key, (first, last, idle) in week.day_span.items():
        sessions = work.get(key, [])
        begin = min((b for b, _, _ in sessions), default=key[1] * DAY)
        end = max((e for _, e, _ in sessions), default=key[1] * DAY)
        week.model.add_hint(first, begin)
        week.model.add_hint(last, end)
        week.model.add_hint(idle, end - begin - sum(busy for _, _, busy in sessions))


def _assign(
    calendar: Calendar,
    requirements: dict[str, Requirement],
    week_start: datetime,
    chosen: Iterable[tuple[int, _Candidate, int]],
) -> tuple[dict[int, Slot], list[str]]:
    """Give each placed session a real room and device units, in start order."""
    placed: dict[int, Slot] = {}
    notes: list[str] = []
    for minute, candidate, pid in chosen:
        request = candidate.request
        start = week_start + timedelta(minutes=minute)
        found = find_slots(
            calendar,
            requirements[request.procedure_id],
            start=start,
            end=start + timedelta(minutes=requirements[request.procedure_id].minutes),
            count=1,
            practitioner_id=pid,
        )
        try:
            if not found or found[0].start != start:
                raise OverlapError("no single room or unit is free throughout")
            calendar.book(found[0].booking(request.id, request.procedure_id))
        except OverlapError as exc:
            notes.append(f"request {request.id}: {exc}")
            continue
        placed[request.id] = found[0]
    return placed, notes


def _minute_of(moment: time) -> int:
    return DAY if moment == time.max else moment.hour * 60 + moment.minute


def _intersect(left: list[tuple[int, int]], right: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return [(max(a, c), min(b, d)) for a, b in left for c, d in right if max(a, c) < min(b, d)]
