"""Client search (reception and practitioners) and a client's record: contact details for
everyone who deals with clients, the clinical timeline for practitioners only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from corneum.http.deps import ClockDep, KnowledgeDep, PathId, SessionDep
from corneum.knowledge import KnowledgeBase
from corneum.records.accounts.tables import User
from corneum.records.clients import service as clients
from corneum.records.clients.schemas import HistoryEntryUpdate
from corneum.records.clients.service import search_clients
from corneum.records.clinic_time import clinic_clock, clinic_day
from corneum.records.consultations.service import active_on
from corneum.records.patch_tests.service import list_patch_tests
from corneum.records.screening.summary import SafetySummary, flagged_bookings, safety_summary
from corneum.web.access import Csrf, PagePractitioner, PageStaff
from corneum.web.choices import phototype_label
from corneum.web.forms import see_other
from corneum.web.patch_tests.views import patch_test_views
from corneum.web.safety import safety_view
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
    request: Request,
    client_id: PathId,
    user: PageStaff,
    session: SessionDep,
    kb: ShownKnowledge,
    english: KnowledgeDep,
    clock: ClockDep,
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
        **(_safety(session, user, client.id, kb, english, clock()) if clinical else {}),
        "user": user,
        "client": client,
        "clinical": clinical,
        "skin": skin,
        "timeline": timeline,
    }
    return render(request, "client.html", context)


def _safety(
    session: Session,
    user: User,
    client_id: int,
    shown: KnowledgeBase,
    english: KnowledgeBase,
    now: datetime,
) -> dict[str, Any]:
    """What a practitioner sees first on the record: allergies, earlier adverse events, the
    bookings to come that screening now bars, and the conditions active today to resolve."""
    today = clinic_day(session, user.clinic_id, now)
    ids: dict[str, Any] = {"session": session, "clinic_id": user.clinic_id, "client_id": client_id}
    summary = safety_summary(**ids, kb=english, on=today, actor=user.id)
    flagged = flagged_bookings(**ids, kb=english, now=now, actor=user.id)
    history = clients.list_history(**ids, actor=user.id)
    tests = list_patch_tests(**ids, actor=user.id)
    return {
        "patch_tests": patch_test_views(tests, shown, clinic_clock(session, user.clinic_id)),
        "safety": safety_view(summary, shown, english),
        "flagged": [
            (booking, safety_view(SafetySummary(today, barring=booking.reasons), shown, english))
            for booking in flagged
        ],
        "active_conditions": [
            (entry, shown.label(entry.condition_code))
            for entry in history
            if active_on(entry, today)
        ],
    }


@router.post("/clients/{client_id}/history/{entry_id}/resolve", dependencies=[Csrf])
def resolve_condition(
    client_id: PathId,
    entry_id: PathId,
    user: PagePractitioner,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    """Mark a condition resolved today; it stays in the history."""
    clients.update_history_entry(
        session=session,
        clinic_id=user.clinic_id,
        client_id=client_id,
        entry_id=entry_id,
        data=HistoryEntryUpdate(status="resolved"),
        today=clinic_day(session, user.clinic_id, clock()),
        actor=user.id,
    )
    return see_other(f"/clients/{client_id}#conditions")
