"""Seed the demo clinic: staff of every role and clients with histories, consultations assessed
by the real engine, plans, past sessions with stages, products and outcomes, and consents.

Everything goes through the areas' own services, so the demo is audited and validated exactly
as real records are. Seeding is idempotent (a clinic of the demo's name is left as it is) and
deterministic: dates are counted back from ``today`` and every choice comes from a random
generator seeded with ``seed``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypedDict

from sqlalchemy import select
from sqlalchemy.orm import Session

from corneum.assessment import Assessment, assess, validate_profile
from corneum.knowledge import KnowledgeBase
from corneum.knowledge.consent import consent_text, default_consent_template
from corneum.knowledge.model import Procedure
from corneum.records.accounts.schemas import ClinicCreate, UserCreate
from corneum.records.accounts.service import create_clinic, create_user
from corneum.records.accounts.tables import Clinic, User
from corneum.records.clients import service as clients
from corneum.records.clients.schemas import (
    AllergyCreate,
    ClientCreate,
    HistoryEntryCreate,
    MedicationCreate,
)
from corneum.records.clients.tables import Client
from corneum.records.consents.schemas import ConsentCreate
from corneum.records.consents.service import record_consent
from corneum.records.consultations.service import record_consultation
from corneum.records.consultations.tables import Consultation
from corneum.records.demo import calendar, visits
from corneum.records.demo.data import (
    CLIENTS,
    CLINIC_NAME,
    DEMO_PASSWORD,
    STAFF,
    ClientSpec,
)
from corneum.records.plans.schemas import PlanCreate
from corneum.records.plans.service import create_plan
from corneum.records.plans.tables import TreatmentPlan

DEFAULT_SEED = 20261123
SESSION_SPACING_MAX = 28
"""No course in the knowledge base asks for more days between sessions than this; the demo's
consultations are dated far enough back for every past session to fit."""


class ClientKey(TypedDict):
    """The keyword arguments that name one client to the clients service."""

    session: Session
    clinic_id: int
    client_id: int


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    qualifications: tuple[str, ...]


@dataclass(frozen=True)
class DemoClinic:
    clinic_id: int
    created: bool
    """False when the clinic was already there and nothing was added."""
    logins: tuple[DemoLogin, ...]
    password: str


@dataclass(frozen=True)
class Seeding:
    """What every step of one seeding run needs."""

    session: Session
    kb: KnowledgeBase
    clinic_id: int
    staff: dict[str, User]
    """By role, with the practitioners by qualification: ``doctor``, ``cosmetologist``."""
    today: date
    rng: random.Random


def find_demo_clinic(*, session: Session) -> Clinic | None:
    return session.scalar(select(Clinic).where(Clinic.name == CLINIC_NAME))


def other_clinics_exist(*, session: Session) -> bool:
    """Whether the database holds a clinic besides the demo's (then it is no place for a demo)."""
    other = select(Clinic.id).where(Clinic.name != CLINIC_NAME).limit(1)
    return session.scalar(other) is not None


def seed_demo_clinic(
    *, session: Session, kb: KnowledgeBase, today: date, seed: int = DEFAULT_SEED
) -> DemoClinic:
    """Create the demo clinic with its staff and clients, unless it exists already."""
    existing = find_demo_clinic(session=session)
    if existing is not None:
        return _summary(existing.id, created=False)
    clinic = create_clinic(session=session, data=ClinicCreate(name=CLINIC_NAME))
    staff = _add_staff(session, clinic.id)
    run = Seeding(session, kb, clinic.id, staff, today, random.Random(seed))
    calendar.furnish(run)
    courses = [course for spec in CLIENTS if (course := _seed_client(run, spec))]
    calendar.book_week(run, courses)
    return _summary(clinic.id, created=True)


def _summary(clinic_id: int, *, created: bool) -> DemoClinic:
    logins = tuple(DemoLogin(s.email, s.role, s.qualifications) for s in STAFF)
    return DemoClinic(clinic_id, created, logins, DEMO_PASSWORD)


def _add_staff(session: Session, clinic_id: int) -> dict[str, User]:
    staff: dict[str, User] = {}
    for spec in STAFF:
        data = UserCreate.model_validate(
            {
                "email": spec.email,
                "password": DEMO_PASSWORD,
                "role": spec.role,
                "qualifications": list(spec.qualifications),
            }
        )
        user = create_user(session=session, clinic_id=clinic_id, data=data, actor=None)
        for key in (spec.role, *spec.qualifications):
            staff.setdefault(key, user)
    return staff


def _seed_client(run: Seeding, spec: ClientSpec) -> tuple[TreatmentPlan, User] | None:
    """The client's record and consultation; with a plan, its course so far and who gives it."""
    consulted_on = run.today - timedelta(days=10 + SESSION_SPACING_MAX * spec.past_sessions)
    client = _add_client(run, spec)
    consultation, assessment = _consult(run, spec, client, consulted_on)
    procedure = _procedure_to_plan(run, assessment)
    if procedure is None:
        return None
    plan = _plan(run, client, consultation, procedure, spec.past_sessions)
    signed_at = consultation.created_at + timedelta(minutes=30)
    _consent(run, client, procedure, signed_at, f"{spec.given_name} {spec.family_name}")
    practitioner = _practitioner_for(run, procedure)
    visits.record_course(run, plan, procedure, practitioner, consulted_on, spec.past_sessions)
    return (plan, practitioner) if spec.past_sessions < plan.sessions_planned else None


