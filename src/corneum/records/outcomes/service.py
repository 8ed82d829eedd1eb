"""Recording and reading outcomes and photos of sessions, scoped by clinic and audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction, selectinload

from corneum.records.clients.tables import Client
from corneum.records.errors import ConflictError, NotFoundError
from corneum.records.outcomes.photos import PhotoStore
from corneum.records.outcomes.schemas import OutcomeCreate, PhotoCreate
from corneum.records.outcomes.tables import LESION_TYPES, Outcome, OutcomeGrade, OutcomePhoto
from corneum.records.sessions.tables import TreatmentSession
from corneum.records.tenancy import audit_client, find_client, find_owned

UNSAVED_PHOTOS = "corneum.unsaved_photos"
"""``Session.info`` key: image files written in the open transaction, deleted unless it commits."""


@dataclass(frozen=True, slots=True)
class CourseOutcome:
    """An outcome with the time of the session it belongs to."""

    outcome: Outcome
    session_scheduled_at: datetime


def record_outcome(
    *,
    session: Session,
    clinic_id: int,
    treatment_session_id: int,
    data: OutcomeCreate,
    actor: int | None,
) -> Outcome:
    """Record the one outcome of a session; a second one is a conflict."""
    visit, client = _find_visit(session, clinic_id, treatment_session_id)
    if _outcome_of(session, visit.id) is not None:
        raise ConflictError("session_id", "this session already has an outcome")
    return _create(session, visit, client, data, actor)


def save_outcome(
    *,
    session: Session,
    clinic_id: int,
    treatment_session_id: int,
    data: OutcomeCreate,
    actor: int | None,
) -> Outcome:
    """Record the session's outcome, or replace what it holds (counts, grades, note) with
    ``data``: the correction of a count or a grade after the session."""
    visit, client = _find_visit(session, clinic_id, treatment_session_id)
    outcome = _outcome_of(session, visit.id)
    if outcome is None:
        return _create(session, visit, client, data, actor)
    for kind in LESION_TYPES:
        setattr(outcome, kind, getattr(data, kind))
    outcome.note = data.note
    outcome.grades.clear()
    session.flush()  # the old grades go before new ones take their (scale, area)
    outcome.grades.extend(_grades(data))
    outcome.recorded_by = actor
    session.flush()
    _audit(session, actor, "update", client, outcome)
    return outcome


def get_outcome(
    *, session: Session, clinic_id: int, treatment_session_id: int, actor: int | None
) -> Outcome:
    visit, client = _find_visit(session, clinic_id, treatment_session_id)
    outcome = _outcome_of(session, visit.id)
    if outcome is None:
        raise NotFoundError("outcome of session", visit.id)
    _audit(session, actor, "read", client, outcome)
    return outcome


def find_outcome(
    *, session: Session, clinic_id: int, treatment_session_id: int, actor: int | None
) -> Outcome | None:
    """The session's outcome (its reading audited), or None while none is recorded."""
    try:
        return get_outcome(
            session=session,
            clinic_id=clinic_id,
            treatment_session_id=treatment_session_id,
            actor=actor,
        )
    except NotFoundError as exc:
        if exc.resource != "outcome of session":
            raise
        return None


def list_outcomes(
    *, session: Session, clinic_id: int, client_id: int, actor: int | None
) -> list[CourseOutcome]:
    """The outcomes of the client's course, by session time."""
    client = find_client(session=session, clinic_id=clinic_id, client_id=client_id)
    statement = (
        select(Outcome, TreatmentSession.scheduled_at)
        .join(TreatmentSession, TreatmentSession.id == Outcome.session_id)
        .where(TreatmentSession.client_id == client.id)
        .order_by(TreatmentSession.scheduled_at, TreatmentSession.id)
        .options(selectinload(Outcome.grades))
    )
    found = [CourseOutcome(row, at) for row, at in session.execute(statement)]
    audit_client(session, actor=actor, action="read", client=client, resource="outcomes")
    return found


def outcomes_of(session: Session, client_id: int) -> list[Outcome]:
    """Every outcome of the client's sessions, oldest first."""
    statement = (
        select(Outcome)
        .join(TreatmentSession, TreatmentSession.id == Outcome.session_id)
        .where(TreatmentSession.client_id == client_id)
        .order_by(Outcome.id)
        .options(selectinload(Outcome.grades))
    )
    return list(session.scalars(statement))


def photos_of(session: Session, client_id: int) -> list[OutcomePhoto]:
    """Every photo of the client's sessions, oldest first; not audited (for export, erasure)."""
    statement = (
        select(OutcomePhoto)
        .join(TreatmentSession, TreatmentSession.id == OutcomePhoto.session_id)
        .where(TreatmentSession.client_id == client_id)
        .order_by(OutcomePhoto.id)
    )
    return list(session.scalars(statement))


