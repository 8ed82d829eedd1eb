"""The demo clinic: seeded through the real services on each backend, once, the same every time."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from corneum.knowledge import KnowledgeBase
from corneum.knowledge.consent import consent_text, default_consent_template
from corneum.records.accounts.tables import Clinic, User
from corneum.records.audit.tables import AuditEvent
from corneum.records.calendar.bookings.service import search_slots
from corneum.records.calendar.bookings.tables import Booking
from corneum.records.calendar.resources.service import get_hours, list_devices, list_rooms
from corneum.records.calendar.resources.tables import DayOff, Room
from corneum.records.clients.tables import Client, HistoryEntry, Medication
from corneum.records.clinic_time import clinic_clock
from corneum.records.consents.tables import Consent
from corneum.records.consultations.tables import Consultation
from corneum.records.demo import service as demo
from corneum.records.demo.calendar import ClinicKey
from corneum.records.demo.data import CLIENTS, CLINIC_NAME, DEMO_PASSWORD
from corneum.records.outcomes.tables import Outcome
from corneum.records.plans.tables import TreatmentPlan
from corneum.records.sessions.tables import PerformedStage, ProductUse, TreatmentSession
from tests.records.accounts.signing import authenticate

TODAY = date(2026, 11, 23)
COUNTED = (
    Clinic,
    User,
    Client,
    HistoryEntry,
    Medication,
    Consultation,
    TreatmentPlan,
    TreatmentSession,
    PerformedStage,
    ProductUse,
    Outcome,
    Consent,
    Booking,
    AuditEvent,
)


def counts(session: Session) -> dict[str, int]:
    return {
        table.__tablename__: session.scalar(select(func.count()).select_from(table)) or 0
        for table in COUNTED
    }


@dataclass(frozen=True)
class Seeded:
    session: Session
    clinic: demo.DemoClinic
    first_run: list[tuple[object, ...]]
    """What a first seeding (since rolled back) produced, to compare with the one kept."""


@pytest.fixture(scope="module")
def seeded_db(engine: Engine, kb: KnowledgeBase) -> Iterator[Seeded]:
    """The demo seeded once per module and backend (Argon2 makes seeding take a second), in a
    transaction rolled back at the end; a first seeding is made and undone to compare with."""
    with engine.connect() as connection:
        transaction = connection.begin()
        session = Session(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        try:
            with session.begin_nested() as first:
                first_run = snapshot(
                    session, demo.seed_demo_clinic(session=session, kb=kb, today=TODAY)
                )
                first.rollback()
            clinic = demo.seed_demo_clinic(session=session, kb=kb, today=TODAY)
            yield Seeded(session, clinic, first_run)
        finally:
            session.close()
            transaction.rollback()


@pytest.fixture
def demo_session(seeded_db: Seeded) -> Session:
    """This module's tests share the one seeded session (a per-test one would lock SQLite)."""
    return seeded_db.session


@pytest.fixture
def seeded(seeded_db: Seeded) -> demo.DemoClinic:
    return seeded_db.clinic


def test_the_demo_clinic_has_staff_of_every_role_who_can_sign_in(
    demo_session: Session, seeded: demo.DemoClinic
) -> None:
    assert seeded.created
    roles = {(login.role, login.qualifications) for login in seeded.logins}
    assert roles == {
        ("admin", ()),
        ("practitioner", ("doctor",)),
        ("practitioner", ("cosmetologist",)),
        ("reception", ()),
    }
    for login in seeded.logins:
        user = authenticate(session=demo_session, email=login.email, password=DEMO_PASSWORD)
        assert user is not None
        assert user.clinic_id == seeded.clinic_id


