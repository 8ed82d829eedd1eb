"""Scheduling treatment sessions and recording them as they happen; scoped and audited."""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from corneum.records.accounts.tables import User
from corneum.records.audit.tables import Action
from corneum.records.clients.service import audit_client, find_client, find_owned, read_owned
from corneum.records.clients.tables import Client
from corneum.records.errors import ConflictError, NotFoundError
from corneum.records.plans.tables import TreatmentPlan
from corneum.records.sessions.schemas import (
    AdverseEventCreate,
    ObservationCreate,
    ProductCreate,
    SessionCreate,
    SessionUpdate,
    StageCreate,
    StageEnd,
)
from corneum.records.sessions.tables import (
    AdverseEvent,
    Observation,
    PerformedStage,
    ProductUse,
    TreatmentSession,
)

Detail = TypeVar("Detail", PerformedStage, ProductUse, Observation, AdverseEvent)

WITH_DETAILS = (
    selectinload(TreatmentSession.stages),
    selectinload(TreatmentSession.products),
    selectinload(TreatmentSession.observations),
    selectinload(TreatmentSession.adverse_events),
)


def schedule_treatment_session(
    *, session: Session, clinic_id: int, plan_id: int, data: SessionCreate, actor: int | None
) -> TreatmentSession:
    """Book a session of a plan with a practitioner of the same clinic."""
    plan, client = find_owned(session, TreatmentPlan, plan_id, clinic_id=clinic_id, resource="plan")
    _check_practitioner(session, clinic_id, data.practitioner_id)
    visit = TreatmentSession(plan_id=plan.id, client_id=client.id, **data.model_dump())
    session.add(visit)
    session.flush()
    audit_client(
        session,
        actor=actor,
        action="create",
        client=client,
        resource="session",
        resource_id=visit.id,
    )
    return visit


def get_treatment_session(
    *, session: Session, clinic_id: int, treatment_session_id: int, actor: int | None
) -> TreatmentSession:
    """The session with its stages, products, observations and adverse events."""
    return read_owned(
        session,
        TreatmentSession,
        treatment_session_id,
        clinic_id=clinic_id,
        resource="session",
        actor=actor,
    )


def list_treatment_sessions(
    *, session: Session, clinic_id: int, client_id: int, actor: int | None
) -> list[TreatmentSession]:
    """The client's sessions by scheduled time, each with what was recorded in it."""
    client = find_client(session=session, clinic_id=clinic_id, client_id=client_id)
    audit_client(session, actor=actor, action="read", client=client, resource="session")
    return sessions_of(session, client.id)


def sessions_of(session: Session, client_id: int) -> list[TreatmentSession]:
    statement = (
        select(TreatmentSession)
        .where(TreatmentSession.client_id == client_id)
        .order_by(TreatmentSession.scheduled_at, TreatmentSession.id)
        .options(*WITH_DETAILS)
    )
    return list(session.scalars(statement))


def update_treatment_session(
    *,
    session: Session,
    clinic_id: int,
    treatment_session_id: int,
    data: SessionUpdate,
    actor: int | None,
) -> TreatmentSession:
    visit, client = find_owned(
        session, TreatmentSession, treatment_session_id, clinic_id=clinic_id, resource="session"
    )
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    if "practitioner_id" in changes:
        _check_practitioner(session, clinic_id, changes["practitioner_id"])
    for field, value in changes.items():
        setattr(visit, field, value)
    session.flush()
    audit_client(
        session,
        actor=actor,
        action="update",
        client=client,
        resource="session",
        resource_id=visit.id,
        detail={"fields": sorted(changes)},
    )
    return visit


def record_stage(
    *,
    session: Session,
    clinic_id: int,
    treatment_session_id: int,
    data: StageCreate,
    actor: int | None,
) -> PerformedStage:
    """Record a protocol stage as performed; a stage is recorded once per session (409)."""
    # Find the session first: another clinic's session must be 404 before any 409 tells it apart.
    find_owned(
        session, TreatmentSession, treatment_session_id, clinic_id=clinic_id, resource="session"
    )
    taken = select(PerformedStage.id).where(
        PerformedStage.session_id == treatment_session_id,
        PerformedStage.stage_index == data.stage_index,
    )
    if session.scalar(taken) is not None:
        raise ConflictError("stage_index", "this stage is already recorded for the session")
    row = PerformedStage(**data.model_dump())
    return _add_detail(session, clinic_id, treatment_session_id, "stages", row, actor)


