"""Records the areas' tests start from: two clinics, a practitioner, a client, a plan, a session."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session

from corneum.records.accounts.schemas import ClinicCreate, UserCreate
from corneum.records.accounts.service import create_clinic, create_user
from corneum.records.accounts.tables import Clinic, User
from corneum.records.clients.schemas import ClientCreate
from corneum.records.clients.service import create_client
from corneum.records.clients.tables import Client
from corneum.records.plans.schemas import PlanCreate
from corneum.records.plans.service import create_plan
from corneum.records.plans.tables import TreatmentPlan
from corneum.records.sessions.schemas import SessionCreate
from corneum.records.sessions.service import schedule_treatment_session
from corneum.records.sessions.tables import TreatmentSession

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
    db_session: Session, clinic: Clinic, practitioner: User, client_record: Client
) -> TreatmentPlan:
    data = PlanCreate(procedure_id="atraumatic_back_cleansing", sessions_planned=4)
    return create_plan(
        session=db_session,
        clinic_id=clinic.id,
        client_id=client_record.id,
        data=data,
        actor=practitioner.id,
    )


@pytest.fixture
def visit(
    db_session: Session, clinic: Clinic, practitioner: User, plan: TreatmentPlan
) -> TreatmentSession:
    data = SessionCreate(practitioner_id=practitioner.id, scheduled_at=NOON)
    return schedule_treatment_session(
        session=db_session, clinic_id=clinic.id, plan_id=plan.id, data=data, actor=practitioner.id
    )
