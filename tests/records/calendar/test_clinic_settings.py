"""The clinic's own settings through the services: the procedures it offers (within what the
knowledge base allows), its booking horizon and reminder lead time, people and things named by
their names in refusals, and every change audited."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from corneum.knowledge import KnowledgeBase
from corneum.records.accounts.tables import Clinic
from corneum.records.audit.tables import AuditEvent
from corneum.records.calendar.bookings import service
from corneum.records.calendar.bookings.schemas import BookingCreate
from corneum.records.calendar.bookings.tables import Booking
from corneum.records.calendar.resources import service as resources
from corneum.records.calendar.resources.schemas import CalendarSettingsWrite, RoomCreate
from corneum.records.errors import ConflictError, InvalidInputError
from corneum.records.offerings import service as offerings
from corneum.records.offerings.schemas import OfferingWrite
from corneum.records.plans.tables import TreatmentPlan
from corneum.records.reminders.tables import OutboxMessage
from tests.records.calendar.conftest import MONDAY_10, NOW, Setup

ACID = "atraumatic_back_cleansing"
"""Booked for 80 minutes by default; its sources state no length, so up to 160."""


def book(session: Session, kb: KnowledgeBase, setup: Setup, plan: TreatmentPlan) -> Booking:
    return service.book(
        session=session, clinic_id=setup.clinic_id, kb=kb,
        data=BookingCreate(plan_id=plan.id, start=MONDAY_10), actor=None, now=NOW,
    )  # fmt: skip


def offer(session: Session, kb: KnowledgeBase, setup: Setup, **fields: object) -> None:
    offerings.put_offering(
        session=session, clinic_id=setup.clinic_id, kb=kb, procedure_id=ACID,
        data=OfferingWrite.model_validate(fields), actor=setup.cosmetologist.id,
    )  # fmt: skip


def settings(setup: Setup, **fields: object) -> CalendarSettingsWrite:
    return CalendarSettingsWrite.model_validate({"timezone": "Europe/Madrid", **fields})


def test_every_bookable_procedure_is_offered_at_the_kb_defaults_until_set(
    db_session: Session, kb: KnowledgeBase, setup: Setup
) -> None:
    listed = offerings.list_offerings(session=db_session, clinic_id=setup.clinic_id, kb=kb)
    assert [o.procedure_id for o in listed] == list(kb.booking)
    acid = next(o for o in listed if o.procedure_id == ACID)
    assert (acid.active, acid.price, acid.minutes) == (True, None, 80)
    assert (acid.min_minutes, acid.max_minutes) == (80, 160)


@pytest.mark.parametrize(
    ("procedure", "minutes"),
    [(ACID, 79), (ACID, 161), ("ultrasonic_back_cleansing", 121)],  # S1 states 120 exactly
)
def test_minutes_outside_what_the_kb_allows_are_refused_naming_the_field(
    db_session: Session, kb: KnowledgeBase, setup: Setup, procedure: str, minutes: int
) -> None:
    with pytest.raises(InvalidInputError) as refused:
        offerings.put_offering(
            session=db_session, clinic_id=setup.clinic_id, kb=kb, procedure_id=procedure,
            data=OfferingWrite(minutes=minutes), actor=None,
        )  # fmt: skip
    (problem,) = refused.value.problems
    assert problem["loc"] == ("body", "minutes")
    assert "must be between" in problem["msg"]


def test_a_negative_price_is_refused_by_the_schema() -> None:
    with pytest.raises(ValidationError) as refused:
        OfferingWrite.model_validate({"price": "-0.01"})
    assert refused.value.errors()[0]["loc"] == ("price",)


def test_a_procedure_switched_off_can_no_longer_be_booked(
    db_session: Session, kb: KnowledgeBase, setup: Setup, plan: TreatmentPlan
) -> None:
    offer(db_session, kb, setup, active=False, price="45.00")
    with pytest.raises(InvalidInputError) as refused:
        book(db_session, kb, setup, plan)
    (problem,) = refused.value.problems
    assert (problem["loc"], problem["type"]) == (("body", "procedure_id"), "not_offered")
    assert db_session.scalar(select(Booking.id)) is None


def test_the_clinics_own_minutes_are_what_the_calendar_holds(
    db_session: Session, kb: KnowledgeBase, setup: Setup, plan: TreatmentPlan
) -> None:
    offer(db_session, kb, setup, minutes=100, price="60.50")
    booking = book(db_session, kb, setup, plan)
    assert booking.ends_at - booking.starts_at == timedelta(minutes=100)
    read = offerings.get_offering(
        session=db_session, clinic_id=setup.clinic_id, kb=kb, procedure_id=ACID
    )
    assert (read.minutes, read.price) == (100, Decimal("60.50"))


def test_a_practitioner_is_named_by_her_full_name_in_a_refusal(
    db_session: Session, kb: KnowledgeBase, setup: Setup, plan: TreatmentPlan
) -> None:
    setup.cosmetologist.full_name = "Dr Mia Ashby"
    first = book(db_session, kb, setup, plan)
    assert first.practitioner_name == "Dr Mia Ashby"
    with pytest.raises(ConflictError) as refused:
        book(db_session, kb, setup, plan)
    assert "Dr Mia Ashby is held at 2026-11-30 10:00" in str(refused.value)
    assert "practitioner" not in str(refused.value)


def test_a_booking_beyond_the_horizon_is_refused(
    db_session: Session, kb: KnowledgeBase, setup: Setup, plan: TreatmentPlan
) -> None:
    resources.put_settings(
        session=db_session, clinic_id=setup.clinic_id, data=settings(setup, horizon_days=3)
    )
    with pytest.raises(InvalidInputError) as refused:
        book(db_session, kb, setup, plan)  # seven days after NOW
    (problem,) = refused.value.problems
    assert problem["loc"] == ("body", "start")
    assert "more than 3 days ahead" in problem["msg"]


@pytest.mark.parametrize(("hours", "due"), [(2, [MONDAY_10 - timedelta(hours=2)]), (0, [])])
def test_the_reminder_goes_out_the_clinics_lead_time_before(
    db_session: Session,
    kb: KnowledgeBase,
    setup: Setup,
    plan: TreatmentPlan,
    hours: int,
    due: list[datetime],
) -> None:
    resources.put_settings(
        session=db_session, clinic_id=setup.clinic_id, data=settings(setup, reminder_hours=hours)
    )
    book(db_session, kb, setup, plan)
    assert list(db_session.scalars(select(OutboxMessage.due_at))) == due


def test_settings_are_read_back_and_the_clinic_renamed(db_session: Session, setup: Setup) -> None:
    data = settings(
        setup, name="Clinica Sol", address="Calle Mayor 1, Madrid", phone="+34 600 000 000",
        step_minutes=10, horizon_days=60, reminder_hours=48,
    )  # fmt: skip
    resources.put_settings(session=db_session, clinic_id=setup.clinic_id, data=data)
    read = resources.get_settings(session=db_session, clinic_id=setup.clinic_id)
    assert read.model_dump() == {
        "name": "Clinica Sol", "timezone": "Europe/Madrid", "step_minutes": 10,
        "address": "Calle Mayor 1, Madrid", "phone": "+34 600 000 000",
        "horizon_days": 60, "reminder_hours": 48,
    }  # fmt: skip


def test_renaming_the_clinic_to_another_clinics_name_is_refused(
    db_session: Session, setup: Setup, other_clinic: Clinic
) -> None:
    with pytest.raises(ConflictError) as refused:
        resources.put_settings(
            session=db_session, clinic_id=setup.clinic_id,
            data=settings(setup, name=other_clinic.name),
        )  # fmt: skip
    assert refused.value.field == "name"


def test_every_change_to_the_set_up_is_audited_with_its_actor(
    db_session: Session, kb: KnowledgeBase, setup: Setup
) -> None:
    actor = setup.cosmetologist.id
    resources.put_settings(
        session=db_session, clinic_id=setup.clinic_id, data=settings(setup), actor=actor
    )
    room = resources.create_room(
        session=db_session, clinic_id=setup.clinic_id, data=RoomCreate(name="C"), actor=actor
    )
    offer(db_session, kb, setup, price="10")
    events = db_session.scalars(
        select(AuditEvent).where(AuditEvent.actor_id == actor).order_by(AuditEvent.id)
    )
    assert [(e.action, e.resource_type, e.resource_id, e.client_id) for e in events] == [
        ("update", "calendar_settings", str(setup.clinic_id), None),
        ("create", "room", str(room.id), None),
        ("create", "offering", ACID, None),
    ]