def start_stage(
    *,
    session: Session,
    clinic_id: int,
    treatment_session_id: int,
    stage_index: int,
    name: str,
    now: datetime,
    actor: int | None,
) -> PerformedStage:
    """Start a protocol stage at ``now``; the first stage started puts a scheduled session
    under way (status ``in_progress``, ``started_at`` set)."""
    data = StageCreate(stage_index=stage_index, name=name, started_at=now)
    row = record_stage(
        session=session,
        clinic_id=clinic_id,
        treatment_session_id=treatment_session_id,
        data=data,
        actor=actor,
    )
    visit = session.get(TreatmentSession, treatment_session_id)
    if visit is not None and visit.status == "scheduled":
        update_treatment_session(
            session=session,
            clinic_id=clinic_id,
            treatment_session_id=treatment_session_id,
            data=SessionUpdate(status="in_progress", started_at=visit.started_at or now),
            actor=actor,
        )
    return row


def end_stage(
    *,
    session: Session,
    clinic_id: int,
    treatment_session_id: int,
    stage_index: int,
    data: StageEnd,
    actor: int | None,
) -> PerformedStage:
    """Check off a performed stage: its end, which may not come before its start (409). A
    stage ended again takes the new end, so a slip of the finger can be corrected."""
    visit, client = find_owned(
        session, TreatmentSession, treatment_session_id, clinic_id=clinic_id, resource="session"
    )
    row = session.scalar(
        select(PerformedStage).where(
            PerformedStage.session_id == visit.id, PerformedStage.stage_index == stage_index
        )
    )
    if row is None:
        raise NotFoundError("stage", stage_index)
    if data.ended_at < row.started_at:
        raise ConflictError("ended_at", "the stage cannot end before it started")
    row.ended_at = data.ended_at
    session.flush()
    _audit_detail(session, actor=actor, action="update", client=client, visit=visit, row=row)
    return row


def complete_session(
    *,
    session: Session,
    clinic_id: int,
    treatment_session_id: int,
    now: datetime,
    actor: int | None,
) -> TreatmentSession:
    """Mark the session completed at ``now`` (it started then too, if no stage was started)."""
    visit, _ = find_owned(
        session, TreatmentSession, treatment_session_id, clinic_id=clinic_id, resource="session"
    )
    data = SessionUpdate(status="completed", started_at=visit.started_at or now, ended_at=now)
    return update_treatment_session(
        session=session,
        clinic_id=clinic_id,
        treatment_session_id=treatment_session_id,
        data=data,
        actor=actor,
    )


def record_product(
    *,
    session: Session,
    clinic_id: int,
    treatment_session_id: int,
    data: ProductCreate,
    actor: int | None,
) -> ProductUse:
    row = ProductUse(**data.model_dump())
    return _add_detail(session, clinic_id, treatment_session_id, "products", row, actor)


def record_observation(
    *,
    session: Session,
    clinic_id: int,
    treatment_session_id: int,
    data: ObservationCreate,
    actor: int | None,
) -> Observation:
    row = Observation(**data.model_dump())
    return _add_detail(session, clinic_id, treatment_session_id, "observations", row, actor)


def record_adverse_event(
    *,
    session: Session,
    clinic_id: int,
    treatment_session_id: int,
    data: AdverseEventCreate,
    actor: int | None,
) -> AdverseEvent:
    row = AdverseEvent(**data.model_dump())
    return _add_detail(session, clinic_id, treatment_session_id, "adverse_events", row, actor)


def _add_detail(
    session: Session,
    clinic_id: int,
    treatment_session_id: int,
    collection: str,
    row: Detail,
    actor: int | None,
) -> Detail:
    visit, client = find_owned(
        session, TreatmentSession, treatment_session_id, clinic_id=clinic_id, resource="session"
    )
    getattr(visit, collection).append(row)
    session.flush()
    _audit_detail(session, actor=actor, action="create", client=client, visit=visit, row=row)
    return row


def _audit_detail(
    session: Session,
    *,
    actor: int | None,
    action: Action,
    client: Client,
    visit: TreatmentSession,
    row: PerformedStage | ProductUse | Observation | AdverseEvent,
) -> None:
    """Audit a stage, product, observation or adverse event under the session it belongs to."""
    audit_client(
        session,
        actor=actor,
        action=action,
        client=client,
        resource=row.__tablename__,
        resource_id=row.id,
        detail={"session_id": visit.id},
    )


def _check_practitioner(session: Session, clinic_id: int, user_id: int) -> None:
    user = session.get(User, user_id)
    if user is None or user.clinic_id != clinic_id or not user.active:
        raise ConflictError("practitioner_id", "no active user of this clinic has this id")
    if user.role != "practitioner":
        raise ConflictError("practitioner_id", "the user is not a practitioner")
