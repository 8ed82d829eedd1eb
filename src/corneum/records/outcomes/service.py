"""Recording and reading the outcome of a session, scoped by clinic and audited."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from corneum.records.clients.service import audit_client, find_owned
from corneum.records.errors import ConflictError, NotFoundError
from corneum.records.outcomes.schemas import OutcomeCreate
from corneum.records.outcomes.tables import Outcome
from corneum.records.sessions.tables import TreatmentSession


def record_outcome(
    *,
    session: Session,
    clinic_id: int,
    treatment_session_id: int,
    data: OutcomeCreate,
    actor: int | None,
) -> Outcome:
    """Record the one outcome of a session."""
    visit, client = find_owned(
        session, TreatmentSession, treatment_session_id, clinic_id=clinic_id, resource="session"
    )
    if _outcome_of(session, visit.id) is not None:
        raise ConflictError("session_id", "this session already has an outcome")
    outcome = Outcome(session_id=visit.id, recorded_by=actor, **data.model_dump())
    session.add(outcome)
    session.flush()
    audit_client(
        session,
        actor=actor,
        action="create",
        client=client,
        resource="outcome",
        resource_id=outcome.id,
    )
    return outcome


def get_outcome(
    *, session: Session, clinic_id: int, treatment_session_id: int, actor: int | None
) -> Outcome:
    visit, client = find_owned(
        session, TreatmentSession, treatment_session_id, clinic_id=clinic_id, resource="session"
    )
    outcome = _outcome_of(session, visit.id)
    if outcome is None:
        raise NotFoundError("outcome of session", visit.id)
    audit_client(
        session,
        actor=actor,
        action="read",
        client=client,
        resource="outcome",
        resource_id=outcome.id,
    )
    return outcome


def outcomes_of(session: Session, client_id: int) -> list[Outcome]:
    """Every outcome of the client's sessions, oldest first."""
    statement = (
        select(Outcome)
        .join(TreatmentSession, TreatmentSession.id == Outcome.session_id)
        .where(TreatmentSession.client_id == client_id)
        .order_by(Outcome.id)
    )
    return list(session.scalars(statement))


def _outcome_of(session: Session, treatment_session_id: int) -> Outcome | None:
    return session.scalar(select(Outcome).where(Outcome.session_id == treatment_session_id))
