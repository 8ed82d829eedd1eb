"""A course is screened session by session, as of each session's day, and a refusal leaves
nothing behind: not even the sessions before the one refused, and without the caller rolling
anything back."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from corneum.knowledge import KnowledgeBase
from corneum.records.calendar.bookings.tables import Booking, BookingHold
from corneum.records.calendar.courses import service as courses
from corneum.records.calendar.courses.schemas import ScheduleRequest
from corneum.records.clients import service as clients
from corneum.records.clients.schemas import HistoryEntryCreate
from corneum.records.plans.tables import TreatmentPlan
from corneum.records.reminders.tables import OutboxMessage
from corneum.records.screening.service import ContraindicatedError
from tests.records.calendar.conftest import NOW, Setup


def test_a_course_refused_at_its_third_session_books_none_of_it(
    db_session: Session, setup: Setup, plan: TreatmentPlan, kb: KnowledgeBase
) -> None:
    # A sunburn is expected from the second week of December: the first sessions are clear.
    sunburn = HistoryEntryCreate(condition_code="sunburn", started_on=date(2026, 12, 10))
    clients.add_history_entry(
        session=db_session,
        clinic_id=setup.clinic_id,
        client_id=plan.client_id,
        data=sunburn,
        actor=None,
    )
    request = ScheduleRequest(first_day=date(2026, 11, 30), confirm=True)
    with pytest.raises(ContraindicatedError) as refused:
        courses.schedule_plan(
            session=db_session,
            clinic_id=setup.clinic_id,
            kb=kb,
            plan_id=plan.id,
            data=request,
            actor=None,
            now=NOW,
        )
    assert refused.value.screening.on == date(2026, 12, 14)
    assert [r["code"] for r in refused.value.reasons] == ["sunburn"]
    for table in (Booking, BookingHold, OutboxMessage):
        assert db_session.scalar(select(func.count()).select_from(table)) == 0