def add_photo(
    *,
    session: Session,
    clinic_id: int,
    treatment_session_id: int,
    data: PhotoCreate,
    image: bytes,
    store: PhotoStore,
    actor: int | None,
    now: datetime,
) -> OutcomePhoto:
    """Check and store the image on disk, then its metadata. The file is written first, so a
    row never names a missing file; if the transaction then does not commit, the file is
    deleted again (see :func:`_drop_unsaved_photos`)."""
    visit, client = _find_visit(session, clinic_id, treatment_session_id)
    stored = store.save(image)
    session.info.setdefault(UNSAVED_PHOTOS, []).append((store, stored.file_name))
    photo = OutcomePhoto(
        session_id=visit.id,
        area=data.area,
        moment=data.moment,
        taken_at=data.taken_at or now,
        content_type=stored.content_type,
        sha256=stored.sha256,
        size_bytes=stored.size_bytes,
        file_name=stored.file_name,
        uploaded_by=actor,
    )
    session.add(photo)
    session.flush()
    audit_client(
        session, actor=actor, action="create", client=client, resource="photo", resource_id=photo.id
    )
    return photo


def list_photos(
    *, session: Session, clinic_id: int, treatment_session_id: int, actor: int | None
) -> list[OutcomePhoto]:
    visit, client = _find_visit(session, clinic_id, treatment_session_id)
    photos = list(
        session.scalars(
            select(OutcomePhoto)
            .where(OutcomePhoto.session_id == visit.id)
            .order_by(OutcomePhoto.id)
        )
    )
    audit_client(
        session, actor=actor, action="read", client=client, resource="photos", resource_id=visit.id
    )
    return photos


def client_photos(
    *, session: Session, clinic_id: int, client_id: int, actor: int | None
) -> list[OutcomePhoto]:
    """Every photo of the client's sessions, by session time then upload."""
    client = find_client(session=session, clinic_id=clinic_id, client_id=client_id)
    statement = (
        select(OutcomePhoto)
        .join(TreatmentSession, TreatmentSession.id == OutcomePhoto.session_id)
        .where(TreatmentSession.client_id == client.id)
        .order_by(TreatmentSession.scheduled_at, OutcomePhoto.id)
    )
    photos = list(session.scalars(statement))
    audit_client(session, actor=actor, action="read", client=client, resource="photos")
    return photos


def get_photo(
    *, session: Session, clinic_id: int, photo_id: int, actor: int | None
) -> OutcomePhoto:
    """A photo of the clinic's client, its viewing audited; another clinic's is not found."""
    statement = (
        select(OutcomePhoto, Client)
        .join(TreatmentSession, TreatmentSession.id == OutcomePhoto.session_id)
        .join(Client, Client.id == TreatmentSession.client_id)
        .where(OutcomePhoto.id == photo_id, Client.clinic_id == clinic_id)
    )
    found = session.execute(statement).first()
    if found is None:
        raise NotFoundError("photo", photo_id)
    photo, client = found
    audit_client(
        session, actor=actor, action="read", client=client, resource="photo", resource_id=photo.id
    )
    return photo


def _find_visit(
    session: Session, clinic_id: int, treatment_session_id: int
) -> tuple[TreatmentSession, Client]:
    return find_owned(
        session, TreatmentSession, treatment_session_id, clinic_id=clinic_id, resource="session"
    )


def _create(
    session: Session,
    visit: TreatmentSession,
    client: Client,
    data: OutcomeCreate,
    actor: int | None,
) -> Outcome:
    counts = {kind: getattr(data, kind) for kind in LESION_TYPES}
    outcome = Outcome(
        session_id=visit.id, recorded_by=actor, note=data.note, grades=_grades(data), **counts
    )
    session.add(outcome)
    session.flush()
    _audit(session, actor, "create", client, outcome)
    return outcome


def _grades(data: OutcomeCreate) -> list[OutcomeGrade]:
    return [OutcomeGrade(scale=g.scale, area=g.area, value=g.value) for g in data.grades]


def _audit(
    session: Session,
    actor: int | None,
    action: Literal["read", "create", "update"],
    client: Client,
    outcome: Outcome,
) -> None:
    audit_client(
        session,
        actor=actor,
        action=action,
        client=client,
        resource="outcome",
        resource_id=outcome.id,
    )


def _outcome_of(session: Session, treatment_session_id: int) -> Outcome | None:
    return session.scalar(
        select(Outcome)
        .where(Outcome.session_id == treatment_session_id)
        .options(selectinload(Outcome.grades))
    )


@event.listens_for(Session, "after_commit")
def _keep_saved_photos(session: Session) -> None:
    session.info.pop(UNSAVED_PHOTOS, None)


@event.listens_for(Session, "after_transaction_end")
def _drop_unsaved_photos(session: Session, transaction: SessionTransaction) -> None:
    """When a session's outermost transaction ends without a commit (rolled back, or closed
    after an error), the image files it wrote name no row: delete them."""
    if transaction.parent is not None:
        return
    for store, file_name in session.info.pop(UNSAVED_PHOTOS, []):
        store.delete(file_name)
