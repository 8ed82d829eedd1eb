"""Placing a waitlist of course sessions into one week with CP-SAT, and the greedy placement
it must beat.

Two models, one after the other. The counting model places as many sessions as possible in
their windows with rooms, device units and practitioners only counted, and proves a bound on
how many could be placed at all. Its sessions are then given practitioners, and that plan
starts the full model, where every session has a named practitioner: it keeps the count and
shortens the idle gaps in each practitioner's day (objective ``WEIGHT * placed - idle``, the
weight larger than any week's idle minutes, so one more session always wins). Rooms and units
are given out last, in start order, which cannot fail on an empty week (interval graphs colour
greedily with as many colours as their largest overlap); against bookings already on specific
rooms it can, and such a session is reported as unplaced rather than forced.
"""

from __future__ import annotations

import math
import os
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from ortools.sat.python import cp_model

from corneum.planning.calendar import Calendar, OverlapError, holds
from corneum.planning.placing import PlacingModel
from corneum.planning.requirements import Requirement
from corneum.planning.slots import Slot, find_slots
from corneum.planning.week import DAY, OPTIMISER_STEP, SessionRequest, minutes_from
from corneum.planning.week_model import WEIGHT, Candidate, WeekModel

__all__ = ["SessionRequest", "WeekPlan", "greedy_week", "idle_minutes", "optimise_week"]


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
    def idle_bound(self) -> int | None:
        """The fewest idle minutes any plan placing as many sessions could have, as proved:
        the full model's objective is ``WEIGHT * placed - idle``."""
        if self.bound is None:
            return None
        return max(WEIGHT * len(self.placed) - math.floor(self.bound), 0)

    @property
    def gap(self) -> float | None:
        """Relative distance between the solution and the bound the solver proved."""
        if self.objective is None or self.bound is None or self.objective == 0:
            return None
        return abs(self.bound - self.objective) / abs(self.objective)


def greedy_week(
    calendar: Calendar,
    requirements: dict[str, Requirement],
    requests: Sequence[SessionRequest],
    *,
    step: int = OPTIMISER_STEP,
) -> WeekPlan:
    """The baseline: earliest deadline first, each at its earliest free slot on the same grid
    as the optimiser's. Books onto ``calendar``."""
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
            step=step,
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


def optimise_week(
    calendar: Calendar,
    requirements: dict[str, Requirement],
    requests: Sequence[SessionRequest],
    *,
    week_start: datetime,
    seconds: float = 8.0,
    workers: int | None = None,
    step: int = OPTIMISER_STEP,
    hint: WeekPlan | None = None,
    options: int = 6,
) -> WeekPlan:
    """Place ``requests`` in the week from ``week_start`` (a Monday at 00:00) and book them
    onto ``calendar``. ``hint`` (the greedy plan) gives the solver a first solution.

    First the counting model (:mod:`corneum.planning.placing`) finds how many sessions fit
    and proves a bound on it; its sessions are given practitioners, and that plan starts the
    full model (:mod:`corneum.planning.week_model`), which keeps the count and shortens the
    idle gaps, each request choosing among ``options`` practitioners (plus the plan's).
    ``workers`` defaults to one CP-SAT worker per CPU, at most eight: more workers than cores
    share them, and each then searches too little in a few seconds to improve on the hint."""
    began = time.perf_counter()
    workers = workers or min(usable_cpus(), 8)
    counted = _count(calendar, requirements, requests, week_start, step, hint, seconds, workers)
    if counted is None:
        return WeekPlan({}, tuple(r.id for r in requests), 0, "INFEASIBLE")
    start_plan, placed_bound = counted
    if hint is not None and len(hint.placed) > len(start_plan.placed):
        start_plan = hint
    hinted = {rid: slot.practitioner_id for rid, slot in start_plan.placed.items()}
    week = WeekModel(calendar, requirements, requests, week_start, step, options, hinted)
    combined = week.objective()
    _hint(week, start_plan)
    week.model.add(week.placed() >= len(start_plan.placed))
    remaining = max(seconds - (time.perf_counter() - began), 0.5)
    solver, status = _solve(week.model, combined, remaining, workers)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = [
            (solver.value(c.start), c.request, _practitioner_of(solver, c))
            for c in week.candidates
            if solver.value(c.chosen)
        ]
    else:  # the full model found nothing in its time: book the plan it was given
        chosen = _chosen_in(start_plan, requests, week_start)
    placed, notes = _assign(calendar, requirements, week_start, step, sorted(chosen, key=_by_start))
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    return WeekPlan(
        placed=placed,
        unplaced=tuple(r.id for r in requests if r.id not in placed),
        idle_minutes=idle_minutes(calendar),
        status=solver.status_name(status),
        objective=solver.objective_value if found else None,
        bound=solver.best_objective_bound if found else None,
        seconds=time.perf_counter() - began,
        notes=tuple(notes),
        placed_bound=placed_bound,
    )


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity, where the system tells), else all."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


