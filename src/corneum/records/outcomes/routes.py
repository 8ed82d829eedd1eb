"""The outcome of a session over HTTP; practitioners only, one outcome per session."""

from __future__ import annotations

from fastapi import APIRouter, status

from corneum.api.deps import PathId, Practitioner, SessionDep
from corneum.records.outcomes import service
from corneum.records.outcomes.schemas import OutcomeCreate, OutcomeRead

router = APIRouter(prefix="/api/sessions", tags=["outcomes"])


@router.post(
    "/{session_id}/outcome", status_code=status.HTTP_201_CREATED, response_model=OutcomeRead
)
def record_outcome(
    session_id: PathId, data: OutcomeCreate, user: Practitioner, session: SessionDep
) -> OutcomeRead:
    """Lesion counts by type, a grade and a note; a second outcome for a session is 409."""
    outcome = service.record_outcome(
        session=session,
        clinic_id=user.clinic_id,
        treatment_session_id=session_id,
        data=data,
        actor=user.id,
    )
    return OutcomeRead.model_validate(outcome)


@router.get("/{session_id}/outcome", response_model=OutcomeRead)
def get_outcome(session_id: PathId, user: Practitioner, session: SessionDep) -> OutcomeRead:
    """The session's outcome; 404 while none is recorded."""
    outcome = service.get_outcome(
        session=session, clinic_id=user.clinic_id, treatment_session_id=session_id, actor=user.id
    )
    return OutcomeRead.model_validate(outcome)
