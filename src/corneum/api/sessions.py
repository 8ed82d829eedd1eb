"""Treatment sessions over HTTP. Reception books sessions and sees the bookings
(:class:`SessionBookingRead`); practitioners see and record everything that happens in them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, status

from corneum.http.deps import (
    ClockDep,
    KnowledgeDep,
    Paged,
    PathId,
    Practitioner,
    SessionDep,
    Staff,
)
from corneum.records.accounts.tables import User
from corneum.records.sessions import service
from corneum.records.sessions.schemas import (
    AcknowledgementCreate,
    AdverseEventCreate,
    AdverseEventRead,
    ObservationCreate,
    ObservationRead,
    ProductCreate,
    ProductRead,
    SessionBookingRead,
    SessionCreate,
    SessionRead,
    SessionUpdate,
    StageCreate,
    StageEnd,
    StageRead,
    StageSkip,
)
from corneum.records.sessions.tables import TreatmentSession

router = APIRouter(prefix="/api", tags=["sessions"])
CREATED = status.HTTP_201_CREATED
StageIndexPath = Annotated[int, Path(ge=0, le=100, description="A stage's place")]


def view(visit: TreatmentSession, user: User) -> SessionRead | SessionBookingRead:
    """The session as the user's role may see it."""
    if user.role == "practitioner":
        return SessionRead.model_validate(visit)
    return SessionBookingRead.model_validate(visit)


@router.post(
    "/plans/{plan_id}/sessions",
    status_code=CREATED,
    response_model=SessionRead | SessionBookingRead,
)
def schedule_session(
    plan_id: PathId, data: SessionCreate, user: Staff, session: SessionDep, kb: KnowledgeDep
) -> SessionRead | SessionBookingRead:
    """Book a session of the plan with a practitioner of the clinic (409 for anyone else),
    the client screened for its day (409 with ``reasons`` for a contraindication)."""
    visit = service.schedule_treatment_session(
        session=session,
        clinic_id=user.clinic_id,
        plan_id=plan_id,
        data=data,
        kb=kb,
        actor=user.id,
    )
    return view(visit, user)


@router.get("/clients/{client_id}/sessions", response_model=list[SessionRead | SessionBookingRead])
def list_sessions(
    client_id: PathId, user: Staff, session: SessionDep, page: Paged
) -> list[SessionRead | SessionBookingRead]:
    """The client's sessions by scheduled time."""
    rows = service.list_treatment_sessions(
        session=session, clinic_id=user.clinic_id, client_id=client_id, actor=user.id
    )
    return page([view(row, user) for row in rows])


@router.get("/sessions/{session_id}", response_model=SessionRead)
def get_session(session_id: PathId, user: Practitioner, session: SessionDep) -> SessionRead:
    """The session with its performed stages, products, observations and adverse events."""
    visit = service.get_treatment_session(
        session=session, clinic_id=user.clinic_id, treatment_session_id=session_id, actor=user.id
    )
    return SessionRead.model_validate(visit)


@router.patch("/sessions/{session_id}", response_model=SessionRead)
def update_session(
    session_id: PathId,
    data: SessionUpdate,
    user: Practitioner,
    session: SessionDep,
    kb: KnowledgeDep,
) -> SessionRead:
    """Change the fields given: the time, the practitioner, the status, start and end. The
    status follows the work (409 otherwise): ``completed`` once every stage is done or skipped,
    ``cancelled`` or ``no_show`` only before the first stage."""
    visit = service.update_treatment_session(
        session=session,
        clinic_id=user.clinic_id,
        treatment_session_id=session_id,
        data=data,
        kb=kb,
        actor=user.id,
    )
    return SessionRead.model_validate(visit)


@router.post("/sessions/{session_id}/stages", status_code=CREATED, response_model=StageRead)
def record_stage(
    session_id: PathId,
    data: StageCreate,
    user: Practitioner,
    session: SessionDep,
    kb: KnowledgeDep,
    clock: ClockDep,
) -> StageRead:
    """The next protocol stage as performed, in the procedure's order (409 otherwise). The
    first waits for the booking's day, finds no contraindication on screening that day, a
    consent signed in the current wording and every caution acknowledged (409 naming what is
    missing)."""
    row = service.record_stage(
        session=session,
        clinic_id=user.clinic_id,
        treatment_session_id=session_id,
        data=data,
        kb=kb,
        now=clock(),
        actor=user.id,
    )
    return StageRead.model_validate(row)


