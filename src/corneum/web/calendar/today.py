"""The home page: the signed-in practitioner's appointments today (the clinic's day)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from corneum.http.deps import ClockDep, KnowledgeDep, SessionDep
from corneum.knowledge import KnowledgeBase
from corneum.records.accounts.tables import User
from corneum.records.calendar.bookings import service as calendar
from corneum.records.clients import service as clients
from corneum.records.clinic_time import clinic_clock, clinic_day
from corneum.web import messages
from corneum.web.access import PageUser
from corneum.web.shown import ShownKnowledge
from corneum.web.templating import render
from corneum.web.timeline import procedure_name

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True, slots=True)
class Appointment:
    starts: str
    ends: str
    procedure: str
    client: str
    client_link: str
    status: str
    booking_id: int = 0
    runnable: bool = False
    """A booking of a plan, not cancelled: its protocol can be run."""
    flagged: bool = False
    """Screening now finds the procedure contraindicated on the booking's day."""


def appointments_today(
    *, session: Session, user: User, now: datetime, kb: KnowledgeBase, english: KnowledgeBase
) -> list[Appointment]:
    """The practitioner's bookings that overlap today in the clinic's time zone, by time;
    their procedures named as ``kb`` (the user's-language view) names them, each flagged when
    screening (by ``english``, the knowledge base itself) now bars it."""
    wall = clinic_clock(session, user.clinic_id)
    day = clinic_day(session, user.clinic_id, now)
    start = wall.utc(datetime.combine(day, time()))
    end = wall.utc(datetime.combine(day + timedelta(days=1), time()))
    rows = calendar.list_bookings(
        session=session,
        clinic_id=user.clinic_id,
        start=start,
        end=end,
        practitioner_id=user.id,
        actor=user.id,
    )
    found = []
    for row in rows:
        client = clients.get_client(
            session=session, clinic_id=user.clinic_id, client_id=row.client_id, actor=user.id
        )
        found.append(
            Appointment(
                starts=f"{wall.local(row.starts_at):%H:%M}",
                ends=f"{wall.local(row.ends_at):%H:%M}",
                procedure=procedure_name(kb, row.procedure_id),
                client=f"{client.given_name} {client.family_name}",
                client_link=f"/clients/{client.id}",
                status=messages.BOOKING_STATUS[row.status],
                booking_id=row.id,
                runnable=row.plan_id is not None and row.status != "cancelled",
                flagged=bool(
                    calendar.booking_flags(session=session, row=row, kb=english, actor=user.id)
                ),
            )
        )
    return found


@router.get("/")
def home(
    request: Request,
    user: PageUser,
    session: SessionDep,
    clock: ClockDep,
    kb: ShownKnowledge,
    english: KnowledgeDep,
) -> Response:
    """A practitioner's day; reception and administrators get their starting points."""
    now = clock()
    appointments = (
        appointments_today(session=session, user=user, now=now, kb=kb, english=english)
        if user.role == "practitioner"
        else []
    )
    context = {
        "user": user,
        "role": messages.ROLES[user.role],
        "is_practitioner": user.role == "practitioner",
        "finds_clients": user.role in ("practitioner", "reception"),
        "appointments": appointments,
        "day": clinic_day(session, user.clinic_id, now),
    }
    return render(request, "today.html", context)