def test_the_demo_clients_have_histories_plans_past_sessions_and_outcomes(
    demo_session: Session, seeded: demo.DemoClinic
) -> None:
    clients = demo_session.scalars(select(Client).where(Client.clinic_id == seeded.clinic_id)).all()
    assert len(clients) == len(CLIENTS)
    ids = [client.id for client in clients]
    in_clinic = TreatmentSession.client_id.in_(ids)
    held = demo_session.scalars(select(TreatmentSession).where(in_clinic)).all()
    completed = [visit for visit in held if visit.status == "completed"]
    assert completed, "some sessions have been held"
    assert all(visit.scheduled_at.date() < TODAY for visit in completed)
    for visit in completed:
        assert visit.stages, "every held session records its stages"
        assert all(stage.ended_at is not None for stage in visit.stages)
    lots = demo_session.scalars(
        select(ProductUse.lot_number).join(TreatmentSession).where(in_clinic)
    ).all()
    assert lots
    assert all(lot for lot in lots)
    outcomes = select(func.count()).select_from(Outcome).join(TreatmentSession).where(in_clinic)
    assert demo_session.scalar(outcomes) == len(completed)
    conditions = set(
        demo_session.scalars(
            select(HistoryEntry.condition_code).where(
                HistoryEntry.client_id.in_(ids), HistoryEntry.status == "active"
            )
        )
    )
    assert {"rosacea", "herpes_history", "psoriasis"} <= conditions
    isotretinoin = demo_session.scalars(
        select(Medication).where(Medication.client_id.in_(ids), Medication.code == "isotretinoin")
    ).one()
    assert isotretinoin.last_taken is not None
    assert isotretinoin.last_taken < TODAY


def test_consultations_store_the_real_assessment_with_the_knowledge_base_hash(
    demo_session: Session, kb: KnowledgeBase, seeded: demo.DemoClinic
) -> None:
    consultations = demo_session.scalars(
        select(Consultation).join(Client).where(Client.clinic_id == seeded.clinic_id)
    ).all()
    assert len(consultations) == len(CLIENTS)
    for consultation in consultations:
        assert (consultation.kb_version, consultation.kb_sha256) == (kb.version, kb.sha256)
        stamp = consultation.assessment["knowledge_base"]
        assert stamp == {"version": kb.version, "sha256": kb.sha256}
        assert len(consultation.assessment["procedures"]) == len(kb.procedures)
        assert consultation.profile["assessed_on"] == consultation.assessment["assessed_on"]
    verdicts = {p["verdict"] for c in consultations for p in c.assessment["procedures"]}
    assert verdicts == {"suitable", "caution", "contraindicated"}


def test_every_demo_plan_follows_its_consultation_and_is_consented_to_its_text(
    demo_session: Session, kb: KnowledgeBase, seeded: demo.DemoClinic
) -> None:
    plans = demo_session.scalars(
        select(TreatmentPlan).join(Client).where(Client.clinic_id == seeded.clinic_id)
    ).all()
    assert plans
    for plan in plans:
        consultation = demo_session.get(Consultation, plan.consultation_id)
        assert consultation is not None
        assert plan.procedure_id in consultation.assessment["recommended"]
        consents = demo_session.scalars(
            select(Consent).where(Consent.client_id == plan.client_id)
        ).all()
        assert [consent.procedure_id for consent in consents] == [plan.procedure_id]
        shown = consent_text(
            default_consent_template(), kb.procedure(plan.procedure_id), kb.version
        )
        assert (consents[0].text_version, consents[0].text_sha256) == (shown.version, shown.sha256)


def test_seeding_twice_adds_nothing(
    demo_session: Session, kb: KnowledgeBase, seeded: demo.DemoClinic
) -> None:
    before = counts(demo_session)
    again = demo.seed_demo_clinic(session=demo_session, kb=kb, today=TODAY)
    assert not again.created
    assert again.clinic_id == seeded.clinic_id
    assert counts(demo_session) == before
    named = select(func.count()).select_from(Clinic).where(Clinic.name == CLINIC_NAME)
    assert demo_session.scalar(named) == 1


def test_the_demo_is_the_same_every_time_for_the_same_day(seeded_db: Seeded) -> None:
    assert snapshot(seeded_db.session, seeded_db.clinic) == seeded_db.first_run


