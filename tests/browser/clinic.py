"""The clinic the browser tests look at: the demo clinic, seeded by the same function as
``corneum serve --demo``, plus a working calendar with appointments today for its cosmetologist,
so the "today" page has rows to lay out; before and after photos of the featured client's last
session held, so the outcomes page has pictures to compare; and a session under way with a timed
stage running, so the protocol runner has a countdown to show.

Everything is written through the records' own services, as a clinic's staff would; only the
ids the tests navigate to are looked up directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from corneum.db.engine import make_engine, session_factory
from corneum.knowledge import KnowledgeBase, default_knowledge_base
from corneum.records.accounts.tables import User
from corneum.records.calendar.bookings import service as calendar
from corneum.records.calendar.bookings.schemas import BookingCreate
from corneum.records.calendar.bookings.tables import Booking
from corneum.records.calendar.resources import service as resources
from corneum.records.calendar.resources.schemas import (
    CalendarSettingsWrite,
    DeviceCreate,
    HoursSpan,
    HoursWrite,
    RoomCreate,
)
from corneum.records.clients.tables import Client
from corneum.records.clinic_time import clinic_clock
from corneum.records.consents.schemas import ConsentCreate
from corneum.records.consents.service import current_consent, record_consent
from corneum.records.consents.tables import Consent
from corneum.records.consultations.tables import Consultation
from corneum.records.demo.data import CLIENTS, DEMO_PASSWORD, STAFF
from corneum.records.demo.service import seed_demo_clinic
from corneum.records.errors import ConflictError, InvalidInputError
from corneum.records.outcomes import service as outcomes
from corneum.records.outcomes.photos import PhotoStore
from corneum.records.outcomes.schemas import PhotoCreate
from corneum.records.plans import service as plans
from corneum.records.plans.schemas import PlanCreate
from corneum.records.plans.tables import TreatmentPlan
from corneum.records.sessions import service as sessions
from corneum.records.sessions.schemas import AcknowledgementCreate, SessionCreate, StageEnd
from corneum.records.sessions.tables import TreatmentSession
from tests.api.images import png
from tests.records.patch_builders import negative_patch_test

TIMEZONE = "Europe/Madrid"
WORKING_DAY = (time(8), time(20))
APPOINTMENTS_TODAY = 3
LOGINS = {
    "doctor": STAFF[1].email,
    "practitioner": STAFF[2].email,
    "reception": STAFF[3].email,
    "admin": STAFF[0].email,
}
"""Who the tests sign in as; ``practitioner`` is the cosmetologist, who holds most demo plans."""
PASSWORD = DEMO_PASSWORD
FEATURED = CLIENTS[0]
"""The demo client with the longest history (three sessions held): the pages shown of "a
client" are hers."""
PHOTO_AREA = "back"
PHOTO_SIZE = (480, 360)
PHOTO_COLOURS = {"before": (196, 120, 104), "after": (222, 180, 160)}
"""Before and after photos of the featured client's back: at a size a camera's picture is shown
at, in colours a person can tell apart."""
TIMED_STAGE_RUNNING_FOR = timedelta(minutes=1)
"""How long the running session's timed stage has been going at the clock's time: less than
its shortest duration, so the countdown shows time left."""


