"""The plan's pre-step read model (issue 11): the patch test's window counted back from the
first session once booked, else from the earliest day the course may start, and what the
patch tests applied in it show; the course proposal starts no sooner than the step allows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy.orm import Session

from corneum.knowledge import KnowledgeBase
from corneum.records.accounts.tables import Clinic, User
from corneum.records.clients.tables import Client
from corneum.records.clinic_time import clinic_clock
from corneum.records.patch_tests.schemas import PreStepRead
from corneum.records.patch_tests.service import course_start, plan_pre_steps
from corneum.records.plans.schemas import PlanCreate
from corneum.records.plans.service import create_plan, plan_read
from corneum.records.plans.tables import TreatmentPlan
from tests.records.conftest import NOON
from tests.records.patch_tests.test_patch_tests_service import booked, patch_test

TODAY = NOON.date()


def step_of(
    db_session: Session, clinic: Clinic, plan: TreatmentPlan, kb: KnowledgeBase
) -> PreStepRead:
    (step,) = plan_pre_steps(session=db_session, clinic_id=clinic.id, plan=plan, kb=kb, now=NOON)
    return step


def test_an_unbooked_plan_counts_the_window_back_from_tomorrow(
    db_session: Session, clinic: Clinic, plan: TreatmentPlan, kb: KnowledgeBase
) -> None:
    step = step_of(db_session, clinic, plan, kb)
    assert (step.id, step.days_before_min, step.days_before_max) == ("patch_test", 1, 14)
    assert (step.first_session_on, step.counted_from) == (None, date(2026, 11, 24))
    assert (step.earliest, step.latest) == (date(2026, 11, 10), date(2026, 11, 23))
    assert (step.state, step.patch_test_id, step.source) == ("missing", None, "S1")


def test_a_booked_first_session_sets_the_window(
    db_session: Session, clinic: Clinic, practitioner: User, plan: TreatmentPlan, kb: KnowledgeBase
) -> None:
    booked(db_session, clinic, practitioner, plan, kb, at=NOON + timedelta(days=7))
    step = step_of(db_session, clinic, plan, kb)
    assert (step.first_session_on, step.counted_from) == (date(2026, 11, 30), date(2026, 11, 30))
    assert (step.earliest, step.latest) == (date(2026, 11, 16), date(2026, 11, 29))


@pytest.mark.parametrize(
    ("result", "state"), [(None, "recorded"), ("no_reaction", "read"), ("reaction", "reaction")]
)
def test_the_state_follows_the_test_in_the_window(
    db_session: Session,
    clinic: Clinic,
    client_record: Client,
    plan: TreatmentPlan,
    kb: KnowledgeBase,
    result: str | None,
    state: str,
) -> None:
    test_id = patch_test(db_session, clinic, client_record, kb, days_before=2, result=result)
    step = step_of(db_session, clinic, plan, kb)
    assert (step.state, step.patch_test_id) == (state, test_id)


def test_a_reaction_outweighs_a_negative_reading_and_an_old_test_does_not_count(
    db_session: Session,
    clinic: Clinic,
    client_record: Client,
    plan: TreatmentPlan,
    kb: KnowledgeBase,
) -> None:
    patch_test(db_session, clinic, client_record, kb, days_before=20)
    assert step_of(db_session, clinic, plan, kb).state == "missing"
    patch_test(db_session, clinic, client_record, kb, days_before=3)
    reaction = patch_test(db_session, clinic, client_record, kb, days_before=2, result="reaction")
    step = step_of(db_session, clinic, plan, kb)
    assert (step.state, step.patch_test_id) == ("reaction", reaction)


def test_a_test_of_another_procedure_does_not_fill_the_plans_step(
    db_session: Session,
    clinic: Clinic,
    client_record: Client,
    plan: TreatmentPlan,
    kb: KnowledgeBase,
) -> None:
    patch_test(db_session, clinic, client_record, kb, days_before=2, procedure="chemical_peel")
    assert step_of(db_session, clinic, plan, kb).state == "missing"


def test_the_course_starts_the_steps_shortest_wait_after_a_test_applied_ahead(
    db_session: Session,
    clinic: Clinic,
    client_record: Client,
    plan: TreatmentPlan,
    kb: KnowledgeBase,
) -> None:
    clock = clinic_clock(db_session, clinic.id)
    start = course_start(db_session, plan=plan, kb=kb, clock=clock, now=NOON)
    assert start == TODAY + timedelta(days=1)
    patch_test(db_session, clinic, client_record, kb, days_before=-5, result=None)
    later = course_start(db_session, plan=plan, kb=kb, clock=clock, now=NOON)
    assert later == TODAY + timedelta(days=5 + 1)
    step = step_of(db_session, clinic, plan, kb)
    assert (step.counted_from, step.state) == (later, "recorded")


def test_a_reaction_or_an_expired_test_does_not_move_the_course(
    db_session: Session,
    clinic: Clinic,
    client_record: Client,
    plan: TreatmentPlan,
    kb: KnowledgeBase,
) -> None:
    patch_test(db_session, clinic, client_record, kb, days_before=-5, result="reaction")
    patch_test(db_session, clinic, client_record, kb, days_before=30)
    clock = clinic_clock(db_session, clinic.id)
    assert course_start(db_session, plan=plan, kb=kb, clock=clock, now=NOON) == TODAY + timedelta(
        days=1
    )


def test_a_procedure_without_pre_steps_has_none_and_the_read_model_carries_them(
    db_session: Session,
    clinic: Clinic,
    practitioner: User,
    client_record: Client,
    plan: TreatmentPlan,
    kb: KnowledgeBase,
) -> None:
    data = PlanCreate(procedure_id="microdermabrasion", sessions_planned=1, area="back")
    other = create_plan(
        session=db_session, clinic_id=clinic.id, client_id=client_record.id, data=data,
        actor=practitioner.id, kb=kb, now=NOON,
    )  # fmt: skip
    scope = {"session": db_session, "clinic_id": clinic.id, "kb": kb, "now": NOON}
    assert plan_read(other, **scope).pre_steps == []  # type: ignore[arg-type]
    read = plan_read(plan, **scope)  # type: ignore[arg-type]
    assert [(s.id, s.state) for s in read.pre_steps] == [("patch_test", "missing")]
