"""The reception desk through the services, on SQLite and PostgreSQL: check-in, no-show and late
cancellation with who and when; the stored waitlist offered a freed place; a walk-in; and why a
slot search finds nothing, cause by cause."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TypedDict
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from corneum.knowledge import KnowledgeBase
from corneum.records.accounts.tables import Clinic
from corneum.records.audit.tables import AuditEvent
from corneum.records.calendar.bookings import desk, service
from corneum.records.calendar.bookings.diagnosis import diagnose
from corneum.records.calendar.bookings.schemas import BookingCreate
from corneum.records.calendar.bookings.tables import Booking, BookingEvent, BookingHold
from corneum.records.calendar.resources import service as resources
from corneum.records.calendar.resources.schemas import MaintenanceCreate, RoomUpdate
from corneum.records.calendar.waitlist import service as waitlist
from corneum.records.calendar.waitlist.schemas import WaitingCreate
from corneum.records.clients.schemas import ClientCreate
from corneum.records.clients.service import create_client
from corneum.records.clients.tables import Client
from corneum.records.errors import ConflictError
from corneum.records.plans.tables import TreatmentPlan
from tests.records.calendar.conftest import MONDAY_10, NOW, Setup

ACID = "atraumatic_back_cleansing"
ON_THE_DAY = datetime(2026, 11, 30, 8, 30, tzinfo=UTC)
"""Monday 30 November 2026, 09:30 in Madrid: the booking at 10:00 is half an hour away."""


def booked(db_session: Session, kb: KnowledgeBase, setup: Setup, plan: TreatmentPlan) -> Booking:
    return service.book(
        session=db_session, clinic_id=setup.clinic_id, kb=kb,
        data=BookingCreate(plan_id=plan.id, start=MONDAY_10), actor=setup.cosmetologist.id,
        now=NOW,
    )  # fmt: skip


def events(db_session: Session, booking: Booking) -> list[str]:
    statement = select(BookingEvent.action).where(BookingEvent.booking_id == booking.id)
    return list(db_session.scalars(statement.order_by(BookingEvent.id)))


def audited_changes(db_session: Session, booking: Booking) -> list[str]:
    statement = select(AuditEvent.detail).where(
        AuditEvent.resource_type == "booking",
        AuditEvent.resource_id == str(booking.id),
        AuditEvent.action == "update",
    )
    return [detail["change"] for detail in db_session.scalars(statement.order_by(AuditEvent.id))]


class DeskScope(TypedDict):
    session: Session
    clinic_id: int
    booking_id: int


class Scope(TypedDict):
    session: Session
    clinic_id: int
    kb: KnowledgeBase
    actor: int | None


def partial_desk(db_session: Session, setup: Setup, row: Booking) -> DeskScope:
    return DeskScope(session=db_session, clinic_id=setup.clinic_id, booking_id=row.id)


def other_client(db_session: Session, clinic: Clinic) -> Client:
    data = ClientCreate(given_name="Bea", family_name="Ruiz", date_of_birth=date(1990, 1, 5))
    return create_client(session=db_session, clinic_id=clinic.id, data=data, actor=None)


def test_check_in_on_the_day_records_who_and_when_once(
    db_session: Session, kb: KnowledgeBase, setup: Setup, plan: TreatmentPlan
) -> None:
    row = booked(db_session, kb, setup, plan)
    desk_user = setup.cosmetologist.id
    with pytest.raises(ConflictError, match="a client checks in on the day"):
        desk.check_in(
            session=db_session, clinic_id=setup.clinic_id, booking_id=row.id, actor=desk_user,
            now=NOW,
        )  # fmt: skip
    for _ in range(2):  # a double tap changes nothing the second time
        desk.check_in(
            session=db_session, clinic_id=setup.clinic_id, booking_id=row.id, actor=desk_user,
            now=ON_THE_DAY,
        )  # fmt: skip
    assert (row.status, row.arrived_by, row.arrived_at, row.version) == (
        "arrived", desk_user, ON_THE_DAY, 2,
    )  # fmt: skip
    assert events(db_session, row) == ["create", "check_in"]
    assert audited_changes(db_session, row) == ["check_in"]


def test_a_no_show_is_recorded_only_from_the_start_and_frees_the_place(
    db_session: Session, kb: KnowledgeBase, setup: Setup, plan: TreatmentPlan
) -> None:
    row = booked(db_session, kb, setup, plan)
    scope = partial_desk(db_session, setup, row)
    with pytest.raises(ConflictError, match="not a no-show before then"):
        desk.no_show(**scope, actor=setup.cosmetologist.id, now=ON_THE_DAY)
    later = MONDAY_10 + timedelta(minutes=20)
    desk.no_show(**scope, actor=setup.cosmetologist.id, now=later)
    assert (row.status, row.missed_by, row.missed_at) == ("no_show", setup.cosmetologist.id, later)
    holds = db_session.scalars(select(BookingHold.active).where(BookingHold.booking_id == row.id))
    assert set(holds) == {False}
    assert events(db_session, row) == ["create", "no_show"]
    assert audited_changes(db_session, row) == ["no_show"]


def test_a_late_cancellation_is_within_a_day_of_the_start_and_before_it(
    db_session: Session, kb: KnowledgeBase, setup: Setup, plan: TreatmentPlan
) -> None:
    row = booked(db_session, kb, setup, plan)
    scope = partial_desk(db_session, setup, row)
    actor = setup.cosmetologist.id
    with pytest.raises(ConflictError, match="more than 24 hours ahead: cancel it as usual"):
        desk.late_cancel(**scope, actor=actor, now=NOW)
    with pytest.raises(ConflictError, match="record a no-show instead"):
        desk.late_cancel(**scope, actor=actor, now=MONDAY_10)
    desk.late_cancel(**scope, actor=actor, now=ON_THE_DAY)
    assert (row.status, row.missed_at) == ("late_cancelled", ON_THE_DAY)
    with pytest.raises(ConflictError, match="was cancelled late"):
        desk.check_in(**scope, actor=actor, now=ON_THE_DAY)


def test_a_cancelled_place_is_offered_to_the_waitlist_and_booked_for_it(
    db_session: Session, kb: KnowledgeBase, setup: Setup, plan: TreatmentPlan, clinic: Clinic
) -> None:
    row = booked(db_session, kb, setup, plan)
    waiting = other_client(db_session, clinic)
    actor = setup.cosmetologist.id
    entry = waitlist.add_waiting(
        session=db_session, clinic_id=setup.clinic_id, kb=kb, actor=actor,
        data=WaitingCreate(
            client_id=waiting.id, procedure_id=ACID, earliest=date(2026, 11, 28),
            latest=date(2026, 12, 2),
        ),
    )  # fmt: skip
    scope = Scope(session=db_session, clinic_id=setup.clinic_id, kb=kb, actor=actor)
    assert waitlist.offers(**scope, booking_id=row.id, now=NOW) == []  # still booked
    service.cancel(session=db_session, clinic_id=setup.clinic_id, booking_id=row.id, version=None,
                   actor=actor)  # fmt: skip
    assert waitlist.offers(**scope, booking_id=row.id, now=NOW) == [entry]
    taken = waitlist.take_offer(**scope, booking_id=row.id, entry_id=entry.id, now=NOW)
    assert (taken.client_id, taken.starts_at, taken.procedure_id) == (waiting.id, MONDAY_10, ACID)
    assert (entry.status, entry.booking_id, entry.closed_by) == ("booked", taken.id, actor)
    assert waitlist.offers(**scope, booking_id=row.id, now=NOW) == []  # taken again
    assert waitlist.list_waiting(session=db_session, clinic_id=setup.clinic_id, actor=actor) == []


def test_a_walk_in_gets_the_first_free_place_now_checked_in(
    db_session: Session, kb: KnowledgeBase, setup: Setup, client_record: Client
) -> None:
    row = desk.walk_in(
        session=db_session, clinic_id=setup.clinic_id, kb=kb, client_id=client_record.id,
        procedure_id=ACID, actor=setup.cosmetologist.id, now=ON_THE_DAY,
    )  # fmt: skip
    assert (row.starts_at, row.status, row.arrived_at) == (ON_THE_DAY, "arrived", ON_THE_DAY)
    saturday = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
    with pytest.raises(ConflictError, match="no qualified practitioner works on Saturdays"):
        desk.walk_in(
            session=db_session, clinic_id=setup.clinic_id, kb=kb, client_id=client_record.id,
            procedure_id=ACID, actor=setup.cosmetologist.id, now=saturday,
        )  # fmt: skip


def causes(
    db_session: Session, kb: KnowledgeBase, setup: Setup, procedure_id: str, day: date
) -> list[str]:
    start = datetime(day.year, day.month, day.day, tzinfo=MADRID)
    found = diagnose(
        session=db_session, clinic_id=setup.clinic_id, kb=kb, procedure_id=procedure_id,
        start=start, end=start + timedelta(days=1),
    )  # fmt: skip
    return [cause.text for cause in found]


MONDAY = date(2026, 11, 30)
MADRID = ZoneInfo("Europe/Madrid")


def test_no_room_is_named(db_session: Session, kb: KnowledgeBase, setup: Setup) -> None:
    for room in setup.rooms:
        resources.update_room(
            session=db_session, clinic_id=setup.clinic_id, room_id=room,
            data=RoomUpdate(active=False),
        )  # fmt: skip
    assert causes(db_session, kb, setup, ACID, MONDAY) == [
        "no room is set up: an administrator adds one"
    ]


def test_a_weekday_nobody_works_is_named(
    db_session: Session, kb: KnowledgeBase, setup: Setup
) -> None:
    saturday = date(2026, 12, 5)
    assert causes(db_session, kb, setup, ACID, saturday) == [
        "no qualified practitioner works on Saturdays"
    ]


def test_a_missing_device_kind_and_a_missing_qualification_are_named(
    db_session: Session, kb: KnowledgeBase, setup: Setup
) -> None:
    assert causes(db_session, kb, setup, "microdermabrasion", MONDAY) == [
        "the clinic has no microdermabrasion_machine in service"
    ]
    assert causes(db_session, kb, setup, "laser_back_resurfacing", MONDAY) == [
        "no practitioner can perform laser_back_resurfacing"
    ]


def test_a_device_in_maintenance_is_named_with_its_return(
    db_session: Session, kb: KnowledgeBase, setup: Setup
) -> None:
    resources.add_maintenance(
        session=db_session, clinic_id=setup.clinic_id, device_id=setup.laser,
        data=MaintenanceCreate(
            starts_at=datetime(2026, 11, 29, tzinfo=UTC), ends_at=datetime(2026, 12, 2, tzinfo=UTC)
        ),
    )  # fmt: skip
    assert causes(db_session, kb, setup, "laser_back_resurfacing", MONDAY)[0] == (
        "every laser is in maintenance until 2026-12-02 01:00"
    )


def test_a_full_day_is_said_to_be_full(
    db_session: Session, kb: KnowledgeBase, setup: Setup, clinic: Clinic
) -> None:
    day = MONDAY + timedelta(days=1)
    start = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)  # 09:00 in Madrid
    for hours in (0, 1.5, 5, 6.5):  # the mornings and afternoons, 80 minutes at a time
        service.book(
            session=db_session, clinic_id=setup.clinic_id, kb=kb, actor=None, now=NOW,
            data=BookingCreate(
                client_id=other_client(db_session, clinic).id, procedure_id=ACID,
                start=start + timedelta(hours=hours),
            ),
        )  # fmt: skip
    assert service.search_slots(
        session=db_session, clinic_id=setup.clinic_id, kb=kb, procedure_id=ACID,
        start=datetime(2026, 12, 1, tzinfo=UTC), end=datetime(2026, 12, 2, tzinfo=UTC),
    ) == []  # fmt: skip
    assert causes(db_session, kb, setup, ACID, day) == [
        "every place from 2026-12-01 00:00 to 2026-12-02 00:00 is taken"
    ]
