"""The week grid's arithmetic: where a booking's block sits, side by side when bookings
overlap, and which hours the grid spans."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from corneum.knowledge import default_knowledge_base
from corneum.web.calendar.week import Placed, build_week, hour_range, monday_of, stage_views

MONDAY = date(2031, 3, 3)


def booking(booking_id: int, starts: str, ends: str, day: date = MONDAY) -> Placed:
    return Placed(
        booking_id,
        datetime.combine(day, time.fromisoformat(starts)),
        datetime.combine(day, time.fromisoformat(ends)),
        "procedure",
        "client",
        "booked",
        (),
    )


def test_a_block_spans_its_quarter_hours_from_the_first_hour() -> None:
    week = build_week(MONDAY, [booking(1, "09:15", "10:35")], (8, 20))
    (block,) = week.days[0].blocks
    assert (block.row, block.span, block.lane) == (6, 6, 1)  # 09:15 is the 6th quarter
    assert week.rows == 48
    assert week.hours == tuple(range(8, 20))


def test_overlapping_bookings_sit_side_by_side_and_a_later_one_reuses_a_lane() -> None:
    items = [
        booking(1, "09:00", "11:00"),
        booking(2, "10:00", "12:00"),
        booking(3, "11:00", "12:00"),
    ]
    day = build_week(MONDAY, items, (8, 20)).days[0]
    assert [(b.placed.booking_id, b.lane) for b in day.blocks] == [(1, 1), (2, 2), (3, 1)]
    assert day.lanes == 2


def test_bookings_land_on_their_weekday_and_other_weeks_are_left_out() -> None:
    items = [
        booking(1, "09:00", "10:00", date(2031, 3, 5)),
        booking(2, "09:00", "10:00", date(2031, 3, 10)),
    ]
    week = build_week(MONDAY, items, (8, 20))
    assert [len(day.blocks) for day in week.days] == [0, 0, 1, 0, 0, 0, 0]
    assert week.days[2].weekday == "Wednesday"
    assert (week.previous, week.next) == (date(2031, 2, 24), date(2031, 3, 10))


@pytest.mark.parametrize(
    ("spans", "items", "expected"),
    [
        ([], [], (8, 20)),
        ([(time(7), time(21))], [], (7, 21)),
        ([(time(9), time(17, 30))], [booking(1, "06:45", "08:05")], (6, 18)),
        ([(time(9), time(17))], [booking(1, "22:00", "23:59")], (9, 24)),
    ],
)
def test_the_grid_spans_the_working_hours_and_every_booking(
    spans: list[tuple[time, time]], items: list[Placed], expected: tuple[int, int]
) -> None:
    assert hour_range(spans, items) == expected


def test_monday_of_any_day_of_the_week() -> None:
    assert {monday_of(date(2031, 3, day)) for day in range(3, 10)} == {MONDAY}


def test_stages_say_what_they_hold_from_the_knowledge_base() -> None:
    kb = default_knowledge_base()
    stages = stage_views(kb, "laser_back_resurfacing", datetime(2031, 3, 3, 10, 0))
    minutes = kb.booking["laser_back_resurfacing"].stage_minutes
    assert [stage.minutes for stage in stages] == list(minutes)
    assert stages[0].starts == "10:00"
    waiting = [stage for stage in stages if stage.waiting]
    unattended = [s for s in kb.procedure("laser_back_resurfacing").stages if not s.attended]
    assert len(waiting) == len(unattended) >= 1  # the anaesthetic wait holds only the room
    assert any(kb.label("laser") in stage.holds for stage in stages)
