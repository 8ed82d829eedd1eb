"""Handouts for clients: a procedure's pre-treatment instructions, aftercare and home care from
the knowledge base, as a print-ready page and as a PDF, in the signed-in user's language.

A procedure's handout holds no personal data, so every signed-in user may print it. Reached from
a client's plan it carries the client's name: then only staff who deal with clients may have it,
and the plan and the client are read through their services, which audit the reading."""

from __future__ import annotations

from functools import cache

from babel.support import NullTranslations
from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from corneum.http.deps import PathId, SessionDep
from corneum.knowledge import KnowledgeBase
from corneum.records.accounts.tables import User
from corneum.records.clients import service as clients
from corneum.records.plans import service as plans
from corneum.web.access import PageStaff, PageUser
from corneum.web.handouts.handout import Handout, handout_for
from corneum.web.handouts.pdf import handout_pdf
from corneum.web.i18n import load_translations
from corneum.web.shown import ShownKnowledge
from corneum.web.templating import PAGE_HEADERS, language_of, render

router = APIRouter(include_in_schema=False)


@router.get("/handouts")
def index(request: Request, user: PageUser, kb: ShownKnowledge) -> Response:
    """Every procedure of the knowledge base, each with its handout."""
    procedures = [(procedure.id, procedure.name) for procedure in kb.procedures]
    context = {"user": user, "procedures": procedures}
    return render(request, "handouts.html", context)


# The .pdf routes come first: a procedure id never holds a dot, but "{procedure_id}" would match
# "x.pdf" if it were tried before them.
@router.get("/handouts/{procedure_id}.pdf")
def procedure_pdf(
    request: Request, procedure_id: str, user: PageUser, kb: ShownKnowledge
) -> Response:
    return _pdf(request, user, handout_for(kb, procedure_id))


@router.get("/handouts/{procedure_id}")
def procedure_page(
    request: Request, procedure_id: str, user: PageUser, kb: ShownKnowledge
) -> Response:
    return _page(request, user, handout_for(kb, procedure_id), pdf=f"/handouts/{procedure_id}.pdf")


@router.get("/plans/{plan_id}/handout.pdf")
def plan_pdf(
    request: Request, plan_id: PathId, user: PageStaff, session: SessionDep, kb: ShownKnowledge
) -> Response:
    return _pdf(request, user, _plan_handout(session, kb, user, plan_id))


@router.get("/plans/{plan_id}/handout")
def plan_page(
    request: Request, plan_id: PathId, user: PageStaff, session: SessionDep, kb: ShownKnowledge
) -> Response:
    handout = _plan_handout(session, kb, user, plan_id)
    return _page(request, user, handout, pdf=f"/plans/{plan_id}/handout.pdf")


def _plan_handout(session: Session, kb: KnowledgeBase, user: User, plan_id: int) -> Handout:
    """The handout of a plan's procedure with the client's name; both reads audited."""
    clinic_id, actor = user.clinic_id, user.id
    plan = plans.get_plan(session=session, clinic_id=clinic_id, plan_id=plan_id, actor=actor)
    client = clients.get_client(
        session=session, clinic_id=clinic_id, client_id=plan.client_id, actor=actor
    )
    name = f"{client.given_name} {client.family_name}"
    return handout_for(kb, plan.procedure_id, client_name=name)


def _page(request: Request, user: User, handout: Handout, *, pdf: str) -> Response:
    return render(request, "handout.html", {"user": user, "handout": handout, "pdf": pdf})


def _pdf(request: Request, user: User, handout: Handout) -> Response:
    language = language_of(request, user)
    body = handout_pdf(handout, language=language, gettext=_translations(language).gettext)
    filename = f"handout-{handout.procedure_id}.pdf"
    headers = {**PAGE_HEADERS, "Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(body, media_type="application/pdf", headers=headers)


@cache
def _translations(language: str) -> NullTranslations:
    return load_translations(language)
