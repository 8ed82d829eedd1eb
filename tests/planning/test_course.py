"""Courses: sessions at the intervals the knowledge base allows, and moving one of them."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from corneum.knowledge import KnowledgeBase, default_knowledge_base
from corneum.knowledge.model import DayRange
from corneum.planning.calendar import Calendar, Resources, WeeklyHours
from corneum.planning.course import (
    IntervalRule,
    check_intervals,
    first_session_after,
    move_session,
    propose_course,
    step_window,
)
from corneum.planning.requirements import Requirement
from corneum.planning.slots import find_slots

MONDAY = date(2026, 11, 23)


def acid_rule(kb: KnowledgeBase) -> IntervalRule:
    return IntervalRule.of(kb.procedure("atraumatic_back_cleansing").course, sessions=4)


def test_acid_cleansing_course_is_at_most_weekly(
    kb: KnowledgeBase, calendar: Calendar, requirements: dict[str, Requirement]
) -> None:
    rule = acid_rule(kb)
    assert (rule.min_days, rule.max_days, rule.source) == (7, 28, "ASDS")
    proposal = propose_course(
        calendar, requirements["atraumatic_back_cleansing"], rule, first_day=MONDAY
    )
    assert proposal.conflicts == ()
    days = [slot.start.date() for slot in proposal.slots]
    assert days == [date(2026, 11, 23), date(2026, 11, 30), date(2026, 12, 7), date(2026, 12, 14)]
    assert check_intervals([s.start for s in proposal.slots], rule) == []
    assert calendar.bookings == {}  # the proposal leaves the calendar as it was


def test_course_follows_the_clients_available_times(
    kb: KnowledgeBase, calendar: Calendar, requirements: dict[str, Requirement]
) -> None:
    thursdays = WeeklyHours({3: ((time(15), time(18)),)})
    proposal = propose_course(
        calendar,
        requirements["atraumatic_back_cleansing"],
        acid_rule(kb),
        first_day=MONDAY,
        client_hours=thursdays,
    )
    assert [s.start.weekday() for s in proposal.slots] == [3, 3, 3, 3]
    assert all(s.start.time() >= time(15) for s in proposal.slots)


def test_a_course_that_cannot_fit_names_the_session(
    kb: KnowledgeBase, calendar: Calendar, requirements: dict[str, Requirement]
) -> None:
    only_first_week = WeeklyHours(
        {0: ((time(9), time(18)),)},
        exceptions=frozenset(MONDAY + timedelta(days=7 * k) for k in range(1, 10)),
    )
    proposal = propose_course(
        calendar,
        requirements["atraumatic_back_cleansing"],
        acid_rule(kb),
        first_day=MONDAY,
        client_hours=only_first_week,
    )
    assert len(proposal.slots) == 1
    (conflict,) = proposal.conflicts
    assert conflict.session == 2
    assert "no free slot for session 2 between 2026-11-30 and 2026-12-21" in conflict.message


def test_moving_a_session_too_close_names_the_interval_rule(
    kb: KnowledgeBase, calendar: Calendar, requirements: dict[str, Requirement]
) -> None:
    acid = requirements["atraumatic_back_cleansing"]
    rule = acid_rule(kb)
    starts = [slot.start for slot in propose_course(calendar, acid, rule, first_day=MONDAY).slots]
    earlier = find_slots(
        calendar, acid, start=datetime(2026, 11, 26), end=datetime(2026, 11, 27), count=1
    )[0]
    conflicts = move_session(calendar, acid, rule, starts, 1, earlier)
    assert [c.session for c in conflicts] == [2]
    assert "3 days after session 1; at least 7 are needed (ASDS)" in conflicts[0].message
    squeezing_the_next = find_slots(
        calendar, acid, start=datetime(2026, 12, 2), end=datetime(2026, 12, 3), count=1
    )[0]
    (conflict,) = move_session(calendar, acid, rule, starts, 1, squeezing_the_next)
    assert conflict.session == 3
    assert "session 3 is 5 days after session 2" in conflict.message
    same_day_later = find_slots(
        calendar, acid, start=datetime(2026, 11, 30, 15), end=datetime(2026, 12, 1), count=1
    )[0]
    assert move_session(calendar, acid, rule, starts, 1, same_day_later) == []


def test_moving_onto_a_taken_slot_is_refused(
    kb: KnowledgeBase, calendar: Calendar, requirements: dict[str, Requirement]
) -> None:
    acid = requirements["atraumatic_back_cleansing"]
    rule = acid_rule(kb)
    taken = find_slots(
        calendar, acid, start=datetime(2026, 11, 30), end=datetime(2026, 12, 1), count=1
    )[0]
    calendar.book(taken.booking(99, acid.procedure_id))
    conflicts = move_session(calendar, acid, rule, [datetime(2026, 11, 23, 9)], 0, taken)
    assert conflicts
    assert "not free" in conflicts[0].message


def test_a_laser_course_in_summer_draws_the_season_note(
    kb: KnowledgeBase, calendar: Calendar, requirements: dict[str, Requirement]
) -> None:
    laser = kb.procedure("laser_back_resurfacing")
    rule = IntervalRule.of(laser.course, sessions=2)
    summer = propose_course(
        calendar,
        requirements[laser.id],
        rule,
        first_day=date(2027, 6, 7),
        season_notes=laser.season_notes,
    )
    winter = propose_course(
        calendar,
        requirements[laser.id],
        rule,
        first_day=date(2026, 11, 23),
        season_notes=laser.season_notes,
    )
    assert len(summer.advice) == 2
    assert summer.advice[0].startswith("session 1 on 2027-06-07: Direct sun must be avoided")
    assert summer.advice[0].endswith("(DermTextbook)")
    assert winter.advice == ()


def test_a_procedure_without_a_stated_interval_still_gets_one_session_a_day(
    kb: KnowledgeBase, requirements: dict[str, Requirement], resources: Resources
) -> None:
    unstated = next(p for p in kb.procedures if p.id in requirements and p.course is None)
    rule = IntervalRule.of(unstated.course, sessions=3)
    assert (rule.min_days, rule.max_days) == (1, None)
    calendar = Calendar(resources, requirements)
    proposal = propose_course(
        calendar, requirements[unstated.id], rule, first_day=date(2026, 11, 30)
    )
    days = [slot.start.date() for slot in proposal.slots]
    assert len(days) == 3
    assert len(set(days)) == 3


# -- Pre-steps (a patch test before the first session) ------------------------------------------


def test_a_patch_tests_window_ends_its_shortest_wait_before_the_first_session() -> None:
    window = step_window(DayRange(min=1, max=14), date(2026, 12, 15))
    assert (window.earliest, window.latest) == (date(2026, 12, 1), date(2026, 12, 14))
    held = [day for day in (30, 1, 14, 15) if window.holds(date(2026, 12 if day < 30 else 11, day))]
    assert held == [1, 14]
    assert not window.holds(date(2026, 12, 15))


def test_a_step_without_a_longest_wait_has_an_open_window() -> None:
    window = step_window(DayRange(min=2), date(2026, 12, 15))
    assert window.earliest is None
    assert window.holds(date(2020, 1, 1))


def test_the_first_session_waits_for_the_longest_shortest_wait_of_the_pre_steps() -> None:
    kb = default_knowledge_base()
    (patch,) = kb.procedure("chemical_peel").pre_steps
    start = date(2026, 12, 1)
    assert first_session_after([patch], start) == start + timedelta(days=patch.days_before.min)
    assert first_session_after([], start) == start
