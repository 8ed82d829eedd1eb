"""No sequence of bookings, cancellations, reschedules and course moves ever holds a resource
twice at once or breaks a course's interval rule."""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import date, datetime, timedelta

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from corneum.knowledge import default_knowledge_base
from corneum.planning.calendar import (
    Booking,
    Calendar,
    DeviceUnit,
    OverlapError,
    Practitioner,
    Resources,
    holds,
)
from corneum.planning.course import IntervalRule, check_intervals, move_session, propose_course
from corneum.planning.requirements import requirement_for
from corneum.planning.slots import find_slots
from tests.planning.conftest import COSMETOLOGIST, DOCTOR, OFFICE

KB = default_knowledge_base()
REQUIREMENTS = {p.id: requirement_for(p.id, KB) for p in KB.procedures if p.id in KB.booking}
PROCEDURES = sorted(REQUIREMENTS)
START = datetime(2026, 11, 23)
RESOURCES = Resources(
    practitioners=(
        Practitioner(DOCTOR, frozenset({"doctor"}), OFFICE),
        Practitioner(COSMETOLOGIST, frozenset({"cosmetologist"}), OFFICE),
        Practitioner(3, frozenset({"doctor", "cosmetologist"}), OFFICE),
    ),
    rooms=(10, 11),
    devices=(
        DeviceUnit(
            20, "laser", ((START + timedelta(days=2), START + timedelta(days=2, hours=12)),)
        ),
        DeviceUnit(30, "ultrasonic_device"),
        DeviceUnit(40, "vacuum_device"),
        DeviceUnit(50, "microdermabrasion_machine"),
    ),
)
RULE = IntervalRule.of(KB.procedure("atraumatic_back_cleansing").course, sessions=3)
moments = st.builds(
    lambda day, quarter: START + timedelta(days=day, minutes=15 * quarter),
    st.integers(0, 27),
    st.integers(4 * 8, 4 * 19),
)


class CalendarMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.calendar = Calendar(RESOURCES, REQUIREMENTS)
        self.next_id = 1
        self.course: list[int] = []

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id

    @initialize()
    def book_a_course(self) -> None:
        acid = REQUIREMENTS["atraumatic_back_cleansing"]
        proposal = propose_course(self.calendar, acid, RULE, first_day=date(2026, 11, 23))
        assert proposal.conflicts == ()
        for slot in proposal.slots:
            booking = slot.booking(self.new_id(), acid.procedure_id)
            self.calendar.book(booking)
            self.course.append(booking.id)

    @rule(procedure=st.sampled_from(PROCEDURES), moment=moments)
    def book_the_earliest_slot(self, procedure: str, moment: datetime) -> None:
        found = find_slots(
            self.calendar,
            REQUIREMENTS[procedure],
            start=moment,
            end=moment + timedelta(days=3),
            count=1,
        )
        if found:
            self.calendar.book(found[0].booking(self.new_id(), procedure))

    @rule(
        procedure=st.sampled_from(PROCEDURES),
        moment=moments,
        practitioner=st.sampled_from([1, 2, 3]),
        room=st.sampled_from([10, 11]),
    )
    def book_anything_directly(
        self, procedure: str, moment: datetime, practitioner: int, room: int
    ) -> None:
        units = {u.kind: u.id for u in RESOURCES.devices}
        devices = tuple((kind, units[kind]) for kind, _ in REQUIREMENTS[procedure].device_spans)
        booking = Booking(self.new_id(), procedure, moment, practitioner, room, devices)
        before = dict(self.calendar.bookings)
        try:
            self.calendar.book(booking)
        except OverlapError:
            assert self.calendar.bookings == before

    @precondition(lambda self: len(self.calendar.bookings) > len(self.course))
    @rule(data=st.data())
    def cancel_one(self, data: st.DataObject) -> None:
        free = sorted(set(self.calendar.bookings) - set(self.course))
        self.calendar.cancel(data.draw(st.sampled_from(free)))

    @precondition(lambda self: len(self.calendar.bookings) > len(self.course))
    @rule(data=st.data(), moment=moments)
    def reschedule_one(self, data: st.DataObject, moment: datetime) -> None:
        free = sorted(set(self.calendar.bookings) - set(self.course))
        old = self.calendar.cancel(data.draw(st.sampled_from(free)))
        found = find_slots(
            self.calendar,
            REQUIREMENTS[old.procedure_id],
            start=moment,
            end=moment + timedelta(days=2),
            count=1,
        )
        self.calendar.book(found[0].booking(old.id, old.procedure_id) if found else old)

    @rule(index=st.integers(0, 2), moment=moments)
    def move_a_course_session(self, index: int, moment: datetime) -> None:
        acid = REQUIREMENTS["atraumatic_back_cleansing"]
        starts = [self.calendar.bookings[i].start for i in self.course]
        old = self.calendar.cancel(self.course[index])
        found = find_slots(
            self.calendar, acid, start=moment, end=moment + timedelta(days=1), count=1
        )
        if found and not move_session(self.calendar, acid, RULE, starts, index, found[0]):
            self.calendar.book(found[0].booking(old.id, old.procedure_id))
        else:
            self.calendar.book(old)

    @invariant()
    def no_resource_is_held_twice(self) -> None:
        held: dict[tuple[str, int], list[tuple[datetime, datetime]]] = defaultdict(list)
        for booking in self.calendar.bookings.values():
            for key, interval in holds(booking, REQUIREMENTS[booking.procedure_id]):
                held[key].append(interval)
        for key, intervals in held.items():
            intervals.sort()
            for (_, end), (start, _) in itertools.pairwise(intervals):
                assert end <= start, key

    @invariant()
    def the_course_keeps_its_intervals(self) -> None:
        starts = sorted(self.calendar.bookings[i].start for i in self.course)
        assert check_intervals(starts, RULE) == []


CalendarMachine.TestCase.settings = settings(max_examples=60, stateful_step_count=25, deadline=None)
TestCalendarProperties = CalendarMachine.TestCase
