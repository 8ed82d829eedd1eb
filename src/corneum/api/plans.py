"""Treatment plans over HTTP. Practitioners write and read plans in full; reception lists a
client's plans as :class:`PlanSummaryRead` (procedure, status, session counts) to book sessions."""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter, status

from corneum.http.deps import (
    ClockDep,
    KnowledgeDep,
    Paged,
    PathId,
    Practitioner,
    SessionDep,
    Staff,
)
from corneum.records.plans import service
from corneum.records.plans.schemas import PlanCreate, PlanRead, PlanSummaryRead, PlanUpdate

router = APIRouter(prefix="/api", tags=["plans"])


@router.post(
    "/clients/{client_id}/plans", status_code=status.HTTP_201_CREATED, response_model=PlanRead
)
def create_plan(
    client_id: PathId,
    data: PlanCreate,
    user: Practitioner,
    session: SessionDep,
    kb: KnowledgeDep,
    clock: ClockDep,
) -> PlanRead:
    """A course of one procedure, optionally following a consultation of the same client. The
    client is screened for it as of today: a contraindicated procedure is refused (409 with
    its ``reasons``)."""
    plan = service.create_plan(
        session=session,
        clinic_id=user.clinic_id,
        client_id=client_id,
        data=data,
        actor=user.id,
        kb=kb,
        now=clock(),
    )
    return service.plan_read(plan, session=session, clinic_id=user.clinic_id, kb=kb, now=clock())


@router.get("/clients/{client_id}/plans", response_model=list[PlanRead | PlanSummaryRead])
def list_plans(
    client_id: PathId, user: Staff, session: SessionDep, page: Paged, kb: KnowledgeDep,
    clock: ClockDep,
) -> list[PlanRead] | list[PlanSummaryRead]:  # fmt: skip
    """The client's plans, oldest first: in full for a practitioner, as summaries for reception."""
    if user.role == "practitioner":
        rows = service.list_plans(
            session=session, clinic_id=user.clinic_id, client_id=client_id, actor=user.id
        )
        read = partial(service.plan_read, session=session, clinic_id=user.clinic_id, kb=kb)
        return page([read(row, now=clock()) for row in rows])
    return page(
        service.list_plan_summaries(
            session=session, clinic_id=user.clinic_id, client_id=client_id, actor=user.id
        )
    )


@router.get("/plans/{plan_id}", response_model=PlanRead)
def get_plan(
    plan_id: PathId, user: Practitioner, session: SessionDep, kb: KnowledgeDep, clock: ClockDep
) -> PlanRead:
    """The plan, with what its course asks for before the first session (``pre_steps``: a
    patch test, the days it may be applied on, and whether it is recorded and read)."""
    plan = service.get_plan(
        session=session, clinic_id=user.clinic_id, plan_id=plan_id, actor=user.id
    )
    return service.plan_read(plan, session=session, clinic_id=user.clinic_id, kb=kb, now=clock())


@router.patch("/plans/{plan_id}", response_model=PlanRead)
def update_plan(
    plan_id: PathId, data: PlanUpdate, user: Practitioner, session: SessionDep, kb: KnowledgeDep,
    clock: ClockDep,
) -> PlanRead:  # fmt: skip
    """Change the number of sessions, the status or the note."""
    plan = service.update_plan(
        session=session, clinic_id=user.clinic_id, plan_id=plan_id, data=data, actor=user.id
    )
    return service.plan_read(plan, session=session, clinic_id=user.clinic_id, kb=kb, now=clock())
