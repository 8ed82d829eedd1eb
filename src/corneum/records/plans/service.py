"""Treatment plans, scoped by clinic and audited."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from corneum.records.clients.service import (
    audit_client,
    find_client,
    find_owned,
    owned_rows,
    read_owned,
)
from corneum.records.consultations.tables import Consultation
from corneum.records.errors import NotFoundError
from corneum.records.plans.schemas import PlanCreate, PlanSummaryRead, PlanUpdate
from corneum.records.plans.tables import TreatmentPlan
from corneum.records.sessions.tables import TreatmentSession

BOOKED = frozenset({"scheduled", "in_progress"})
"""Session statuses that hold a place in the calendar."""


def create_plan(
    *, session: Session, clinic_id: int, client_id: int, data: PlanCreate, actor: int | None
) -> TreatmentPlan:
    client = find_client(session=session, clinic_id=clinic_id, client_id=client_id)
    if data.consultation_id is not None:
        consultation = session.get(Consultation, data.consultation_id)
        if consultation is None or consultation.client_id != client.id:
            raise NotFoundError("consultation", data.consultation_id)
    plan = TreatmentPlan(client_id=client.id, created_by=actor, **data.model_dump())
    session.add(plan)
    session.flush()
    audit_client(
        session, actor=actor, action="create", client=client, resource="plan", resource_id=plan.id
    )
    return plan


def get_plan(*, session: Session, clinic_id: int, plan_id: int, actor: int | None) -> TreatmentPlan:
    return read_owned(
        session, TreatmentPlan, plan_id, clinic_id=clinic_id, resource="plan", actor=actor
    )


def list_plans(
    *, session: Session, clinic_id: int, client_id: int, actor: int | None
) -> list[TreatmentPlan]:
    client = find_client(session=session, clinic_id=clinic_id, client_id=client_id)
    audit_client(session, actor=actor, action="read", client=client, resource="plan")
    return owned_rows(session, TreatmentPlan, client.id)


def update_plan(
    *, session: Session, clinic_id: int, plan_id: int, data: PlanUpdate, actor: int | None
) -> TreatmentPlan:
    plan, client = find_owned(session, TreatmentPlan, plan_id, clinic_id=clinic_id, resource="plan")
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    for field, value in changes.items():
        setattr(plan, field, value)
    session.flush()
    audit_client(
        session,
        actor=actor,
        action="update",
        client=client,
        resource="plan",
        resource_id=plan.id,
        detail={"fields": sorted(changes)},
    )
    return plan


def list_plan_summaries(
    *, session: Session, clinic_id: int, client_id: int, actor: int | None
) -> list[PlanSummaryRead]:
    """The client's plans as reception sees them, with how many sessions are booked and done."""
    plans = list_plans(session=session, clinic_id=clinic_id, client_id=client_id, actor=actor)
    counts = _session_counts(session, [plan.id for plan in plans])
    return [
        PlanSummaryRead(
            id=plan.id,
            client_id=plan.client_id,
            procedure_id=plan.procedure_id,
            status=plan.status,
            sessions_planned=plan.sessions_planned,
            sessions_booked=counts[plan.id, "booked"],
            sessions_completed=counts[plan.id, "completed"],
        )
        for plan in plans
    ]


def _session_counts(session: Session, plan_ids: list[int]) -> Counter[tuple[int, str]]:
    """Sessions per plan: ``(plan_id, "booked")`` (scheduled or under way), ``"completed"``."""
    statement = (
        select(TreatmentSession.plan_id, TreatmentSession.status, func.count())
        .where(TreatmentSession.plan_id.in_(plan_ids))
        .group_by(TreatmentSession.plan_id, TreatmentSession.status)
    )
    counts: Counter[tuple[int, str]] = Counter()
    for plan_id, visit_status, count in session.execute(statement):
        if visit_status in BOOKED:
            counts[plan_id, "booked"] += count
        elif visit_status == "completed":
            counts[plan_id, "completed"] += count
    return counts