def snapshot(session: Session, clinic: demo.DemoClinic) -> list[tuple[object, ...]]:
    """Who was planned what, when the sessions were, their outcomes and the products' lots."""
    rows = session.execute(
        select(
            Client.family_name,
            TreatmentPlan.procedure_id,
            TreatmentSession.scheduled_at,
            Outcome.open_comedones,
            Outcome.papules,
        )
        .join(TreatmentPlan, TreatmentPlan.client_id == Client.id)
        .join(TreatmentSession, TreatmentSession.plan_id == TreatmentPlan.id)
        .outerjoin(Outcome, Outcome.session_id == TreatmentSession.id)
        .where(Client.clinic_id == clinic.clinic_id)
        .order_by(Client.family_name, TreatmentSession.scheduled_at)
    )
    lots = session.scalars(
        select(ProductUse.lot_number)
        .join(TreatmentSession)
        .join(Client, Client.id == TreatmentSession.client_id)
        .where(Client.clinic_id == clinic.clinic_id)
        .order_by(TreatmentSession.scheduled_at, ProductUse.stage_index)
    )
    booked = session.execute(
        select(Booking.procedure_id, Booking.starts_at, Room.name)
        .join(Room, Room.id == Booking.room_id)
        .where(Booking.clinic_id == clinic.clinic_id)
        .order_by(Booking.starts_at)
    )
    found: list[tuple[object, ...]] = [tuple(row) for row in rows]
    return found + [(lot,) for lot in lots] + [tuple(row) for row in booked]


def practitioners(session: Session, clinic_id: int) -> list[User]:
    staff = select(User).where(User.clinic_id == clinic_id, User.role == "practitioner")
    return list(session.scalars(staff))


def test_the_demo_calendar_has_a_zone_rooms_scheduled_devices_and_every_practitioners_hours(
    demo_session: Session, kb: KnowledgeBase, seeded: demo.DemoClinic
) -> None:
    where = ClinicKey(session=demo_session, clinic_id=seeded.clinic_id)
    assert clinic_clock(demo_session, seeded.clinic_id).zone.key == "Europe/London"
    assert len(list_rooms(**where)) >= 2
    scheduled = {term.code for term in kb.vocabulary.equipment if term.scheduled}
    assert {device.kind for device in list_devices(**where)} == scheduled
    assert {"laser", "ultrasonic_device", "vacuum_device"} <= scheduled
    staff = practitioners(demo_session, seeded.clinic_id)
    assert len(staff) == 2
    for user in staff:
        hours = get_hours(**where, practitioner_id=user.id)
        assert {span.weekday for span in hours.spans} == set(range(7)), user.email
    assert demo_session.scalar(select(func.count()).select_from(DayOff)) == 0


def test_tomorrow_has_free_slots_for_every_procedure_the_demo_books(
    demo_session: Session, kb: KnowledgeBase, seeded: demo.DemoClinic
) -> None:
    clock = clinic_clock(demo_session, seeded.clinic_id)
    tomorrow = TODAY + timedelta(days=1)
    start = clock.utc(datetime.combine(tomorrow, time(0)))
    bookable = [pid for pid in kb.booking if kb.procedure(pid).performers != ("client",)]
    assert len(bookable) >= 8
    for procedure_id in bookable:
        found = search_slots(
            session=demo_session, clinic_id=seeded.clinic_id, kb=kb, procedure_id=procedure_id,
            start=start, end=start + timedelta(days=1), count=3,
        )  # fmt: skip
        assert len(found) == 3, procedure_id
        assert all(slot.start.date() == tomorrow for slot, _, _ in found), procedure_id


def test_a_week_of_appointments_is_booked_from_the_seeding_day(
    demo_session: Session, seeded: demo.DemoClinic
) -> None:
    booked = demo_session.scalars(
        select(Booking).where(Booking.clinic_id == seeded.clinic_id).order_by(Booking.starts_at)
    ).all()
    plans = demo_session.scalars(
        select(TreatmentPlan).join(Client).where(Client.clinic_id == seeded.clinic_id)
    ).all()
    open_plans = [p for p in plans if p.status != "completed"]
    assert len(booked) == len(open_plans) >= 5
    assert {row.plan_id for row in booked} == {p.id for p in open_plans}
    clock = clinic_clock(demo_session, seeded.clinic_id)
    days = {clock.local(row.starts_at).date() for row in booked}
    assert days == {TODAY + timedelta(days=n) for n in range(len(booked))}
    assert all(row.status == "booked" for row in booked)
    for row in booked:
        local = clock.local(row.starts_at)
        assert 9 <= local.hour < 19, local
    assert all(row.starts_at.astimezone(UTC).date() >= TODAY for row in booked)
