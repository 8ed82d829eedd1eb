"""The clients list with search (reception and practitioners) and a client's record: contact
details, age, appointments and plans for everyone who deals with clients, the safety banner and
the clinical timeline for practitioners only."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from corneum.http.deps import ClockDep, KnowledgeDep, PathId, SessionDep
from corneum.knowledge import KnowledgeBase
from corneum.records.accounts.tables import User
from corneum.records.calendar.bookings import service as calendar
from corneum.records.clients import service as clients
from corneum.records.clients.listing import ClientOrder, browse_clients
from corneum.records.clients.schemas import HistoryEntryUpdate
from corneum.records.clients.tables import Client
from corneum.records.clinic_time import clinic_clock, clinic_day
from corneum.records.consultations.service import active_on
from corneum.records.fields import EARLIEST, LATEST, MAX_INTEGER
from corneum.records.patch_tests.service import list_patch_tests
from corneum.records.plans.service import list_plan_summaries
from corneum.records.screening.summary import SafetySummary, flagged_bookings, safety_summary
from corneum.web.access import Csrf, PagePractitioner, PageStaff
from corneum.web.calendar.views import booking_view, clinic_resources
from corneum.web.choices import phototype_label
from corneum.web.clients.views import REFERRALS, SEXES, age_on
from corneum.web.forms import see_other
from corneum.web.patch_tests.views import patch_test_views
from corneum.web.safety import safety_view
from corneum.web.shown import ShownKnowledge
from corneum.web.templating import render
from corneum.web.timeline import clinical_timeline, procedure_name

router = APIRouter(include_in_schema=False)
MAX_QUERY = 100
PAGE_SIZE = 25
PAST_SHOWN = 20
"""The most recent past appointments the record lists."""


@router.get("/clients")
def listing(
    request: Request,
    user: PageStaff,
    session: SessionDep,
    q: str = "",
    sort: str = "recent",
    after: str = "",
    before: str = "",
) -> Response:
    """The clinic's clients, recent first or by name, a page at a time; those a search finds
    (any part of a name, a phone number in any format, part of an e-mail address)."""
    query = q.strip()[:MAX_QUERY]
    order: ClientOrder = "name" if sort == "name" else "recent"
    page = browse_clients(
        session=session,
        clinic_id=user.clinic_id,
        actor=user.id,
        query=query,
        order=order,
        after=_row_id(after),
        before=_row_id(before),
        limit=PAGE_SIZE,
    )
    context = {"user": user, "query": query, "sort": order, "page": page}
    if request.headers.get("HX-Request"):
        return render(request, "_client_results.html", context)
    return render(request, "clients.html", context)


def _row_id(value: str) -> int | None:
    """A paging link's row id; anything else starts from the first page."""
    if value.isascii() and value.isdigit() and 0 < int(value) <= MAX_INTEGER:
        return int(value)
    return None


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
    now = clock()
    context = {
        **(_safety(session, user, client.id, kb, english, now) if clinical else {}),
        **_visits(session, user, client, kb, now),
        "user": user,
        "client": client,
        "clinical": clinical,
        "skin": skin,
        "timeline": timeline,
        "sexes": SEXES,
        "referrals": REFERRALS,
    }
    return render(request, "client.html", context)


def _visits(
    session: Session, user: User, client: Client, kb: KnowledgeBase, now: datetime
) -> dict[str, Any]:
    """The client's age, appointments to come and past ones (with the practitioners' names),
    and plans with how many sessions are done of those planned and how many are booked."""
    ids: dict[str, Any] = {"session": session, "clinic_id": user.clinic_id}
    rows = calendar.list_bookings(
        **ids,
        start=datetime.combine(EARLIEST, datetime.min.time(), UTC),
        end=datetime.combine(LATEST, datetime.min.time(), UTC),
        client_id=client.id,
        actor=user.id,
    )
    clock = clinic_clock(session, user.clinic_id)
    staff = clinic_resources(session, user.clinic_id, kb)
    upcoming = [r for r in rows if r.starts_at >= now and r.status == "booked"]
    past = [r for r in reversed(rows) if r not in upcoming][:PAST_SHOWN]
    plans = list_plan_summaries(**ids, client_id=client.id, actor=user.id)
    return {
        "age": age_on(client.date_of_birth, clock.local(now).date()),
        "upcoming": [booking_view(row, clock, staff, kb) for row in upcoming],
        "past": [booking_view(row, clock, staff, kb) for row in past],
        "plans": [
            (
                plan,
                procedure_name(kb, plan.procedure_id),
                sum(r.plan_id == plan.id for r in upcoming),
            )
            for plan in plans
        ],
    }


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
