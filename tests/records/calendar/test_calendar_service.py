"""Bookings through the service, on SQLite and PostgreSQL: what they hold, refusals that name the
resource and time, history, reminders, and courses."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from corneum.knowledge import KnowledgeBase
from corneum.records.audit.tables import AuditEvent
from corneum.records.calendar.bookings import service
from corneum.records.calendar.bookings.schemas import BookingCreate, RescheduleRequest
from corneum.records.calendar.bookings.tables import Booking, BookingEvent, BookingHold
from corneum.records.calendar.courses import service as courses
from corneum.records.calendar.courses.schemas import ScheduleRequest
from corneum.records.errors import ConflictError, InvalidInputError
from corneum.records.plans.tables import TreatmentPlan
from corneum.records.reminders.tables import OutboxMessage
from tests.records.calendar.conftest import MONDAY_10, NOW, Setup

ACID = "atraumatic_back_cleansing"


def book(
    db_session: Session, kb: KnowledgeBase, setup: Setup, plan: TreatmentPlan, start: datetime
) -> Booking:
    return service.book(
        session=db_session,
        clinic_id=setup.clinic_id,
        kb=kb,
        data=BookingCreate(plan_id=plan.id, start=start),
        actor=setup.cosmetologist.id,
        now=NOW,
    )


def holds_of(db_session: Session, booking_id: int) -> list[tuple[str, datetime, datetime, bool]]:
    rows = db_session.scalars(
        select(BookingHold).where(BookingHold.booking_id == booking_id).order_by(BookingHold.id)
    )
    return [(h.resource_kind, h.starts_at, h.ends_at, h.active) for h in rows]


def test_a_booking_holds_the_practitioner_and_the_room_with_its_cleaning(
    db_session: Session, kb: KnowledgeBase, setup: Setup, plan: TreatmentPlan
) -> None:
    booking = book(db_session, kb, setup, plan, MONDAY_10)
    assert (booking.practitioner_id, booking.room_id) == (setup.cosmetologist.id, setup.rooms[0])
    assert booking.ends_at - booking.starts_at == timedelta(minutes=80)
    assert holds_of(db_session, booking.id) == [
        ("practitioner", MONDAY_10, MONDAY_10 + timedelta(minutes=80), True),
        ("room", MONDAY_10, MONDAY_10 + timedelta(minutes=90), True),
    ]
    (event,) = db_session.scalars(select(BookingEvent).where(BookingEvent.booking_id == booking.id))
    assert (event.action, event.new_starts_at) == ("create", MONDAY_10)
    audit = select(AuditEvent).where(AuditEvent.resource_type == "booking")
    assert [e.action for e in db_session.scalars(audit)] == ["create"]


def test_the_reminder_is_due_a_day_before_and_says_no_procedure(
    db_session: Session, kb: KnowledgeBase, setup: Setup, plan: TreatmentPlan
) -> None:
    booking = book(db_session, kb, setup, plan, MONDAY_10)
    (message,) = db_session.scalars(
        select(OutboxMessage).where(OutboxMessage.booking_id == booking.id)
    )
    assert message.due_at == MONDAY_10 - timedelta(hours=24)
    assert message.recipient == "ana@example.org"
    assert "Monday 30 November 2026 at 10:00" in message.body  # the clinic's wall clock
    assert "cleansing" not in message.body.lower() + message.subject.lower()


def test_a_second_booking_of_the_same_practitioner_is_refused_naming_it(
    db_session: Session, kb: KnowledgeBase, setup: Setup, plan: TreatmentPlan
) -> None:
    book(db_session, kb, setup, plan, MONDAY_10)
    with pytest.raises(ConflictError) as refused:
        book(db_session, kb, setup, plan, MONDAY_10 + timedelta(minutes=30))
    assert f"{setup.cosmetologist.email} is held at 2026-11-30 10:30" in str(refused.value)
    assert db_session.scalar(select(func.count()).select_from(Booking)) == 1


def test_outside_working_hours_is_refused_naming_the_practitioner(
    db_session: Session, kb: KnowledgeBase, setup: Setup, plan: TreatmentPlan
) -> None:
    with pytest.raises(ConflictError, match=f"{setup.cosmetologist.email} does not work"):
        service.book(
            session=db_session,
            clinic_id=setup.clinic_id,
            kb=kb,
            data=BookingCreate(
                plan_id=plan.id,
                start=datetime(2026, 11, 30, 11, 0, tzinfo=UTC),  # 12:00-13:20 runs into lunch
                practitioner_id=setup.cosmetologist.id,
            ),
            actor=None,
            now=NOW,
        )


def test_a_time_in_the_past_is_invalid(
    db_session: Session, kb: KnowledgeBase, setup: Setup, plan: TreatmentPlan
) -> None:
    with pytest.raises(InvalidInputError, match="start: is in the past"):
        book(db_session, kb, setup, plan, NOW - timedelta(days=1))


def test_slot_search_skips_what_is_held(
    db_session: Session, kb: KnowledgeBase, setup: Setup, plan: TreatmentPlan
) -> None:
    book(db_session, kb, setup, plan, MONDAY_10)
    found = service.search_slots(
        session=db_session,
        clinic_id=setup.clinic_id,
        kb=kb,
        procedure_id=ACID,
        start=MONDAY_10 - timedelta(hours=1),
        end=MONDAY_10 + timedelta(days=1),
        count=3,
    )
    # The core's naive local times: 11:45 would run past the lunch break at 13:00.
    assert [slot.start.strftime("%H:%M") for slot, _, _ in found] == ["11:30", "14:00", "14:15"]
    slot, clock, _ = found[0]
    assert clock.utc(slot.start) == datetime(2026, 11, 30, 10, 30, tzinfo=UTC)


def test_cancelling_frees_the_time_and_keeps_the_history(
    db_session: Session, kb: KnowledgeBase, setup: Setup, plan: TreatmentPlan
) -> None:
    first = book(db_session, kb, setup, plan, MONDAY_10)
    service.cancel(
        session=db_session, clinic_id=setup.clinic_id, booking_id=first.id, version=1, actor=None
    )
    assert {active for *_, active in holds_of(db_session, first.id)} == {False}
    assert db_session.scalars(select(OutboxMessage.id)).all() == []
    again = book(db_session, kb, setup, plan, MONDAY_10)
    assert again.status == "booked"
    _, history = service.get_booking(
        session=db_session, clinic_id=setup.clinic_id, booking_id=first.id, actor=None
    )
    assert [(e.action, e.old_starts_at) for e in history] == [
        ("create", None),
        ("cancel", MONDAY_10),
    ]
    again_cancelled = service.cancel(
        session=db_session, clinic_id=setup.clinic_id, booking_id=first.id, version=None, actor=None
    )
    assert again_cancelled.version == 2  # a retried cancel changes nothing


def test_rescheduling_replaces_the_holds_and_records_old_and_new_times(
    db_session: Session, kb: KnowledgeBase, setup: Setup, plan: TreatmentPlan
) -> None:
    booking = book(db_session, kb, setup, plan, MONDAY_10)
    later = MONDAY_10 + timedelta(minutes=30)  # overlaps its own old time: allowed
    service.reschedule(
        session=db_session,
        clinic_id=setup.clinic_id,
        kb=kb,
        booking_id=booking.id,
        data=RescheduleRequest(start=later, version=1),
        actor=None,
        now=NOW,
    )
    assert (booking.starts_at, booking.version) == (later, 2)
    assert [h[1] for h in holds_of(db_session, booking.id)] == [later, later]
    _, history = service.get_booking(
        session=db_session, clinic_id=setup.clinic_id, booking_id=booking.id, actor=None
    )
    assert [(e.action, e.old_starts_at, e.new_starts_at) for e in history][-1] == (
        "reschedule",
        MONDAY_10,
        later,
    )
    with pytest.raises(ConflictError, match="changed since version 1"):
        service.reschedule(
            session=db_session,
            clinic_id=setup.clinic_id,
            kb=kb,
            booking_id=booking.id,
            data=RescheduleRequest(start=MONDAY_10, version=1),
            actor=None,
            now=NOW,
        )


def test_a_course_is_proposed_weekly_and_booked_all_at_once(
    db_session: Session, kb: KnowledgeBase, setup: Setup, plan: TreatmentPlan
) -> None:
    def schedule(confirm: bool) -> courses.Schedule:
        return courses.schedule_plan(
            session=db_session,
            clinic_id=setup.clinic_id,
            kb=kb,
            plan_id=plan.id,
            data=ScheduleRequest(first_day=date(2026, 11, 30), confirm=confirm),
            actor=None,
            now=NOW,
        )

    proposal = schedule(confirm=False)
    assert (proposal.rule.min_days, proposal.rule.sessions, proposal.conflicts) == (7, 4, ())
    assert [s.start.date().isoformat() for s in proposal.slots] == [
        "2026-11-30",
        "2026-12-07",
        "2026-12-14",
        "2026-12-21",
    ]
    assert db_session.scalar(select(func.count()).select_from(Booking)) == 0
    confirmed = schedule(confirm=True)
    assert [b.starts_at for b in confirmed.booked] == [
        proposal.clock.utc(s.start) for s in proposal.slots
    ]
    with pytest.raises(ConflictError, match="all 4 sessions"):
        schedule(confirm=True)


def test_moving_a_course_session_too_close_names_the_interval_rule(
    db_session: Session, kb: KnowledgeBase, setup: Setup, plan: TreatmentPlan
) -> None:
    first = book(db_session, kb, setup, plan, MONDAY_10)
    second = book(db_session, kb, setup, plan, MONDAY_10 + timedelta(days=7))
    too_soon = RescheduleRequest(start=MONDAY_10 + timedelta(days=3), check_only=True)
    conflicts, moved = courses.move_course_session(
        session=db_session,
        clinic_id=setup.clinic_id,
        kb=kb,
        booking_id=second.id,
        data=too_soon,
        actor=None,
        now=NOW,
    )
    assert moved is None
    assert [c.session for c in conflicts] == [2]
    assert "at least 7 are needed (ASDS)" in conflicts[0].message
    assert first.starts_at == MONDAY_10


@pytest.mark.parametrize("same_resource", [True, False])
def test_postgresql_refuses_overlapping_active_holds_itself(
    db_session: Session,
    kb: KnowledgeBase,
    setup: Setup,
    plan: TreatmentPlan,
    same_resource: bool,
) -> None:
    if db_session.get_bind().dialect.name != "postgresql":
        pytest.skip("the exclusion constraint is PostgreSQL's; SQLite serialises writes instead")
    booking = book(db_session, kb, setup, plan, MONDAY_10)
    room = setup.rooms[0] if same_resource else setup.rooms[1]
    overlapping = BookingHold(
        booking_id=booking.id,
        resource_kind="room",
        resource_id=room,
        starts_at=MONDAY_10 + timedelta(minutes=60),
        ends_at=MONDAY_10 + timedelta(minutes=120),
    )
    nested = db_session.begin_nested()
    db_session.add(overlapping)
    if same_resource:
        with pytest.raises(IntegrityError, match="ex_booking_holds_no_overlap"):
            db_session.flush()
        nested.rollback()
    else:
        db_session.flush()
        nested.commit()
