"""Outcomes in the web app, practitioners only: the entry form of a session (lesion counts,
grades per scale and area, photos) and a client's course (chart, table, photos compared).

Photos are shown from ``/api/photos/{id}``, which checks the viewer and audits each viewing. The
pages read the knowledge base in the user's language: a translated view has the same codes and
scales, so a posted form is checked the same against it, and what is saved holds codes only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile
from starlette.responses import Response

from corneum.http.deps import ClockDep, PathId, PhotoStoreDep, SessionDep
from corneum.knowledge import KnowledgeBase
from corneum.records.accounts.tables import User
from corneum.records.clients import service as clients
from corneum.records.clinic_time import clinic_clock
from corneum.records.errors import InvalidInputError
from corneum.records.outcomes import service as outcomes
from corneum.records.outcomes.photos import PhotoStore
from corneum.records.outcomes.schemas import PhotoCreate
from corneum.records.sessions import service as sessions
from corneum.records.sessions.tables import TreatmentSession
from corneum.web import messages
from corneum.web.access import Csrf, PagePractitioner
from corneum.web.choices import Choice, vocabulary_choices
from corneum.web.forms import Form, see_other, text
from corneum.web.i18n import day_in
from corneum.web.outcomes import texts as outcome_texts
from corneum.web.outcomes.course import course_view
from corneum.web.outcomes.form import (
    OutcomeAnswers,
    answers_from_outcome,
    read_outcome,
    scale_fields,
)
from corneum.web.scope import ClientScope
from corneum.web.shown import ShownKnowledge
from corneum.web.templating import render

router = APIRouter(include_in_schema=False)


def _visit(session: SessionDep, user: User, session_id: int) -> TreatmentSession:
    return sessions.get_treatment_session(
        session=session, clinic_id=user.clinic_id, treatment_session_id=session_id, actor=user.id
    )


def entry_page(
    request: Request,
    *,
    user: User,
    session: SessionDep,
    kb: KnowledgeBase,
    visit: TreatmentSession,
    answers: OutcomeAnswers,
    photo: dict[str, str] | None = None,
    photo_errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    photos = outcomes.list_photos(
        session=session, clinic_id=user.clinic_id, treatment_session_id=visit.id, actor=user.id
    )
    context = {
        "user": user,
        "visit": visit,
        "answers": answers,
        "lesions": kb.lesions,
        "scales": scale_fields(kb),
        "photos": photos,
        "photo": photo or {},
        "photo_errors": photo_errors or {},
        "areas": vocabulary_choices(kb, "areas"),
        "moments": [Choice(key, label) for key, label in outcome_texts.MOMENTS.items()],
        "moment_labels": outcome_texts.MOMENTS,
        "area_labels": {code: kb.label(code) for code in kb.codes("areas")},
    }
    return render(request, "outcome_entry.html", context, status_code=status_code)


@router.get("/sessions/{session_id}/outcome")
def entry(
    request: Request,
    session_id: PathId,
    user: PagePractitioner,
    session: SessionDep,
    kb: ShownKnowledge,
) -> Response:
    """The session's outcome form, filled in with what is saved."""
    visit = _visit(session, user, session_id)
    saved = outcomes.find_outcome(
        session=session, clinic_id=user.clinic_id, treatment_session_id=visit.id, actor=user.id
    )
    answers = answers_from_outcome(saved)
    return entry_page(request, user=user, session=session, kb=kb, visit=visit, answers=answers)


@router.post("/sessions/{session_id}/outcome", dependencies=[Csrf])
def submit(
    request: Request,
    session_id: PathId,
    user: PagePractitioner,
    session: SessionDep,
    kb: ShownKnowledge,
    form: Form,
) -> Response:
    """Save the outcome (replacing what was saved); on an error nothing changes and the form
    comes back as typed, the error beside its field."""
    visit = _visit(session, user, session_id)
    answers, data = read_outcome(form, kb)
    if data is not None:
        outcomes.save_outcome(
            session=session,
            clinic_id=user.clinic_id,
            treatment_session_id=visit.id,
            data=data,
            actor=user.id,
        )
        return see_other(f"/clients/{visit.client_id}/outcomes")
    return entry_page(
        request,
        user=user,
        session=session,
        kb=kb,
        visit=visit,
        answers=answers,
        status_code=422,
    )


@router.post("/sessions/{session_id}/photos", dependencies=[Csrf])
def upload(
    request: Request,
    session_id: PathId,
    user: PagePractitioner,
    session: SessionDep,
    kb: ShownKnowledge,
    clock: ClockDep,
    store: PhotoStoreDep,
    form: Form,
) -> Response:
    """Store a before or after photo; a wrong area, moment or file is said beside its field."""
    visit = _visit(session, user, session_id)
    fields = {"area": text(form, "area"), "moment": text(form, "moment")}
    errors = _photo_problems(fields, kb)
    image = _image_of(form, store)
    if not errors:
        try:
            outcomes.add_photo(
                session=session,
                clinic_id=user.clinic_id,
                treatment_session_id=visit.id,
                data=PhotoCreate.model_validate(fields),
                image=image,
                store=store,
                actor=user.id,
                now=clock(),
            )
        except InvalidInputError:
            errors["file"] = outcome_texts.PHOTO_FILE_INVALID
        else:
            return see_other(f"/sessions/{visit.id}/outcome#photos")
    saved = outcomes.find_outcome(
        session=session, clinic_id=user.clinic_id, treatment_session_id=visit.id, actor=user.id
    )
    return entry_page(
        request,
        user=user,
        session=session,
        kb=kb,
        visit=visit,
        answers=answers_from_outcome(saved),
        photo=fields,
        photo_errors=errors,
        status_code=422,
    )


def _photo_problems(fields: dict[str, str], kb: KnowledgeBase) -> dict[str, str]:
    errors = {}
    if fields["area"] not in kb.codes("areas"):
        errors["area"] = messages.CHOOSE_FROM_LIST
    if fields["moment"] not in outcome_texts.MOMENTS:
        errors["moment"] = messages.CHOOSE_FROM_LIST
    return errors


def _image_of(form: FormData, store: PhotoStore) -> bytes:
    """The uploaded file's bytes, at most one more than the limit (enough to refuse it)."""
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        return b""
    upload.file.seek(0)
    return upload.file.read(store.max_bytes + 1)


@router.get("/clients/{client_id}/outcomes")
def course(
    request: Request,
    client_id: PathId,
    user: PagePractitioner,
    session: SessionDep,
    kb: ShownKnowledge,
) -> Response:
    """The client's course: counts and grades charted by session, the same as a table, the
    sessions with links to their outcome, and photos compared before/after by area."""
    scope = ClientScope(
        session=session, clinic_id=user.clinic_id, client_id=client_id, actor=user.id
    )
    client = clients.get_client(**scope)
    visits = sessions.list_treatment_sessions(**scope)
    course_outcomes = outcomes.list_outcomes(**scope)
    photos = outcomes.client_photos(**scope)
    times = {visit.id: visit.scheduled_at for visit in visits}
    context = {
        "user": user,
        "client": client,
        "visits": visits,
        "recorded": {item.outcome.session_id for item in course_outcomes},
        "course": course_view(kb, course_outcomes, photos, times, shown_day(session, user)),
        "moment_labels": outcome_texts.MOMENTS,
    }
    return render(request, "outcomes.html", context)


def shown_day(session: Session, user: User) -> Callable[[datetime], str]:
    """How ``user``'s language writes the day of a moment on the clinic's clock."""
    return partial(day_in, user.language, zone=clinic_clock(session, user.clinic_id).zone)
