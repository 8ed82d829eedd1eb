"""Patch tests before a course (issue 11): recorded with their product and lot, read once, and
waited for by the first stage of a course's first session of a procedure that asks for one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from corneum.knowledge import KnowledgeBase
from corneum.records.accounts.tables import Clinic, User
from corneum.records.clients.tables import Client
from corneum.records.errors import ConflictError, InvalidInputError, NotFoundError
from corneum.records.patch_tests.schemas import PatchReading, PatchTestCreate
from corneum.records.patch_tests.service import (
    list_patch_tests,
    read_patch_test,
    record_patch_test,
)
from corneum.records.plans.schemas import PlanCreate
from corneum.records.plans.service import create_plan
from corneum.records.plans.tables import TreatmentPlan
from corneum.records.screening.service import ContraindicatedError
from corneum.records.sessions import service as sessions
from corneum.records.sessions.schemas import SessionCreate, StageCreate
from corneum.records.sessions.tables import TreatmentSession
from tests.records.conftest import NOON, sign_current_consent

PROCEDURE = "atraumatic_back_cleansing"
NO_STEP = "microdermabrasion"


def patch_test(
    db_session: Session,
    clinic: Clinic,
    client: Client,
    kb: KnowledgeBase,
    *,
    days_before: int,
    result: str | None = "no_reaction",
    procedure: str = PROCEDURE,
) -> int:
    applied = NOON - timedelta(days=days_before)
    reading = (
        PatchReading.model_validate(
            {"read_at": applied + timedelta(hours=1), "result": result, "note": "wheals, itching"}
        )
        if result
        else None
    )
    data = PatchTestCreate(
        procedure_id=procedure, product="Enzyme powder", lot_number="PT-7",
        applied_at=applied, reading=reading,
    )  # fmt: skip
    row = record_patch_test(
        session=db_session, clinic_id=clinic.id, client_id=client.id, data=data, kb=kb, actor=None
    )
    return row.id


def booked(
    db_session: Session, clinic: Clinic, practitioner: User, plan: TreatmentPlan, kb: KnowledgeBase,
    at: datetime = NOON,
) -> TreatmentSession:  # fmt: skip
    data = SessionCreate(practitioner_id=practitioner.id, scheduled_at=at)
    return sessions.schedule_treatment_session(
        session=db_session, clinic_id=clinic.id, plan_id=plan.id, data=data, kb=kb, actor=None
    )


def start(db_session: Session, clinic: Clinic, visit: TreatmentSession, kb: KnowledgeBase) -> Any:
    stage = StageCreate(stage_index=0, name="first", started_at=visit.scheduled_at)
    return sessions.record_stage(
        session=db_session, clinic_id=clinic.id, treatment_session_id=visit.id, data=stage,
        kb=kb, now=visit.scheduled_at, actor=None,
    )  # fmt: skip


@pytest.fixture
def unpatched(
    db_session: Session, clinic: Clinic, practitioner: User, plan: TreatmentPlan, kb: KnowledgeBase
) -> TreatmentSession:
    """A first session with its consent signed and no patch test."""
    sign_current_consent(
        db_session, clinic.id, plan.client_id, plan.procedure_id, kb, patch_tested=False
    )
    return booked(db_session, clinic, practitioner, plan, kb)


def test_the_first_stage_is_refused_without_a_patch_test(
    db_session: Session, clinic: Clinic, unpatched: TreatmentSession, kb: KnowledgeBase
) -> None:
    with pytest.raises(ConflictError) as refused:
        start(db_session, clinic, unpatched, kb)
    assert refused.value.field == "patch_test"
    assert "2026-11-09 to 2026-11-22" in refused.value.message
    assert unpatched.status == "scheduled"


@pytest.mark.parametrize("days_before", [0, 15, 30])
def test_a_patch_test_outside_its_window_does_not_count(
    db_session: Session,
    clinic: Clinic,
    client_record: Client,
    unpatched: TreatmentSession,
    kb: KnowledgeBase,
    days_before: int,
) -> None:
    patch_test(db_session, clinic, client_record, kb, days_before=days_before)
    with pytest.raises(ConflictError) as refused:
        start(db_session, clinic, unpatched, kb)
    assert refused.value.field == "patch_test"


def test_an_unread_patch_test_does_not_count(
    db_session: Session,
    clinic: Clinic,
    client_record: Client,
    unpatched: TreatmentSession,
    kb: KnowledgeBase,
) -> None:
    patch_test(db_session, clinic, client_record, kb, days_before=2, result=None)
    with pytest.raises(ConflictError, match="no patch test"):
        start(db_session, clinic, unpatched, kb)


@pytest.mark.parametrize("days_before", [1, 14])
def test_a_fresh_negative_patch_test_lets_the_first_stage_start(
    db_session: Session,
    clinic: Clinic,
    client_record: Client,
    unpatched: TreatmentSession,
    kb: KnowledgeBase,
    days_before: int,
) -> None:
    patch_test(db_session, clinic, client_record, kb, days_before=days_before)
    start(db_session, clinic, unpatched, kb)
    assert unpatched.status == "in_progress"


def test_a_reaction_is_screenings_intolerance_and_blocks_the_procedure(
    db_session: Session,
    clinic: Clinic,
    client_record: Client,
    unpatched: TreatmentSession,
    kb: KnowledgeBase,
) -> None:
    patch_test(db_session, clinic, client_record, kb, days_before=2, result="reaction")
    with pytest.raises(ContraindicatedError) as refused:
        start(db_session, clinic, unpatched, kb)
    assert "acid_intolerance" in {reason["code"] for reason in refused.value.reasons}


def test_a_later_session_of_the_course_does_not_wait_for_a_patch_test(
    db_session: Session,
    clinic: Clinic,
    practitioner: User,
    client_record: Client,
    plan: TreatmentPlan,
    unpatched: TreatmentSession,
    kb: KnowledgeBase,
) -> None:
    patch_test(db_session, clinic, client_record, kb, days_before=2)
    start(db_session, clinic, unpatched, kb)
    later = booked(db_session, clinic, practitioner, plan, kb, at=NOON + timedelta(days=30))
    start(db_session, clinic, later, kb)
    assert later.status == "in_progress"


def test_a_procedure_without_the_pre_step_is_not_gated(
    db_session: Session,
    clinic: Clinic,
    practitioner: User,
    client_record: Client,
    kb: KnowledgeBase,
) -> None:
    (procedure,) = [p for p in kb.procedures if p.id == "microdermabrasion"]
    assert not procedure.pre_steps
    data = PlanCreate(procedure_id=procedure.id, sessions_planned=1, area="back")
    plan = create_plan(
        session=db_session, clinic_id=clinic.id, client_id=client_record.id, data=data,
        actor=practitioner.id, kb=kb, now=NOON,
    )  # fmt: skip
    sign_current_consent(db_session, clinic.id, client_record.id, procedure.id, kb)
    visit = booked(db_session, clinic, practitioner, plan, kb)
    start(db_session, clinic, visit, kb)
    assert visit.status == "in_progress"


def test_a_patch_test_is_for_a_procedure_that_asks_for_one_and_one_of_its_agents(
    db_session: Session, clinic: Clinic, client_record: Client, kb: KnowledgeBase
) -> None:
    with pytest.raises(InvalidInputError) as no_step:
        patch_test(
            db_session, clinic, client_record, kb, days_before=2, procedure="microdermabrasion"
        )
    assert no_step.value.problems[0]["loc"] == ("body", "procedure_id")
    data = PatchTestCreate(
        procedure_id="chemical_peel", agent="phenol", product="P", lot_number="L",
        applied_at=NOON,
    )  # fmt: skip
    with pytest.raises(InvalidInputError) as not_an_agent:
        record_patch_test(
            session=db_session, clinic_id=clinic.id, client_id=client_record.id, data=data, kb=kb,
            actor=None,
        )  # fmt: skip
    assert not_an_agent.value.problems[0]["loc"] == ("body", "agent")
    assert "salicylic acid 20-30% in ethanol" in not_an_agent.value.problems[0]["msg"]


def test_a_patch_test_is_read_once_and_after_it_was_applied(
    db_session: Session, clinic: Clinic, client_record: Client, kb: KnowledgeBase
) -> None:
    test_id = patch_test(db_session, clinic, client_record, kb, days_before=2, result=None)
    where: dict[str, Any] = {"session": db_session, "clinic_id": clinic.id, "actor": None}
    early = PatchReading(read_at=NOON - timedelta(days=3), result="no_reaction")
    with pytest.raises(InvalidInputError) as too_early:
        read_patch_test(**where, patch_test_id=test_id, data=early)
    assert too_early.value.problems[0]["loc"] == ("body", "read_at")
    reading = PatchReading(read_at=NOON - timedelta(days=1), result="no_reaction")
    read = read_patch_test(**where, patch_test_id=test_id, data=reading)
    assert (read.result, read.read_at) == ("no_reaction", NOON - timedelta(days=1))
    with pytest.raises(ConflictError) as again:
        read_patch_test(**where, patch_test_id=test_id, data=reading)
    assert again.value.field == "result"
    (listed,) = list_patch_tests(
        session=db_session, clinic_id=clinic.id, client_id=client_record.id, actor=None
    )
    assert (listed.product, listed.lot_number) == ("Enzyme powder", "PT-7")


def test_a_reaction_needs_a_note() -> None:
    with pytest.raises(ValueError, match="a reaction needs a note"):
        PatchReading(read_at=datetime(2026, 11, 22, tzinfo=UTC), result="reaction")


def test_another_clinic_cannot_read_the_patch_test(
    db_session: Session,
    clinic: Clinic,
    other_clinic: Clinic,
    client_record: Client,
    kb: KnowledgeBase,
) -> None:
    test_id = patch_test(db_session, clinic, client_record, kb, days_before=2, result=None)
    reading = PatchReading(read_at=NOON, result="no_reaction")
    with pytest.raises(NotFoundError):
        read_patch_test(
            session=db_session, clinic_id=other_clinic.id, patch_test_id=test_id, data=reading,
            actor=None,
        )  # fmt: skip
