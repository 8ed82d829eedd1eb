"""The consultation wizard and the assessment it stores; practitioners only."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from corneum.http.deps import ClockDep, KnowledgeDep, PathId, SessionDep
from corneum.knowledge import KnowledgeBase
from corneum.phrase import N_, Phrase
from corneum.records import tenancy
from corneum.records.accounts.tables import User
from corneum.records.clinic_time import clinic_day
from corneum.records.consultations import service as consultations
from corneum.records.errors import InvalidInputError
from corneum.web.access import Csrf, PagePractitioner
from corneum.web.choices import phototype_choices, vocabulary_choices
from corneum.web.consultations.wizard import Answers, answers_from_record, read_answers
from corneum.web.forms import Form, see_other
from corneum.web.shown import ShownKnowledge
from corneum.web.templating import render
from corneum.web.verdicts import ReasonTexts, numbered_sources, procedure_views, reason_view

router = APIRouter(include_in_schema=False)
ELSEWHERE = N_("%(condition)s (elsewhere on the body)")


def wizard_page(
    request: Request,
    *,
    user: User,
    client_id: int,
    answers: Answers,
    kb: KnowledgeBase,
    status_code: int = 200,
) -> Response:
    context = {
        "user": user,
        "client_id": client_id,
        "answers": answers,
        "skin_types": vocabulary_choices(kb, "skin_types"),
        "phototypes": phototype_choices(kb),
        "areas": vocabulary_choices(kb, "areas"),
        "concerns": vocabulary_choices(kb, "concerns"),
        "conditions": vocabulary_choices(kb, "conditions"),
        "medications": vocabulary_choices(kb, "medications"),
        "allergies": vocabulary_choices(kb, "allergies"),
        "risk_factors": vocabulary_choices(kb, "risk_factors"),
    }
    return render(request, "wizard.html", context, status_code=status_code)


@router.get("/clients/{client_id}/consultations/new")
def start(
    request: Request,
    client_id: PathId,
    user: PagePractitioner,
    session: SessionDep,
    shown: ShownKnowledge,
    clock: ClockDep,
) -> Response:
    """The wizard, filled in with what the client's record already holds."""
    answers = answers_from_record(
        session=session,
        clinic_id=user.clinic_id,
        client_id=client_id,
        actor=user.id,
        today=clinic_day(session, user.clinic_id, clock()),
    )
    return wizard_page(request, user=user, client_id=client_id, answers=answers, kb=shown)


@router.post("/clients/{client_id}/consultations/new", dependencies=[Csrf])
def submit(
    request: Request,
    client_id: PathId,
    user: PagePractitioner,
    session: SessionDep,
    kb: KnowledgeDep,
    shown: ShownKnowledge,
    clock: ClockDep,
    form: Form,
) -> Response:
    """Store the answers and the assessment, then show it; errors go beside their fields."""
    tenancy.find_client(session=session, clinic_id=user.clinic_id, client_id=client_id)
    today = clinic_day(session, user.clinic_id, clock())
    answers, request_ = read_answers(form, today)
    if request_ is not None:
        try:
            consultation = consultations.consult(
                session=session,
                clinic_id=user.clinic_id,
                client_id=client_id,
                data=request_,
                today=today,
                actor=user.id,
                kb=kb,
            )
        except InvalidInputError as exc:
            answers.errors = {str(p["loc"][-1]): p["msg"] for p in exc.problems}
        else:
            return see_other(f"/consultations/{consultation.id}")
    session.rollback()
    return wizard_page(
        request, user=user, client_id=client_id, answers=answers, kb=shown, status_code=422
    )


def condition_label(kb: KnowledgeBase, entry: str | Mapping[str, Any]) -> str | Phrase:
    """A stored condition by its label: a bare code is in the treated area, an object may say
    it is elsewhere on the body."""
    if isinstance(entry, str):
        return kb.label(entry)
    label = kb.label(str(entry["code"]))
    return label if entry.get("in_treated_area", True) else Phrase(ELSEWHERE, {"condition": label})


@router.get("/consultations/{consultation_id}")
def show(
    request: Request,
    consultation_id: PathId,
    user: PagePractitioner,
    session: SessionDep,
    kb: ShownKnowledge,
    english: KnowledgeDep,
) -> Response:
    """The recommended procedures first with why, the others folded with their verdict; each
    source cited once, as a numbered reference."""
    consultation = consultations.get_consultation(
        session=session,
        clinic_id=user.clinic_id,
        consultation_id=consultation_id,
        actor=user.id,
    )
    profile = consultation.profile
    assessment = consultations.stored_assessment(consultation)
    context = {
        "user": user,
        "consultation": consultation,
        "area": kb.label(str(profile.get("area", ""))),
        "concerns": [kb.label(code) for code in profile.get("concerns", [])],
        "conditions": [condition_label(kb, entry) for entry in profile.get("conditions", [])],
        "procedures": (procedures := procedure_views(assessment, kb, english)),
        "referrals": (
            referrals := [
                reason_view(reason, kb, ReasonTexts.of(kb), english)
                for reason in assessment.referrals
            ]
        ),
        "sources": numbered_sources(referrals, procedures),
        "plannable": assessment.plannable(),
    }
    return render(request, "consultation.html", context)