@dataclass(frozen=True)
class KnownIds:
    """Records a test can open by id, all of the featured client unless said otherwise."""

    client_id: int
    consultation_id: int
    plan_id: int
    procedure_id: str
    """The procedure of the featured client's plan."""
    session_id: int
    """A treatment session already held, with its stages, products, outcome and photos."""
    consent_id: int
    booking_id: int
    """One of the practitioner's appointments today (any client)."""
    practitioner_id: int
    """The cosmetologist (``LOGINS["practitioner"]``), who holds today's appointments."""
    room_id: int
    """The room of today's first appointment."""
    device_id: int
    """A device unit one of today's appointments holds."""
    running_session_id: int
    """A session under way (any client) whose timed stage is running at the clock's time."""

    def paths(self) -> dict[str, int | str]:
        """Every id by its field's name, to fill in a path such as ``/plans/{plan_id}``."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def seed_clinic(url: URL, now: datetime, photo_dir: Path) -> KnownIds:
    """Seed the demo clinic as of ``now`` (aware, UTC) with today's appointments, photos (kept
    in ``photo_dir``) and a session under way; its ids."""
    engine = make_engine(url)
    kb = default_knowledge_base()
    try:
        with session_factory(engine).begin() as session:
            demo = seed_demo_clinic(session=session, kb=kb, today=now.date())
            open_calendar(session, demo.clinic_id)
            booking_ids = book_today(session, demo.clinic_id, kb, now)
            running = run_timed_stage(session, demo.clinic_id, kb, now)
            ids = known_ids(session, booking_ids, running)
            store = PhotoStore(photo_dir, max_bytes=1024 * 1024)
            add_photos(session, demo.clinic_id, ids.session_id, store, now)
            return ids
    finally:
        engine.dispose()


def staff_member(session: Session, email: str) -> User:
    user = session.scalar(select(User).where(User.email == email))
    assert user is not None, email
    return user


def open_calendar(session: Session, clinic_id: int) -> None:
    """The clinic's time zone, a room, a unit of every scheduled device, and every
    practitioner working every day."""
    zone = CalendarSettingsWrite(timezone=TIMEZONE)
    resources.put_settings(session=session, clinic_id=clinic_id, data=zone)
    if not resources.list_rooms(session=session, clinic_id=clinic_id):
        room = RoomCreate(name="Treatment room 1")
        resources.create_room(session=session, clinic_id=clinic_id, data=room)
    kinds = {device.kind for device in resources.list_devices(session=session, clinic_id=clinic_id)}
    for kind in sorted(set(scheduled_devices()) - kinds):
        device = DeviceCreate(kind=kind, name=f"{kind} 1")
        resources.create_device(session=session, clinic_id=clinic_id, data=device)
    spans = [HoursSpan(weekday=day, starts=WORKING_DAY[0], ends=WORKING_DAY[1]) for day in range(7)]
    for spec in STAFF:
        if spec.role == "practitioner":
            user = staff_member(session, spec.email)
            hours = HoursWrite(spans=spans)
            resources.put_hours(
                session=session, clinic_id=clinic_id, practitioner_id=user.id, data=hours
            )


def scheduled_devices() -> list[str]:
    kb = default_knowledge_base()
    return [equipment.code for equipment in kb.vocabulary.equipment if equipment.scheduled]


def book_today(session: Session, clinic_id: int, kb: KnowledgeBase, now: datetime) -> list[int]:
    """The practitioner's first free places from ``now`` to the end of the clinic's day, one for
    each of the first demo plans she may perform; the bookings' ids."""
    practitioner = staff_member(session, LOGINS["practitioner"])
    wall = clinic_clock(session, clinic_id)
    day_end = wall.utc(datetime.combine(wall.local(now).date() + timedelta(days=1), time()))
    plans = session.scalars(
        select(TreatmentPlan)
        .join(Client, Client.id == TreatmentPlan.client_id)
        .where(Client.clinic_id == clinic_id)
        .order_by(TreatmentPlan.id)
    )
    booked: list[int] = []
    for plan in plans:
        if len(booked) == APPOINTMENTS_TODAY:
            break
        if "cosmetologist" not in kb.procedure(plan.procedure_id).performers:
            continue
        slots = calendar.search_slots(
            session=session,
            clinic_id=clinic_id,
            kb=kb,
            procedure_id=plan.procedure_id,
            start=after_the_demos(session, practitioner.id, now + timedelta(minutes=30)),
            end=day_end,
            count=1,
            practitioner_id=practitioner.id,
        )
        if not slots:
            break
        slot = slots[0][0]
        data = BookingCreate(
            plan_id=plan.id, start=wall.utc(slot.start), practitioner_id=practitioner.id
        )
        row = calendar.book(
            session=session, clinic_id=clinic_id, kb=kb, data=data, actor=None, now=now
        )
        booked.append(row.id)
    assert booked, "no appointment could be booked today"
    return booked


def after_the_demos(session: Session, practitioner_id: int, earliest: datetime) -> datetime:
    """``earliest``, or the end of the practitioner's last booking the demo made that day if
    later: the day sheet's appointments follow one another, as the week calendar's lanes do."""
    last = session.scalar(
        select(func.max(Booking.ends_at)).where(
            Booking.practitioner_id == practitioner_id,
            Booking.starts_at < earliest + timedelta(days=1),
            Booking.ends_at > earliest,
        )
    )
    return max(earliest, last) if last is not None else earliest


def known_ids(session: Session, booking_ids: list[int], running_session_id: int) -> KnownIds:
    """The featured client's records, and today's calendar's."""
    client = session.scalar(
        select(Client).where(
            Client.given_name == FEATURED.given_name, Client.family_name == FEATURED.family_name
        )
    )
    assert client is not None
    consultation = session.scalar(
        select(Consultation).where(Consultation.client_id == client.id).order_by(Consultation.id)
    )
    plan = session.scalar(select(TreatmentPlan).where(TreatmentPlan.client_id == client.id))
    held = session.scalar(
        select(TreatmentSession)
        .where(TreatmentSession.client_id == client.id, TreatmentSession.status == "completed")
        .order_by(TreatmentSession.id.desc())
    )
    consent = session.scalar(select(Consent).where(Consent.client_id == client.id))
    first = session.get(Booking, booking_ids[0])
    assert consultation is not None
    assert consent is not None
    assert plan is not None
    assert held is not None
    assert first is not None
    units = calendar.device_ids(session, booking_ids)
    device_id = next(unit for booking in booking_ids for unit in units[booking].values())
    return KnownIds(
        client_id=client.id,
        consultation_id=consultation.id,
        plan_id=plan.id,
        procedure_id=plan.procedure_id,
        session_id=held.id,
        consent_id=consent.id,
        booking_id=first.id,
        practitioner_id=first.practitioner_id,
        room_id=first.room_id,
        device_id=device_id,
        running_session_id=running_session_id,
    )


