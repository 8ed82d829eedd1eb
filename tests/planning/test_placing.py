"""The counting model: practitioners counted by Hall's condition over their qualification pools,
so its bound holds for the named-practitioner week, and is tight where people are short."""

from __future__ import annotations

from datetime import datetime, timedelta

from ortools.sat.python import cp_model

from corneum.planning.calendar import Calendar, Practitioner, Resources, WeeklyHours
from corneum.planning.optimiser import optimise_week
from corneum.planning.placing import PlacingModel, unions
from corneum.planning.requirements import Requirement
from corneum.planning.week import SessionRequest
from tests.planning.conftest import COSMETOLOGIST, DOCTOR, OFFICE

MONDAY = datetime(2026, 11, 30)
NINE = MONDAY + timedelta(hours=9)


def at_nine(number: int, procedure_id: str) -> SessionRequest:
    """A request that may only start on Monday at 09:00."""
    return SessionRequest(number, procedure_id, NINE, NINE)


def count(
    resources: Resources, requirements: dict[str, Requirement], requests: list[SessionRequest]
) -> tuple[int, float]:
    counting = PlacingModel(Calendar(resources, requirements), requirements, MONDAY, step=5)
    counting.build(requests)
    counting.model.maximize(counting.placed())
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 5
    assert solver.solve(counting.model) == cp_model.OPTIMAL
    return round(solver.objective_value), solver.best_objective_bound


def test_two_sessions_needing_the_only_doctor_at_once_count_as_one(
    resources: Resources, requirements: dict[str, Requirement]
) -> None:
    # Two rooms are free, so only counting the doctor can tell that one must wait.
    requests = [at_nine(1, "dermal_roller"), at_nine(2, "dermal_roller")]
    assert count(resources, requirements, requests) == (1, 1)


def test_a_session_either_may_do_leaves_each_their_own(
    resources: Resources, requirements: dict[str, Requirement]
) -> None:
    # A peel (doctor or cosmetologist), a roller (doctor only) and a mechanical cleansing
    # (cosmetologist only) side by side: the peel goes to whoever is free, all three fit.
    three = Resources(resources.practitioners, (10, 11, 12), resources.devices)
    requests = [
        at_nine(1, "chemical_peel"),
        at_nine(2, "dermal_roller"),
        at_nine(3, "mechanical_cleansing"),
    ]
    assert count(three, requirements, requests) == (3, 3)
    calendar = Calendar(three, requirements)
    plan = optimise_week(calendar, requirements, requests, week_start=MONDAY, seconds=3)
    assert sorted(plan.placed) == [1, 2, 3]
    assert plan.placed[2].practitioner_id == DOCTOR
    assert plan.placed[3].practitioner_id == COSMETOLOGIST
    assert plan.placed[1].practitioner_id == DOCTOR  # the cosmetologist is busy until 10:10


def test_a_day_off_counts_the_practitioner_away(
    resources: Resources, requirements: dict[str, Requirement]
) -> None:
    doctor_off = WeeklyHours(OFFICE.days, frozenset({MONDAY.date()}))
    staff = (
        Practitioner(DOCTOR, frozenset({"doctor"}), doctor_off),
        resources.practitioners[1],
    )
    away = Resources(staff, resources.rooms, resources.devices)
    monday = SessionRequest(1, "dermal_roller", NINE, NINE + timedelta(hours=6))
    tuesday = SessionRequest(2, "dermal_roller", NINE, NINE + timedelta(days=1))
    assert count(away, requirements, [monday]) == (0, 0)
    assert count(away, requirements, [monday, tuesday]) == (1, 1)


def test_unions_cover_every_combination_of_pools() -> None:
    pools = {frozenset({1}), frozenset({2}), frozenset({1, 3})}
    assert unions(pools) == {
        frozenset({1}),
        frozenset({2}),
        frozenset({1, 3}),
        frozenset({1, 2}),
        frozenset({1, 2, 3}),
    }


def test_the_bound_counts_only_requests_with_a_place_in_the_week(
    resources: Resources, requirements: dict[str, Requirement]
) -> None:
    # A request that can only start on Sunday, when nobody works, has no place at all: the
    # bound leaves it out, so placing the other proves the week's plan complete.
    sunday = MONDAY + timedelta(days=6, hours=9)
    requests = [at_nine(1, "chemical_peel"), SessionRequest(2, "chemical_peel", sunday, sunday)]
    calendar = Calendar(resources, requirements)
    plan = optimise_week(calendar, requirements, requests, week_start=MONDAY, seconds=1, workers=1)
    assert (sorted(plan.placed), plan.unplaced) == ([1], (2,))
    assert plan.placed_bound == 1
    assert plan.placing_gap == 0
