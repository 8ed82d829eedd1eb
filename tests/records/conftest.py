"""Records the areas' tests start from: two clinics, a practitioner, a client, a plan, a session."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session

from corneum.knowledge import KnowledgeBase
from corneum.records.accounts.schemas import ClinicCreate, UserCreate
from corneum.records.accounts.service import create_clinic, create_user
from corneum.records.accounts.tables import Clinic, User
from corneum.records.clients.schemas import ClientCreate
from corneum.records.clients.service import create_client
from corneum.records.clients.tables import Client
from corneum.records.consents.schemas import ConsentCreate
from corneum.records.consents.service import current_consent, record_consent
from corneum.records.plans.schemas import PlanCreate
from corneum.records.plans.service import create_plan
from corneum.records.plans.tables import TreatmentPlan
from corneum.records.sessions.schemas import SessionCreate
from corneum.records.sessions.service import schedule_treatment_session
from corneum.records.sessions.tables import TreatmentSession
from tests.records.patch_builders import negative_patch_test

PASSWORD = "correct horse battery staple"
NOON = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def password() -> str:
    """The practitioner's password."""
    return PASSWORD


@pytest.fixture
def clinic(db_session: Session) -> Clinic:
    return create_clinic(session=db_session, data=ClinicCreate(name="Clear Skin Clinic"))


@pytest.fixture
def other_clinic(db_session: Session) -> Clinic:
    return create_clinic(session=db_session, data=ClinicCreate(name="Across the Road"))


@pytest.fixture
def practitioner(db_session: Session, clinic: Clinic) -> User:
    data = UserCreate.model_validate(
        {
            "email": "Dr.Vega@Example.org",
            "password": PASSWORD,
            "role": "practitioner",
            "qualifications": ["doctor"],
        }
    )
    return create_user(session=db_session, clinic_id=clinic.id, data=data, actor=None)


@pytest.fixture
def client_record(db_session: Session, clinic: Clinic, practitioner: User) -> Client:
    data = ClientCreate(
        given_name="Ana",
        family_name="Lopez",
        email="ana@example.org",
        phone="+34 600 000 000",
        date_of_birth=date(1995, 4, 2),
        skin_type="oily",
        phototype=3,
        risk_factors=["frequent_stress"],
    )
    return create_client(session=db_session, clinic_id=clinic.id, data=data, actor=practitioner.id)


@pytest.fixture
def plan(
    db_session: Session,
    clinic: Clinic,
    practitioner: User,
    client_record: Client,
    kb: KnowledgeBase,
) -> TreatmentPlan:
    data = PlanCreate(procedure_id="atraumatic_back_cleansing", sessions_planned=4)
    return create_plan(
        session=db_session,
        clinic_id=clinic.id,
        client_id=client_record.id,
        data=data,
        actor=practitioner.id,
        kb=kb,
        now=NOON,
    )


@pytest.fixture
def visit(
    db_session: Session, clinic: Clinic, practitioner: User, plan: TreatmentPlan, kb: KnowledgeBase
) -> TreatmentSession:
    sign_current_consent(db_session, clinic.id, plan.client_id, plan.procedure_id, kb)
    data = SessionCreate(practitioner_id=practitioner.id, scheduled_at=NOON)
    return schedule_treatment_session(
        session=db_session,
        clinic_id=clinic.id,
        plan_id=plan.id,
        data=data,
        kb=kb,
        actor=practitioner.id,
    )


def sign_current_consent(
    session: Session,
    clinic_id: int,
    client_id: int,
    procedure_id: str,
    kb: KnowledgeBase,
    *,
    patch_tested: bool = True,
) -> None:
    """The client signs the procedure's consent as it reads now, in English, and (for a
    procedure that asks for one) has a patch test read with no reaction before NOON's day."""
    text = current_consent(kb, kb.procedure(procedure_id), "en")
    data = ConsentCreate(
        text_version=text.version,
        text_sha256=text.sha256,
        signer_name="Ana Lopez",
        signed_at=NOON,
        procedure_id=procedure_id,
        signature_method="typed",
        signed_text=text.text,
    )
    record_consent(session=session, clinic_id=clinic_id, client_id=client_id, data=data, actor=None)
    if patch_tested:
        negative_patch_test(session, clinic_id, client_id, procedure_id, kb, first_session=NOON)