def add_photos(
    session: Session, clinic_id: int, session_id: int, store: PhotoStore, now: datetime
) -> None:
    """A photo of the area before the session and one after, as the practitioner uploads them."""
    practitioner = staff_member(session, LOGINS["practitioner"])
    visit = session.get(TreatmentSession, session_id)
    assert visit is not None
    for moment, colour in PHOTO_COLOURS.items():
        data = PhotoCreate.model_validate(
            {"area": PHOTO_AREA, "moment": moment, "taken_at": visit.scheduled_at}
        )
        outcomes.add_photo(
            session=session,
            clinic_id=clinic_id,
            treatment_session_id=session_id,
            data=data,
            image=png(*PHOTO_SIZE, rgb=colour),
            store=store,
            actor=practitioner.id,
            now=now,
        )


def run_timed_stage(session: Session, clinic_id: int, kb: KnowledgeBase, now: datetime) -> int:
    """The first scheduled demo session of a procedure with a timer, under way: the stages
    before its first timed one checked off, that one started :data:`TIMED_STAGE_RUNNING_FOR`
    ago; its id."""
    practitioner = staff_member(session, LOGINS["practitioner"])
    scheduled = session.execute(
        select(TreatmentSession.id, TreatmentPlan.procedure_id)
        .join(TreatmentPlan, TreatmentPlan.id == TreatmentSession.plan_id)
        .join(Client, Client.id == TreatmentPlan.client_id)
        .where(Client.clinic_id == clinic_id, TreatmentSession.status == "scheduled")
        .order_by(TreatmentSession.id)
    )
    for visit_id, procedure_id in scheduled:
        stages = kb.procedure(procedure_id).stages
        timed = next((i for i, stage in enumerate(stages) if stage.timer), None)
        if timed is None:
            continue
        visit = session.get(TreatmentSession, visit_id)
        assert visit is not None
        visit.scheduled_at = now - TIMED_STAGE_RUNNING_FOR - timedelta(minutes=timed + 1)
        sessions.acknowledge_cautions(
            session=session,
            clinic_id=clinic_id,
            treatment_session_id=visit_id,
            data=AcknowledgementCreate(),
            kb=kb,
            now=visit.scheduled_at,
            actor=practitioner.id,
        )
        for index, stage in enumerate(stages[: timed + 1]):
            begun = now - TIMED_STAGE_RUNNING_FOR - timedelta(minutes=timed - index)
            sessions.start_stage(
                session=session,
                clinic_id=clinic_id,
                treatment_session_id=visit_id,
                stage_index=index,
                name=stage.name,
                kb=kb,
                now=begun,
                actor=practitioner.id,
            )
            if index < timed:
                sessions.end_stage(
                    session=session,
                    clinic_id=clinic_id,
                    treatment_session_id=visit_id,
                    stage_index=index,
                    data=StageEnd(ended_at=begun + timedelta(minutes=1)),
                    actor=practitioner.id,
                )
        return int(visit_id)
    plan_a_timed_session(session, clinic_id, kb, now, practitioner)
    return run_timed_stage(session, clinic_id, kb, now)


def plan_a_timed_session(
    session: Session, clinic_id: int, kb: KnowledgeBase, now: datetime, practitioner: User
) -> None:
    """A session of a procedure with a timer for the first demo client it is not
    contraindicated for (the demo plans what the assessment recommends, which may have none):
    a plan, her consent in the current wording, a session today."""
    timed = [p.id for p in kb.procedures if any(stage.timer for stage in p.stages)]
    clients = session.scalars(select(Client).where(Client.clinic_id == clinic_id))
    for client in clients:
        for procedure_id in timed:
            try:
                plan = plans.create_plan(
                    session=session,
                    clinic_id=clinic_id,
                    client_id=client.id,
                    data=PlanCreate(procedure_id=procedure_id, sessions_planned=1),
                    actor=practitioner.id,
                    kb=kb,
                    now=now,
                )
            except (ConflictError, InvalidInputError):
                continue
            text = current_consent(kb, kb.procedure(procedure_id), "en")
            consent = ConsentCreate(
                text_version=text.version,
                text_sha256=text.sha256,
                signer_name=f"{client.given_name} {client.family_name}",
                signed_at=now,
                procedure_id=procedure_id,
                signature_method="typed",
                signed_text=text.text,
            )
            record_consent(
                session=session, clinic_id=clinic_id, client_id=client.id, data=consent, actor=None
            )
            negative_patch_test(session, clinic_id, client.id, procedure_id, kb, first_session=now)
            data = SessionCreate(practitioner_id=practitioner.id, scheduled_at=now)
            sessions.schedule_treatment_session(
                session=session, clinic_id=clinic_id, plan_id=plan.id, data=data, kb=kb, actor=None
            )
            return
    raise AssertionError("no demo client may have a procedure with a timed stage")
