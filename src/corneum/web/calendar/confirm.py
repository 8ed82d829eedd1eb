"""The step before a picked place is booked or a booking moved: a page saying who, what, when,
with whom and where, whose form posts the same answers again to book. It works without
JavaScript; nothing is written until the desk confirms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import Response

from corneum.knowledge import KnowledgeBase
from corneum.records.accounts.tables import User
from corneum.records.clients import service as clients
from corneum.records.clinic_time import clinic_clock
from corneum.web.calendar.texts import WEEKDAYS
from corneum.web.calendar.views import clinic_resources, read_id
from corneum.web.forms import text
from corneum.web.i18n import knowledge_in
from corneum.web.templating import render
from corneum.web.timeline import procedure_name

REVIEW = "review"
"""The ``step`` a slot's form posts first: show what would be booked, book nothing."""


@dataclass(frozen=True, slots=True)
class Confirmation:
    """What the confirm page shows and posts again."""

    action: str
    back: str
    client_id: int
    procedure_id: str
    was: str = ""
    """The booking's time before a move; empty for a new booking."""


def reviewing(form: FormData) -> bool:
    return text(form, "step") == REVIEW


def start_of(form: FormData) -> datetime | None:
    try:
        start = datetime.fromisoformat(text(form, "start"))
    except ValueError:
        return None
    return start if start.tzinfo is not None else None


def confirm_page(
    request: Request, *, session: Session, user: User, kb: KnowledgeBase, form: FormData,
    start: datetime, confirming: Confirmation,
) -> Response:  # fmt: skip
    """The page asking to confirm the picked place, its form carrying the same answers."""
    shown = knowledge_in(kb, user.language)
    clinic = clinic_resources(session, user.clinic_id, shown)
    client = clients.get_client(
        session=session, clinic_id=user.clinic_id, client_id=confirming.client_id, actor=user.id
    )
    local = clinic_clock(session, user.clinic_id).local(start)
    context = {
        "user": user,
        "confirming": confirming,
        "client": f"{client.given_name} {client.family_name}",
        "procedure": procedure_name(shown, confirming.procedure_id),
        "weekday": WEEKDAYS[local.weekday()],
        "when": f"{local:%Y-%m-%d %H:%M}",
        "practitioner": clinic.person(read_id(text(form, "practitioner_id"))),
        "room": clinic.room(read_id(text(form, "room_id")) or 0),
        "fields": [(n, v) for n, v in form.multi_items() if n not in ("csrf_token", "step")],
    }
    return render(request, "calendar_confirm.html", context)
