"""Slot search over a calendar: earliest options, waiting stages, buffers, hours, maintenance."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from corneum.planning.calendar import (
    Booking,
    Calendar,
    DeviceUnit,
    OverlapError,
    Resources,
    Timeline,
    WeeklyHours,
)
from corneum.planning.requirements import Requirement
from corneum.planning.slots import align, find_slots
from tests.planning.conftest import COSMETOLOGIST, DOCTOR

MONDAY = datetime(2026, 11, 23)


def at(day: datetime, hour: int, minute: int = 0) -> datetime:
    return day.replace(hour=hour, minute=minute)


def test_align_rounds_up_to_the_step() -> None:
    assert align(at(MONDAY, 9, 1), 15) == at(MONDAY, 9, 15)
    assert align(at(MONDAY, 9, 15), 15) == at(MONDAY, 9, 15)


def test_earliest_slot_is_the_opening_of_the_working_day(
    calendar: Calendar, requirements: dict[str, Requirement]
) -> None:
    (slot,) = find_slots(
        calendar,
        requirements["atraumatic_back_cleansing"],
        start=MONDAY,
        end=at(MONDAY, 23),
        count=1,
    )
    assert (slot.start, slot.practitioner_id) == (at(MONDAY, 9), COSMETOLOGIST)


def test_a_session_never_crosses_the_lunch_break(
    calendar: Calendar, requirements: dict[str, Requirement]
) -> None:
    slots = find_slots(
        calendar,
        requirements["ultrasonic_back_cleansing"],
        start=at(MONDAY, 11, 5),
        end=at(MONDAY, 23),
        count=1,
    )
    assert slots[0].start == at(MONDAY, 14)  # 11:15 + 120 min would run into 13:00-14:00


def test_the_anaesthetic_wait_lets_the_doctor_start_a_second_laser_client(
    resources: Resources, requirements: dict[str, Requirement]
) -> None:
    two_lasers = (*resources.devices, DeviceUnit(21, "laser"))
    calendar = Calendar(
        Resources(resources.practitioners, resources.rooms, two_lasers), requirements
    )
    laser = requirements["laser_back_resurfacing"]
    first = find_slots(calendar, laser, start=MONDAY, end=at(MONDAY, 23), count=1)[0]
    calendar.book(first.booking(1, laser.procedure_id))
    second = find_slots(calendar, laser, start=MONDAY, end=at(MONDAY, 23), count=1, step=5)[0]
    # First: antiseptic 9:00-9:05, cream until 9:55, treatment 9:55-10:45. The doctor does the
    # second client's antiseptic during that wait, in the other room, so that the second
    # treatment follows the first at 10:45.
    assert first.start == at(MONDAY, 9)
    assert (second.start, second.room_id) == (at(MONDAY, 9, 50), 11)
    assert second.device_ids == (("laser", 21),)


def test_with_one_laser_its_cleaning_pushes_the_second_client_back(
    calendar: Calendar, requirements: dict[str, Requirement]
) -> None:
    laser = requirements["laser_back_resurfacing"]
    first = find_slots(calendar, laser, start=MONDAY, end=at(MONDAY, 23), count=1)[0]
    calendar.book(first.booking(1, laser.procedure_id))
    second = find_slots(calendar, laser, start=MONDAY, end=at(MONDAY, 23), count=1)[0]
    assert second.start == at(MONDAY, 10, 45)  # laser busy until 10:45 + 10 min cleaning


def test_no_double_booking_of_a_practitioner_room_or_device(
    calendar: Calendar, requirements: dict[str, Requirement]
) -> None:
    acid = requirements["atraumatic_back_cleansing"]
    slot = find_slots(calendar, acid, start=MONDAY, end=at(MONDAY, 23), count=1)[0]
    calendar.book(slot.booking(1, acid.procedure_id))
    with pytest.raises(OverlapError):
        calendar.book(slot.booking(2, acid.procedure_id))
    assert list(calendar.bookings) == [1]


def test_only_qualified_practitioners_are_offered(
    calendar: Calendar, requirements: dict[str, Requirement]
) -> None:
    slots = find_slots(
        calendar, requirements["laser_back_resurfacing"], start=MONDAY, end=at(MONDAY, 23), count=20
    )
    assert {s.practitioner_id for s in slots} == {DOCTOR}
    assert [s.start for s in slots] == sorted(s.start for s in slots)


def test_one_practitioner_can_be_asked_for(
    calendar: Calendar, requirements: dict[str, Requirement]
) -> None:
    peel = requirements["chemical_peel"]  # both may do it
    anyone = find_slots(calendar, peel, start=MONDAY, end=at(MONDAY, 23), count=2)
    doctor = find_slots(
        calendar, peel, start=MONDAY, end=at(MONDAY, 23), count=2, practitioner_id=DOCTOR
    )
    assert {s.practitioner_id for s in anyone} == {DOCTOR, COSMETOLOGIST}
    assert {s.practitioner_id for s in doctor} == {DOCTOR}


def test_device_maintenance_and_the_clients_hours_are_respected(
    resources: Resources, requirements: dict[str, Requirement]
) -> None:
    laser_down = (at(MONDAY, 0), at(MONDAY, 17))
    devices = tuple(
        DeviceUnit(d.id, d.kind, (laser_down,)) if d.kind == "laser" else d
        for d in resources.devices
    )
    calendar = Calendar(Resources(resources.practitioners, resources.rooms, devices), requirements)
    evenings = WeeklyHours({0: ((time(16), time(20)),), 1: ((time(9), time(20)),)})
    slot = find_slots(
        calendar,
        requirements["laser_back_resurfacing"],
        start=MONDAY,
        end=at(MONDAY.replace(day=25), 23),
        count=1,
        client_hours=evenings,
    )[0]
    # The client comes from 16:00; the laser is back at 17:00, so its stage (55 min in) can
    # start then at the earliest: 16:05, rounded up to the quarter hour.
    assert slot.start == at(MONDAY, 16, 15)


def test_nothing_found_in_a_window_that_is_too_short(
    calendar: Calendar, requirements: dict[str, Requirement]
) -> None:
    assert (
        find_slots(
            calendar,
            requirements["ultrasonic_back_cleansing"],
            start=at(MONDAY, 9),
            end=at(MONDAY, 10),
        )
        == []
    )


def test_cancel_frees_every_resource(
    calendar: Calendar, requirements: dict[str, Requirement]
) -> None:
    laser = requirements["laser_back_resurfacing"]
    slot = find_slots(calendar, laser, start=MONDAY, end=at(MONDAY, 23), count=1)[0]
    calendar.book(slot.booking(7, laser.procedure_id))
    calendar.cancel(7)
    assert all(not t.starts for t in calendar.timelines.values())
    calendar.book(Booking(8, laser.procedure_id, slot.start, DOCTOR, slot.room_id, slot.device_ids))


def test_gaps_are_the_free_stretches_in_order() -> None:
    timeline = Timeline()
    timeline.add(at(MONDAY, 9), at(MONDAY, 10), 1)
    timeline.add(at(MONDAY, 10, 30), at(MONDAY, 12), 2)
    timeline.add(at(MONDAY, 15), at(MONDAY, 16), 3)
    assert list(timeline.gaps(at(MONDAY, 9), at(MONDAY, 17))) == [
        (at(MONDAY, 10), at(MONDAY, 10, 30)),
        (at(MONDAY, 12), at(MONDAY, 15)),
        (at(MONDAY, 16), at(MONDAY, 17)),
    ]
    assert list(timeline.gaps(at(MONDAY, 9, 30), at(MONDAY, 10))) == []


def test_a_day_without_a_long_enough_room_gap_is_skipped(
    calendar: Calendar, requirements: dict[str, Requirement]
) -> None:
    ultrasonic = requirements["ultrasonic_back_cleansing"]
    peel = requirements["chemical_peel"]
    booking_id = 0
    for room in calendar.resources.rooms:  # fill both rooms with peels all Monday
        moment = at(MONDAY, 0)
        while moment < at(MONDAY, 23):
            booking_id += 1
            calendar.book(Booking(booking_id, peel.procedure_id, moment, 100 + booking_id, room))
            moment += timedelta(minutes=peel.room_span[1])
    slot = find_slots(calendar, ultrasonic, start=MONDAY, end=at(MONDAY, 23) + timedelta(days=1))
    assert slot[0].start == at(MONDAY + timedelta(days=1), 9)
