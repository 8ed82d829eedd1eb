"""Scheduling treatment sessions and recording them as they happen; scoped and audited."""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from corneum.db.atomic import atomic
from corneum.knowledge import KnowledgeBase
from corneum.knowledge.model import Procedure
from corneum.phrase import N_, Phrase, Value
from corneum.records.accounts.tables import User
from corneum.records.audit.tables import Action
from corneum.records.calendar.bookings.service import CLOSED_PLANS, PLAN_CLOSED
from corneum.records.clients.tables import Client
from corneum.records.clinic_time import clinic_day
from corneum.records.errors import ConflictError, InvalidInputError, NotFoundError, Problem
from corneum.records.plans.tables import TreatmentPlan
from corneum.records.screening.service import require_screening
from corneum.records.sessions import protocol
from corneum.records.sessions.protocol import (  # offered here with the other session steps
    acknowledge_cautions as acknowledge_cautions,
)
from corneum.records.sessions.schemas import (
    AdverseEventCreate,
    ObservationCreate,
    ProductCreate,
    SessionCreate,
    SessionUpdate,
    StageCreate,
    StageEnd,
    StageSkip,
)
from corneum.records.sessions.tables import (
    AdverseEvent,
    Observation,
    PerformedStage,
    ProductUse,
    SessionStatus,
    TreatmentSession,
)
from corneum.records.tenancy import audit_client, find_client, find_owned, read_owned

STATUS_BY_WORK = N_(
    "session %(session)s is %(status)s and cannot be set to %(wanted)s: a session goes under "
    "way by its first stage and is completed once every stage is done or skipped"
)
Detail = TypeVar("Detail", PerformedStage, ProductUse, Observation, AdverseEvent)

WITH_DETAILS = (
    selectinload(TreatmentSession.stages),
    selectinload(TreatmentSession.products),
    selectinload(TreatmentSession.observations),
    selectinload(TreatmentSession.adverse_events),
)


@atomic
def schedule_treatment_session(
    *,
    session: Session,
    clinic_id: int,
    plan_id: int,
    data: SessionCreate,
    kb: KnowledgeBase,
    actor: int | None,
) -> TreatmentSession:
    """Book a session of a plan with a practitioner of the same clinic, the client screened
    for its day (a contraindication refuses; the cautions go with the session)."""
    plan, client = find_owned(session, TreatmentPlan, plan_id, clinic_id=clinic_id, resource="plan")
    if plan.status in CLOSED_PLANS:
        raise ConflictError("plan_id", Phrase(PLAN_CLOSED[plan.status], {"plan": plan.id}))
    _check_practitioner(session, clinic_id, data.practitioner_id)
    screening = require_screening(
        session=session, clinic_id=clinic_id, client_id=client.id, procedure_id=plan.procedure_id,
        area=plan.area, on=clinic_day(session, clinic_id, data.scheduled_at), kb=kb, actor=actor,
    )  # fmt: skip
    visit = TreatmentSession(
        plan_id=plan.id, client_id=client.id, cautions=screening.stored_cautions(),
        **data.model_dump(),
    )  # fmt: skip
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


@atomic
def update_treatment_session(
    *,
    session: Session,
    clinic_id: int,
    treatment_session_id: int,
    data: SessionUpdate,
    kb: KnowledgeBase,
    actor: int | None,
) -> TreatmentSession:
    """Change the time, the practitioner or the status. A status follows the work: a session
    goes under way by its first stage, is completed only with every stage done or skipped,
    and only one not yet started may be cancelled or marked a no-show."""
    visit, client = find_owned(
        session, TreatmentSession, treatment_session_id, clinic_id=clinic_id, resource="session"
    )
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    if "practitioner_id" in changes:
        _check_practitioner(session, clinic_id, changes["practitioner_id"])
    wanted = changes.get("status")
    if wanted is not None and wanted != visit.status:
        _may_become(session, visit, wanted, kb)
    for field, value in changes.items():
        setattr(visit, field, value)
    session.flush()
    if wanted == "completed":
        protocol.after_completion(session, visit)
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


def _may_become(
    session: Session, visit: TreatmentSession, wanted: SessionStatus, kb: KnowledgeBase
) -> None:
    if wanted == "completed" and visit.status == "in_progress":
        protocol.check_complete(session, visit, kb)
        return
    if wanted in {"cancelled", "no_show"} and visit.status == "scheduled":
        return
    values: dict[str, Value] = {"session": visit.id, "status": visit.status, "wanted": wanted}
    raise ConflictError("status", Phrase(STATUS_BY_WORK, values))


