"""The week optimiser against the greedy baseline, on small instances solved in seconds."""

from __future__ import annotations

import os
import random
from datetime import datetime, time, timedelta

import pytest

from corneum.planning.calendar import (
    Calendar,
    DeviceUnit,
    OverlapError,
    Practitioner,
    Resources,
    WeeklyHours,
)
from corneum.planning.optimiser import (
    SessionRequest,
    greedy_week,
    idle_minutes,
    optimise_week,
    usable_cpus,
)
from corneum.planning.requirements import Requirement
from corneum.planning.slots import Slot

MONDAY = datetime(2026, 11, 30)
HOURS = WeeklyHours({day: ((time(9), time(13)), (time(14), time(18))) for day in range(5)})


def clinic(rng: random.Random) -> Resources:
    staff = tuple(
        Practitioner(
            i, frozenset(rng.sample(["doctor", "cosmetologist"], rng.choice([1, 2]))), HOURS
        )
        for i in range(1, 5)
    )
    kinds = ["laser", "ultrasonic_device", "vacuum_device", "microdermabrasion_machine"]
    devices = tuple(DeviceUnit(20 + 10 * i, kind) for i, kind in enumerate(kinds))
    return Resources(staff, (10, 11), devices)


def waitlist(rng: random.Random, procedures: list[str], count: int) -> list[SessionRequest]:
    requests = []
    for number in range(1, count + 1):
        first = rng.randrange(0, 5)
        last = min(first + rng.randrange(0, 3), 4)
        requests.append(
            SessionRequest(
                number,
                rng.choice(procedures),
                MONDAY + timedelta(days=first, hours=9),
                MONDAY + timedelta(days=last, hours=17),
            )
        )
    return requests


def assert_valid(
    plan_calendar: Calendar, requests: list[SessionRequest], placed: dict[int, Slot]
) -> None:
    by_id = {r.id: r for r in requests}
    for request_id, slot in placed.items():
        request = by_id[request_id]
        assert request.earliest <= slot.start <= request.latest
        booking = plan_calendar.bookings[request_id]
        assert booking.start == slot.start
    # Rebooking everything on a fresh calendar proves no resource is held twice.
    fresh = Calendar(plan_calendar.resources, plan_calendar.requirements)
    fresh.extend(plan_calendar.bookings.values())


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_optimiser_places_at_least_as_many_as_greedy_and_validly(
    requirements: dict[str, Requirement], seed: int
) -> None:
    rng = random.Random(seed)
    resources = clinic(rng)
    requests = waitlist(rng, sorted(requirements), 45)
    greedy_calendar = Calendar(resources, requirements)
    greedy = greedy_week(greedy_calendar, requirements, requests)
    calendar = Calendar(resources, requirements)
    plan = optimise_week(
        calendar, requirements, requests, week_start=MONDAY, seconds=4, hint=greedy
    )
    assert plan.status in {"OPTIMAL", "FEASIBLE"}
    assert len(plan.placed) >= len(greedy.placed)
    assert len(plan.placed) + len(plan.unplaced) == len(requests)
    assert_valid(calendar, requests, plan.placed)
    assert plan.idle_minutes == idle_minutes(calendar)
    if len(plan.placed) == len(greedy.placed):
        assert plan.idle_minutes <= greedy.idle_minutes
    assert plan.gap is not None
    assert plan.gap >= 0


def test_a_session_outside_every_working_hour_is_left_unplaced(
    requirements: dict[str, Requirement],
) -> None:
    resources = clinic(random.Random(5))
    sunday = MONDAY + timedelta(days=6, hours=10)
    requests = [SessionRequest(1, "chemical_peel", sunday, sunday + timedelta(hours=4))]
    plan = optimise_week(
        Calendar(resources, requirements), requirements, requests, week_start=MONDAY, seconds=2
    )
    assert plan.placed == {}
    assert plan.unplaced == (1,)


def test_optimiser_leaves_existing_bookings_alone(requirements: dict[str, Requirement]) -> None:
    rng = random.Random(9)
    resources = clinic(rng)
    calendar = Calendar(resources, requirements)
    existing = greedy_week(calendar, requirements, waitlist(rng, ["chemical_peel"], 10))
    requests = [
        SessionRequest(100 + r.id, r.procedure_id, r.earliest, r.latest)
        for r in waitlist(rng, sorted(requirements), 20)
    ]
    plan = optimise_week(calendar, requirements, requests, week_start=MONDAY, seconds=3)
    for request_id, slot in existing.placed.items():
        assert calendar.bookings[request_id].start == slot.start
    with pytest.raises(OverlapError):
        calendar.book(next(iter(plan.placed.values())).booking(999, "chemical_peel"))


def test_the_placing_gap_is_measured_against_the_proved_bound(
    requirements: dict[str, Requirement],
) -> None:
    rng = random.Random(4)
    requests = waitlist(rng, sorted(requirements), 12)
    plan = optimise_week(
        Calendar(clinic(rng), requirements), requirements, requests, week_start=MONDAY, seconds=3
    )
    assert plan.placed_bound is not None
    assert plan.placed_bound >= len(plan.placed)
    assert plan.placing_gap == (plan.placed_bound - len(plan.placed)) / len(plan.placed)


def test_holds_loaded_straight_into_the_timelines_are_respected(
    requirements: dict[str, Requirement],
) -> None:
    # The records load a clinic's bookings as bare holds, without planning bookings.
    resources = clinic(random.Random(6))
    calendar = Calendar(resources, requirements)
    for room in resources.rooms:
        calendar.timeline(("room", room)).add(MONDAY, MONDAY + timedelta(days=1), owner=0)
    monday = SessionRequest(
        1, "chemical_peel", MONDAY + timedelta(hours=9), MONDAY + timedelta(hours=16)
    )
    tuesday = SessionRequest(
        2,
        "chemical_peel",
        MONDAY + timedelta(days=1, hours=9),
        MONDAY + timedelta(days=1, hours=16),
    )
    plan = optimise_week(calendar, requirements, [monday, tuesday], week_start=MONDAY, seconds=2)
    assert list(plan.placed) == [2]
    assert plan.placed_bound == 1


def test_the_optimiser_counts_only_the_cpus_it_may_run_on() -> None:
    if not hasattr(os, "sched_getaffinity"):
        pytest.skip("this system does not tell a process's CPU affinity")
    allowed = os.sched_getaffinity(0)
    try:
        os.sched_setaffinity(0, {min(allowed)})
        assert usable_cpus() == 1
    finally:
        os.sched_setaffinity(0, allowed)
    assert usable_cpus() == len(allowed)
