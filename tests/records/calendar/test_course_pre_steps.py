"""A course proposal leaves its patch test's shortest wait (issue 11): the first session falls
no sooner than a day after today, or after a patch test recorded for a later day."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from corneum.knowledge import KnowledgeBase
from corneum.records.calendar.courses import service as courses
from corneum.records.calendar.courses.schemas import ScheduleRequest
from corneum.records.patch_tests.schemas import PatchTestCreate
from corneum.records.patch_tests.service import record_patch_test
from corneum.records.plans.tables import TreatmentPlan
from tests.records.calendar.conftest import NOW, Setup


def first_proposed(
    db_session: Session, kb: KnowledgeBase, setup: Setup, plan: TreatmentPlan, first_day: date
) -> date:
    proposal = courses.schedule_plan(
        session=db_session, clinic_id=setup.clinic_id, kb=kb, plan_id=plan.id,
        data=ScheduleRequest(first_day=first_day), actor=None, now=NOW,
    )  # fmt: skip
    return proposal.slots[0].start.date()


def test_the_first_session_waits_a_day_after_a_patch_test_applied_ahead(
    db_session: Session, kb: KnowledgeBase, setup: Setup, plan: TreatmentPlan
) -> None:
    tuesday = date(2026, 11, 24)
    assert first_proposed(db_session, kb, setup, plan, tuesday) == tuesday
    data = PatchTestCreate(
        procedure_id=plan.procedure_id, product="Enzyme powder", lot_number="PT-9",
        applied_at=datetime(2026, 11, 26, 9, 0, tzinfo=UTC),
    )  # fmt: skip
    record_patch_test(
        session=db_session, clinic_id=setup.clinic_id, client_id=plan.client_id, data=data,
        kb=kb, actor=None,
    )  # fmt: skip
    assert first_proposed(db_session, kb, setup, plan, tuesday) == date(2026, 11, 27)