def record_stage(
    *,
    session: Session,
    clinic_id: int,
    treatment_session_id: int,
    data: StageCreate,
    kb: KnowledgeBase,
    now: datetime,
    actor: int | None,
) -> PerformedStage:
    """Record the next protocol stage as performed (see :mod:`.protocol` for the rules: the
    order of stages, and what the first one waits for)."""
    return protocol.start_or_record_stage(
        session=session, clinic_id=clinic_id, treatment_session_id=treatment_session_id,
        data=data, kb=kb, now=now, actor=actor,
    )  # fmt: skip


def start_stage(
    *,
    session: Session,
    clinic_id: int,
    treatment_session_id: int,
    stage_index: int,
    name: str,
    kb: KnowledgeBase,
    now: datetime,
    actor: int | None,
) -> PerformedStage:
    """Start a protocol stage at ``now``; the first stage started puts a scheduled session
    under way (status ``in_progress``, ``started_at`` set)."""
    data = StageCreate(stage_index=stage_index, name=name, started_at=now)
    return record_stage(
        session=session, clinic_id=clinic_id, treatment_session_id=treatment_session_id,
        data=data, kb=kb, now=now, actor=actor,
    )  # fmt: skip


def skip_stage(
    *,
    session: Session,
    clinic_id: int,
    treatment_session_id: int,
    stage_index: int,
    data: StageSkip,
    kb: KnowledgeBase,
    now: datetime,
    actor: int | None,
) -> PerformedStage:
    """Record the next stage as not performed, with the reason; in order, like any stage."""
    name = kb_stage_name(session, treatment_session_id, stage_index, kb)
    stage = StageCreate(stage_index=stage_index, name=name, started_at=now, ended_at=now)
    return protocol.start_or_record_stage(
        session=session, clinic_id=clinic_id, treatment_session_id=treatment_session_id,
        data=stage, kb=kb, now=now, actor=actor, skipped=data,
    )  # fmt: skip


def kb_stage_name(
    session: Session, treatment_session_id: int, stage_index: int, kb: KnowledgeBase
) -> str:
    """The stage's name in the knowledge base, or its number for one the procedure lacks (the
    order check then refuses it, naming the stages there are)."""
    plan_id = select(TreatmentSession.plan_id).where(TreatmentSession.id == treatment_session_id)
    procedure_id = session.scalar(
        select(TreatmentPlan.procedure_id).where(TreatmentPlan.id.in_(plan_id))
    )
    stages = kb.procedure(procedure_id).stages if procedure_id else ()
    return stages[stage_index].name if stage_index < len(stages) else f"stage {stage_index}"


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
    kb: KnowledgeBase,
    now: datetime,
    actor: int | None,
) -> TreatmentSession:
    """Mark the session completed at ``now``: every stage must be done or skipped (409)."""
    data = SessionUpdate(status="completed", ended_at=now)
    return update_treatment_session(
        session=session,
        clinic_id=clinic_id,
        treatment_session_id=treatment_session_id,
        data=data,
        kb=kb,
        actor=actor,
    )


def record_product(
    *,
    session: Session,
    clinic_id: int,
    treatment_session_id: int,
    data: ProductCreate,
    kb: KnowledgeBase,
    actor: int | None,
) -> ProductUse:
    """A product used, with its lot number and, for an agent of the procedure, which one (422
    on ``agent`` naming the procedure's agents for any other)."""
    if data.agent is not None:
        agents = [use.agent for use in _procedure_of(session, treatment_session_id, kb).agent_uses]
        if data.agent not in agents:
            message = f"choose one of the procedure's agents: {'; '.join(agents) or 'none'}"
            problem = Problem(loc=("body", "agent"), msg=message, type="value_error")
            raise InvalidInputError([problem])
    row = ProductUse(**data.model_dump())
    return _add_detail(session, clinic_id, treatment_session_id, "products", row, actor)


def _procedure_of(session: Session, treatment_session_id: int, kb: KnowledgeBase) -> Procedure:
    plan_id = select(TreatmentSession.plan_id).where(TreatmentSession.id == treatment_session_id)
    procedure_id = session.scalar(
        select(TreatmentPlan.procedure_id).where(TreatmentPlan.id.in_(plan_id))
    )
    if procedure_id is None:
        raise NotFoundError("session", treatment_session_id)
    return kb.procedure(procedure_id)


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
