"""Client search (reception and practitioners) and a client's record: contact details for
everyone who deals with clients, the clinical timeline for practitioners only."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from corneum.api.deps import PathId, SessionDep
from corneum.records.clients import service as clients
from corneum.records.clients.service import search_clients
from corneum.web.access import PageStaff
from corneum.web.choices import phototype_label
from corneum.web.shown import ShownKnowledge
from corneum.web.templating import render
from corneum.web.timeline import clinical_timeline

router = APIRouter(include_in_schema=False)
MAX_QUERY = 100


@router.get("/clients")
def search(request: Request, user: PageStaff, session: SessionDep, q: str = "") -> Response:
    """Clients by name; nothing is listed (or audited) until something is typed."""
    query = q.strip()[:MAX_QUERY]
    found = (
        search_clients(session=session, clinic_id=user.clinic_id, query=query, actor=user.id)
        if query
        else []
    )
    context = {"user": user, "query": query, "found": found}
    if request.headers.get("HX-Request"):
        return render(request, "_client_results.html", context)
    return render(request, "clients.html", context)


@router.get("/clients/{client_id}")
def record(
    request: Request, client_id: PathId, user: PageStaff, session: SessionDep, kb: ShownKnowledge
) -> Response:
    """The client's contact details; for a practitioner also the skin on record and the
    clinical timeline, labelled in the user's language."""
    client = clients.get_client(
        session=session, clinic_id=user.clinic_id, client_id=client_id, actor=user.id
    )
    clinical = user.role == "practitioner"
    timeline = (
        clinical_timeline(
            session=session, clinic_id=user.clinic_id, client_id=client.id, actor=user.id, kb=kb
        )
        if clinical
        else []
    )
    skin = {
        "skin_type": kb.label(client.skin_type) if client.skin_type else "",
        "phototype": phototype_label(kb, client.phototype),
        "risk_factors": [kb.label(code) for code in client.risk_factors],
    }
    context = {
        "user": user,
        "client": client,
        "clinical": clinical,
        "skin": skin,
        "timeline": timeline,
    }
    return render(request, "client.html", context)