PLACING_SHARE = 0.65
"""The part of the time limit the counting model may use; the full model gets the rest."""

Chosen = tuple[int, SessionRequest, int]
"""A placed session: its start minute, the request and the practitioner id."""


def _count(
    calendar: Calendar,
    requirements: dict[str, Requirement],
    requests: Sequence[SessionRequest],
    week_start: datetime,
    step: int,
    hint: WeekPlan | None,
    seconds: float,
    workers: int,
) -> tuple[WeekPlan, float] | None:
    """The counting model's plan, with practitioners given on a scratch copy of the calendar,
    and the bound it proved on how many sessions the week can take: the solver's, or, where
    that is weaker, the number of requests with any place at all in the week."""
    counting = PlacingModel(calendar, requirements, week_start, step)
    counting.build(requests)
    if hint is not None:
        for choice in counting.choices:
            slot = hint.placed.get(choice.request.id)
            here = slot is not None and (slot.start - week_start).days == choice.day
            counting.model.add_hint(choice.chosen, here)
            if slot is not None and here:
                counting.model.add_hint(choice.start, counting.minutes(slot.start))
    solver, status = _solve(counting.model, counting.placed(), seconds * PLACING_SHARE, workers)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    scratch = calendar.copy()
    sessions = sorted(
        ((solver.value(c.start), c.request) for c in counting.choices if solver.value(c.chosen)),
        key=lambda item: (item[0], item[1].id),
    )
    placed = _staff(scratch, requirements, week_start, step, sessions)
    unplaced = tuple(r.id for r in requests if r.id not in placed)
    plan = WeekPlan(placed, unplaced, idle_minutes(scratch), solver.status_name(status))
    placeable = len({choice.request.id for choice in counting.choices})
    return plan, min(solver.best_objective_bound, placeable)


def _staff(
    calendar: Calendar,
    requirements: dict[str, Requirement],
    week_start: datetime,
    step: int,
    sessions: Iterable[tuple[int, SessionRequest]],
) -> dict[int, Slot]:
    """Give each counted session, in start order, the least qualified practitioner free for
    it (keeping the versatile ones for what only they can do), and a room and units."""
    placed: dict[int, Slot] = {}
    for minute, request in sessions:
        requirement = requirements[request.procedure_id]
        staff = sorted(
            (
                p
                for p in calendar.resources.qualified(requirement)
                if request.practitioner_id in (None, p.id)
            ),
            key=lambda p: (len(p.qualifications), p.id),
        )
        for practitioner in staff:
            slot = _book_at(
                calendar, request, requirement, week_start, step, minute, practitioner.id
            )
            if slot is not None:
                placed[request.id] = slot
                break
    return placed


def _book_at(
    calendar: Calendar,
    request: SessionRequest,
    requirement: Requirement,
    week_start: datetime,
    step: int,
    minute: int,
    practitioner_id: int,
) -> Slot | None:
    """Book ``request`` at exactly ``minute`` with this practitioner, if a room and units are
    free throughout; None (and nothing booked) if not."""
    start = week_start + timedelta(minutes=minute)
    found = find_slots(
        calendar,
        requirement,
        start=start,
        end=start + timedelta(minutes=requirement.minutes),
        count=1,
        practitioner_id=practitioner_id,
        step=step,
    )
    if not found or found[0].start != start:
        return None
    try:
        calendar.book(found[0].booking(request.id, request.procedure_id))
    except OverlapError:
        return None
    return found[0]


def _practitioner_of(solver: cp_model.CpSolver, candidate: Candidate) -> int:
    return next(pid for pid, on in candidate.on.items() if solver.value(on))


def _chosen_in(
    plan: WeekPlan, requests: Sequence[SessionRequest], week_start: datetime
) -> list[Chosen]:
    by_id = {r.id: r for r in requests}
    return [
        (minutes_from(week_start, slot.start), by_id[rid], slot.practitioner_id)
        for rid, slot in plan.placed.items()
    ]


def _solve(
    model: cp_model.CpModel, objective: cp_model.LinearExpr, seconds: float, workers: int
) -> tuple[cp_model.CpSolver, Any]:
    model.maximize(objective)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = workers
    return solver, solver.solve(model)


def _by_start(item: Chosen) -> tuple[int, int]:
    return (item[0], item[1].id)


def _hint(week: WeekModel, plan: WeekPlan) -> None:
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
    step: int,
    chosen: Iterable[Chosen],
) -> tuple[dict[int, Slot], list[str]]:
    """Give each placed session a real room and device units, in start order."""
    placed: dict[int, Slot] = {}
    notes: list[str] = []
    for minute, request, pid in chosen:
        requirement = requirements[request.procedure_id]
        slot = _book_at(calendar, request, requirement, week_start, step, minute, pid)
        if slot is None:
            notes.append(f"request {request.id}: no single room or unit is free throughout")
            continue
        placed[request.id] = slot
    return placed, notes