def _add_client(run: Seeding, spec: ClientSpec) -> Client:
    actor = run.staff["doctor"].id
    data = ClientCreate(
        given_name=spec.given_name,
        family_name=spec.family_name,
        email=spec.email,
        phone=spec.phone,
        address=spec.address,
        date_of_birth=_birth_date(spec, run.today),
        skin_type=spec.skin_type,
        phototype=spec.phototype,
        risk_factors=list(spec.risk_factors),
    )
    client = clients.create_client(
        session=run.session, clinic_id=run.clinic_id, data=data, actor=actor
    )
    where = ClientKey(session=run.session, clinic_id=run.clinic_id, client_id=client.id)
    for entry in spec.history:
        history = HistoryEntryCreate(
            condition_code=entry.code,
            status=entry.status,
            started_on=_days_ago(run.today, entry.started_days_ago),
            ended_on=_days_ago(run.today, entry.ended_days_ago),
            note=entry.note,
        )
        clients.add_history_entry(**where, data=history, actor=actor)
    for medication in spec.medications:
        last_taken = _days_ago(run.today, medication.last_taken_days_ago)
        taken = MedicationCreate(code=medication.code, last_taken=last_taken, note=medication.note)
        clients.add_medication(**where, data=taken, today=run.today, actor=actor)
    for allergen in spec.allergies:
        clients.add_allergy(**where, data=AllergyCreate(allergen=allergen), actor=actor)
    return client


def _birth_date(spec: ClientSpec, today: date) -> date:
    month, day = spec.birthday
    born = date(today.year - spec.age, month, day)
    return born if (month, day) <= (today.month, today.day) else born.replace(year=born.year - 1)


def _days_ago(today: date, days: int | None) -> date | None:
    return None if days is None else today - timedelta(days=days)


def profile_of(spec: ClientSpec, today: date, consulted_on: date) -> dict[str, Any]:
    """The profile the consultation assessed: the record as it stood, active conditions only."""
    born = _birth_date(spec, today)
    before_birthday = (consulted_on.month, consulted_on.day) < (born.month, born.day)
    age = consulted_on.year - born.year - before_birthday
    return {
        "age": age,
        "skin_type": spec.skin_type,
        "fitzpatrick": spec.phototype,
        "area": spec.area,
        "concerns": list(spec.concerns),
        "conditions": [h.code for h in spec.history if h.status == "active"],
        "medications": [
            {"code": m.code, "last_taken": _days_ago(today, m.last_taken_days_ago)}
            for m in spec.medications
        ],
        "risk_factors": list(spec.risk_factors),
        "assessed_on": consulted_on,
    }


def _consult(
    run: Seeding, spec: ClientSpec, client: Client, consulted_on: date
) -> tuple[Consultation, Assessment]:
    profile = validate_profile(profile_of(spec, run.today, consulted_on), run.kb)
    assessment = assess(profile, run.kb, assessed_on=consulted_on)
    consultation = record_consultation(
        session=run.session,
        clinic_id=run.clinic_id,
        client_id=client.id,
        profile=profile,
        assessment=assessment,
        actor=run.staff["doctor"].id,
    )
    hour = time(9 + run.rng.randrange(8), tzinfo=UTC)
    consultation.created_at = datetime.combine(consulted_on, hour)
    return consultation, assessment


def _procedure_to_plan(run: Seeding, assessment: Assessment) -> Procedure | None:
    """The first recommended procedure the clinic's staff can perform (home care is no plan)."""
    for procedure_id in assessment.recommended:
        procedure = run.kb.procedure(procedure_id)
        if any(performer in run.staff for performer in procedure.performers):
            return procedure
    return None


def _practitioner_for(run: Seeding, procedure: Procedure) -> User:
    # A cosmetologist where allowed, as clinics do: the doctor's time goes to what needs one.
    for qualification in ("cosmetologist", "doctor"):
        if qualification in procedure.performers:
            return run.staff[qualification]
    raise ValueError(f"no demo practitioner may perform {procedure.id}")


def _plan(
    run: Seeding,
    client: Client,
    consultation: Consultation,
    procedure: Procedure,
    past_sessions: int,
) -> TreatmentPlan:
    course = procedure.course
    usual = course.sessions.min if course and course.sessions else 4
    data = PlanCreate(
        procedure_id=procedure.id,
        sessions_planned=max(usual, past_sessions + 1),
        consultation_id=consultation.id,
        note="Course as recommended at the consultation.",
    )
    return create_plan(
        session=run.session,
        clinic_id=run.clinic_id,
        client_id=client.id,
        data=data,
        actor=run.staff["doctor"].id,
        kb=run.kb,
        now=consultation.created_at,
    )


def _consent(
    run: Seeding, client: Client, procedure: Procedure, signed_at: datetime, signer: str
) -> None:
    """The client's consent to the planned procedure: the text the web app shows, in English,
    typed as signed."""
    shown = consent_text(default_consent_template(), procedure, run.kb.version)
    data = ConsentCreate(
        text_version=shown.version,
        text_sha256=shown.sha256,
        signer_name=signer,
        signed_at=signed_at,
        procedure_id=procedure.id,
        signature_method="typed",
        signed_text=shown.text,
    )
    record_consent(
        session=run.session,
        clinic_id=run.clinic_id,
        client_id=client.id,
        data=data,
        actor=run.staff["reception"].id,
    )