@router.post(
    "/sessions/{session_id}/stages/{stage_index}/skip",
    status_code=CREATED,
    response_model=StageRead,
)
def skip_stage(
    session_id: PathId,
    stage_index: StageIndexPath,
    data: StageSkip,
    user: Practitioner,
    session: SessionDep,
    kb: KnowledgeDep,
    clock: ClockDep,
) -> StageRead:
    """Record the next stage as not performed, with the reason (in order, like any stage)."""
    row = service.skip_stage(
        session=session,
        clinic_id=user.clinic_id,
        treatment_session_id=session_id,
        stage_index=stage_index,
        data=data,
        kb=kb,
        now=clock(),
        actor=user.id,
    )
    return StageRead.model_validate(row)


@router.post("/sessions/{session_id}/acknowledgement", response_model=SessionRead)
def acknowledge_cautions(
    session_id: PathId,
    data: AcknowledgementCreate,
    user: Practitioner,
    session: SessionDep,
    kb: KnowledgeDep,
    clock: ClockDep,
) -> SessionRead:
    """The practitioner acknowledges the cautions screening finds for the session's day
    (``reasons`` as ``rule|code``, all of them; an optional note). A contraindication cannot be
    acknowledged: 409 with its ``reasons``."""
    visit = service.acknowledge_cautions(
        session=session,
        clinic_id=user.clinic_id,
        treatment_session_id=session_id,
        data=data,
        kb=kb,
        now=clock(),
        actor=user.id,
    )
    return SessionRead.model_validate(visit)


@router.post("/sessions/{session_id}/complete", response_model=SessionRead)
def complete_session(
    session_id: PathId, user: Practitioner, session: SessionDep, kb: KnowledgeDep, clock: ClockDep
) -> SessionRead:
    """Complete the session now: every stage done or skipped (409 naming those left). Its
    booking becomes done and its plan moves on."""
    visit = service.complete_session(
        session=session,
        clinic_id=user.clinic_id,
        treatment_session_id=session_id,
        kb=kb,
        now=clock(),
        actor=user.id,
    )
    return SessionRead.model_validate(visit)


@router.patch("/sessions/{session_id}/stages/{stage_index}", response_model=StageRead)
def end_stage(
    session_id: PathId,
    stage_index: StageIndexPath,
    data: StageEnd,
    user: Practitioner,
    session: SessionDep,
) -> StageRead:
    """Check a performed stage off: its end time (404 for a stage not started, 409 for an end
    before its start)."""
    row = service.end_stage(
        session=session,
        clinic_id=user.clinic_id,
        treatment_session_id=session_id,
        stage_index=stage_index,
        data=data,
        actor=user.id,
    )
    return StageRead.model_validate(row)


@router.post("/sessions/{session_id}/products", status_code=CREATED, response_model=ProductRead)
def record_product(
    session_id: PathId, data: ProductCreate, user: Practitioner, session: SessionDep,
    kb: KnowledgeDep,
) -> ProductRead:  # fmt: skip
    """A product applied, with its lot number (a recall finds the clients by it) and, for one
    of the procedure's agents, which (its contact time runs the agent-timed stage's timer)."""
    row = service.record_product(
        session=session,
        clinic_id=user.clinic_id,
        treatment_session_id=session_id,
        data=data,
        kb=kb,
        actor=user.id,
    )
    return ProductRead.model_validate(row)


@router.post(
    "/sessions/{session_id}/observations", status_code=CREATED, response_model=ObservationRead
)
def record_observation(
    session_id: PathId, data: ObservationCreate, user: Practitioner, session: SessionDep
) -> ObservationRead:
    row = service.record_observation(
        session=session,
        clinic_id=user.clinic_id,
        treatment_session_id=session_id,
        data=data,
        actor=user.id,
    )
    return ObservationRead.model_validate(row)


@router.post(
    "/sessions/{session_id}/adverse-events", status_code=CREATED, response_model=AdverseEventRead
)
def record_adverse_event(
    session_id: PathId, data: AdverseEventCreate, user: Practitioner, session: SessionDep
) -> AdverseEventRead:
    row = service.record_adverse_event(
        session=session,
        clinic_id=user.clinic_id,
        treatment_session_id=session_id,
        data=data,
        actor=user.id,
    )
    return AdverseEventRead.model_validate(row)
