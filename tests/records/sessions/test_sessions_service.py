"""Plans, sessions and what is recorded in them, and the one outcome of a session."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy.orm import Session

from corneum.knowledge import KnowledgeBase
from corneum.records.accounts.schemas import UserCreate
from corneum.records.accounts.service import create_user
from corneum.records.accounts.tables import Clinic, User
from corneum.records.clients.tables import Client
from corneum.records.errors import ConflictError, NotFoundError
from corneum.records.outcomes.schemas import GradeCreate, OutcomeCreate
from corneum.records.outcomes.service import get_outcome, record_outcome
from corneum.records.plans.schemas import PlanCreate, PlanUpdate
from corneum.records.plans.service import create_plan, list_plan_summaries, list_plans, update_plan
from corneum.records.plans.tables import TreatmentPlan
from corneum.records.sessions import service
from corneum.records.sessions.schemas import (
    AdverseEventCreate,
    ObservationCreate,
    ProductCreate,
    SessionCreate,
    SessionRead,
    StageCreate,
)
from corneum.records.sessions.tables import TreatmentSession

START = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_a_plan_names_a_known_procedure() -> None:
    with pytest.raises(ValidationError, match="unknown procedure"):
        PlanCreate(procedure_id="hot_stone_massage", sessions_planned=3)


def test_a_plan_is_listed_and_its_status_changes(
    db_session: Session, clinic: Clinic, client_record: Client, plan: TreatmentPlan
) -> None:
    ids: dict[str, Any] = {"session": db_session, "clinic_id": clinic.id}
    assert list_plans(**ids, client_id=client_record.id, actor=None) == [plan]
    with pytest.raises(ConflictError, match="follows its sessions: it is planned"):
        update_plan(**ids, plan_id=plan.id, data=PlanUpdate(status="active"), actor=None)
    update_plan(**ids, plan_id=plan.id, data=PlanUpdate(status="cancelled"), actor=None)
    assert plan.status == "cancelled"


def test_a_plan_cannot_follow_another_clients_consultation(
    db_session: Session, clinic: Clinic, client_record: Client, kb: KnowledgeBase
) -> None:
    with pytest.raises(NotFoundError, match="consultation 12345"):
        create_plan(
            session=db_session,
            clinic_id=clinic.id,
            client_id=client_record.id,
            data=PlanCreate(
                procedure_id="chemical_peel", sessions_planned=2, consultation_id=12345
            ),
            actor=None,
            kb=kb,
            now=START,
        )


def test_a_session_needs_a_practitioner_of_the_clinic(
    db_session: Session,
    clinic: Clinic,
    other_clinic: Clinic,
    plan: TreatmentPlan,
    password: str,
    kb: KnowledgeBase,
) -> None:
    reception = create_user(
        session=db_session,
        clinic_id=clinic.id,
        data=UserCreate.model_validate(
            {"email": "desk@example.org", "password": password, "role": "reception"}
        ),
        actor=None,
    )
    for user_id, reason in [(reception.id, "not a practitioner"), (99_999, "no active user")]:
        with pytest.raises(ConflictError, match=reason):
            service.schedule_treatment_session(
                session=db_session,
                clinic_id=clinic.id,
                plan_id=plan.id,
                data=SessionCreate(practitioner_id=user_id, scheduled_at=START),
                kb=kb,
                actor=None,
            )


def test_a_session_records_stages_products_observations_and_adverse_events(
    db_session: Session,
    clinic: Clinic,
    practitioner: User,
    visit: TreatmentSession,
    kb: KnowledgeBase,
) -> None:
    ids: dict[str, Any] = {
        "session": db_session,
        "clinic_id": clinic.id,
        "treatment_session_id": visit.id,
    }
    for index, name in enumerate(["cleansing", "steaming"]):
        stage = StageCreate(
            stage_index=index, name=name, started_at=START + timedelta(minutes=index * 10)
        )
        service.record_stage(**ids, data=stage, kb=kb, now=START, actor=practitioner.id)
    service.record_product(
        **ids,
        data=ProductCreate(name="Salicylic gel", lot_number="L-2291", stage_index=0),
        kb=kb,
        actor=practitioner.id,
    )
    service.record_observation(
        **ids, data=ObservationCreate(observed_at=START, text="mild redness"), actor=None
    )
    service.record_adverse_event(
        **ids,
        data=AdverseEventCreate(occurred_at=START, kind="erythema", severity="mild"),
        actor=None,
    )
    db_session.expire_all()
    read = SessionRead.model_validate(service.get_treatment_session(**ids, actor=None))
    assert [s.name for s in read.stages] == ["cleansing", "steaming"]
    assert read.products[0].lot_number == "L-2291"
    assert read.observations[0].text == "mild redness"
    assert read.adverse_events[0].severity == "mild"


def test_a_stage_is_recorded_once(
    db_session: Session, clinic: Clinic, visit: TreatmentSession, kb: KnowledgeBase
) -> None:
    ids: dict[str, Any] = {
        "session": db_session,
        "clinic_id": clinic.id,
        "treatment_session_id": visit.id,
    }
    stage = StageCreate(stage_index=0, name="cleansing", started_at=START)
    service.record_stage(**ids, data=stage, kb=kb, now=START, actor=None)
    with pytest.raises(ConflictError, match="stage_index"):
        service.record_stage(**ids, data=stage, kb=kb, now=START, actor=None)


def test_a_stage_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValidationError, match="ended_at is before started_at"):
        StageCreate(stage_index=0, name="x", started_at=START, ended_at=START - timedelta(1))


def test_a_naive_time_is_refused_by_the_schema() -> None:
    with pytest.raises(ValidationError, match="timezone"):
        SessionCreate(practitioner_id=1, scheduled_at=datetime(2026, 11, 23, 12, 0))


def test_a_session_has_one_outcome(
    db_session: Session, clinic: Clinic, visit: TreatmentSession
) -> None:
    ids: dict[str, Any] = {
        "session": db_session,
        "clinic_id": clinic.id,
        "treatment_session_id": visit.id,
    }
    grade = GradeCreate(scale="cass", area="back", value=2)
    data = OutcomeCreate(open_comedones=12, papules=3, grades=[grade])
    record_outcome(**ids, data=data, actor=None)
    assert get_outcome(**ids, actor=None).open_comedones == 12
    with pytest.raises(ConflictError, match="already has an outcome"):
        record_outcome(**ids, data=data, actor=None)


def test_another_clinic_cannot_touch_a_session(
    db_session: Session, other_clinic: Clinic, visit: TreatmentSession
) -> None:
    with pytest.raises(NotFoundError, match=f"session {visit.id} not found"):
        service.record_observation(
            session=db_session,
            clinic_id=other_clinic.id,
            treatment_session_id=visit.id,
            data=ObservationCreate(observed_at=START, text="x"),
            actor=None,
        )


def test_another_clinic_is_told_not_found_before_a_taken_stage_conflicts(
    db_session: Session,
    clinic: Clinic,
    other_clinic: Clinic,
    visit: TreatmentSession,
    kb: KnowledgeBase,
) -> None:
    stage = StageCreate(stage_index=0, name="cleansing", started_at=START)
    ids: dict[str, Any] = {
        "session": db_session,
        "treatment_session_id": visit.id,
        "actor": None,
        "kb": kb,
        "now": START,
    }
    service.record_stage(**ids, clinic_id=clinic.id, data=stage)
    with pytest.raises(NotFoundError, match="session"):
        service.record_stage(**ids, clinic_id=other_clinic.id, data=stage)


def test_reception_sees_plans_with_booked_and_completed_session_counts(
    db_session: Session,
    clinic: Clinic,
    client_record: Client,
    visit: TreatmentSession,
    kb: KnowledgeBase,
) -> None:
    ids: dict[str, Any] = {"session": db_session, "clinic_id": clinic.id, "actor": None}
    later = SessionCreate(practitioner_id=visit.practitioner_id, scheduled_at=START)
    service.schedule_treatment_session(**ids, plan_id=visit.plan_id, data=later, kb=kb)
    visit.status = "completed"
    (summary,) = list_plan_summaries(**ids, client_id=client_record.id)
    assert (summary.sessions_planned, summary.sessions_booked, summary.sessions_completed) == (
        4,
        1,
        1,
    )
