"""The reception desk's day sheet: every practitioner (or room) side by side for one day, each
booking with its client, procedure, status and cautions; check-in, no-show and late
cancellation; a freed place offered to the waitlist, booked in one click; an empty place a link
into the booking flow. Practitioners and reception, as the calendar."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Literal

from fastapi import APIRouter, Request
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.responses import Response

from corneum.http.deps import ClockDep, KnowledgeDep, PathId, SessionDep, WriteSessionDep
from corneum.knowledge import KnowledgeBase
from corneum.records.accounts.tables import User
from corneum.records.calendar.bookings import desk
from corneum.records.calendar.bookings import service as calendar
from corneum.records.calendar.bookings.schemas import WalkIn
from corneum.records.calendar.bookings.tables import Booking
from corneum.records.calendar.waitlist import service as waitlist
from corneum.records.clinic_time import ClinicClock, clinic_clock, clinic_day
from corneum.records.errors import ConflictError, InvalidInputError
from corneum.web import messages
from corneum.web.access import Csrf, PageStaff, PageStaffWriting
from corneum.web.calendar.pages import client_names
from corneum.web.calendar.views import (
    Problems,
    client_choices,
    clinic_resources,
    procedure_choices,
    read_day,
    read_id,
    refused,
)
from corneum.web.forms import Form, see_other, text
from corneum.web.i18n import knowledge_in
from corneum.web.templating import render
from corneum.web.timeline import procedure_name

router = APIRouter(include_in_schema=False)
ROW_MINUTES = 30
FIRST_HOUR, LAST_HOUR = 8, 20
DeskAct = Literal["check_in", "no_show", "late_cancel"]
ACTS = {"check_in": desk.check_in, "no_show": desk.no_show, "late_cancel": desk.late_cancel}


@dataclass(frozen=True, slots=True)
class Offer:
    entry_id: int
    client: str


@dataclass(frozen=True, slots=True)
class Block:
    """One booking on the sheet, and what the desk can do with it now."""

    booking_id: int
    starts: str
    ends: str
    client: str
    client_id: int
    procedure: str
    status: str
    status_code: str
    cautions: int
    offers: tuple[Offer, ...] = ()


@dataclass
class Column:
    id: int
    name: str
    rows: dict[str, list[Block]] = field(default_factory=dict)


def sheet_rows(day: date) -> list[str]:
    start = datetime.combine(day, time(FIRST_HOUR))
    count = (LAST_HOUR - FIRST_HOUR) * 60 // ROW_MINUTES
    return [f"{start + timedelta(minutes=ROW_MINUTES * n):%H:%M}" for n in range(count)]


def row_of(moment: datetime) -> str:
    minute = moment.minute - moment.minute % ROW_MINUTES
    return f"{moment.replace(minute=minute):%H:%M}"


def day_columns(
    *, session: Session, user: User, kb: KnowledgeBase, shown: KnowledgeBase, day: date,
    by_room: bool, now: datetime,
) -> list[Column]:  # fmt: skip
    """The day's bookings by practitioner (or room), each in the row of its start."""
    clinic = clinic_resources(session, user.clinic_id, shown)
    choices = clinic.rooms if by_room else clinic.practitioners
    columns = {choice.value: Column(choice.value, choice.label) for choice in choices}
    wall = clinic_clock(session, user.clinic_id)
    rows = calendar.list_bookings(
        session=session, clinic_id=user.clinic_id,
        start=wall.utc(datetime.combine(day, time())),
        end=wall.utc(datetime.combine(day + timedelta(days=1), time())), actor=user.id,
    )  # fmt: skip
    names = client_names(session, user, {row.client_id for row in rows})
    for row in rows:
        column = columns.get(row.room_id if by_room else row.practitioner_id)
        if column is not None:
            block = _block(session, user, kb, shown, wall, row, names, now)
            column.rows.setdefault(row_of(wall.local(row.starts_at)), []).append(block)
    return list(columns.values())


def _block(
    session: Session, user: User, kb: KnowledgeBase, shown: KnowledgeBase, wall: ClinicClock,
    row: Booking, names: dict[int, str], now: datetime,
) -> Block:  # fmt: skip
    found = waitlist.offers(
        session=session, clinic_id=user.clinic_id, kb=kb, booking_id=row.id, actor=user.id,
        now=now,
    )  # fmt: skip
    waiting = client_names(session, user, {entry.client_id for entry in found})
    return Block(
        booking_id=row.id, starts=f"{wall.local(row.starts_at):%H:%M}",
        ends=f"{wall.local(row.ends_at):%H:%M}", client=names[row.client_id],
        client_id=row.client_id, procedure=procedure_name(shown, row.procedure_id),
        status=messages.BOOKING_STATUS[row.status], status_code=row.status,
        cautions=len(row.cautions),
        offers=tuple(Offer(entry.id, waiting[entry.client_id]) for entry in found),
    )  # fmt: skip


def day_page(
    request: Request, *, session: Session, user: User, kb: KnowledgeBase, now: datetime,
    day_text: str, by: str, problems: Problems, status_code: int = 200,
    walk_in: dict[str, str] | None = None,
) -> Response:  # fmt: skip
    """The sheet; ``walk_in`` the walk-in form's answers, shown again when refused."""
    walk_in = walk_in or {}
    shown = knowledge_in(kb, user.language)
    day = read_day(day_text, "day", problems) or clinic_day(session, user.clinic_id, now)
    columns = day_columns(
        session=session, user=user, kb=kb, shown=shown, day=day, by_room=by == "room", now=now
    )
    context = {
        "user": user,
        "day": day.isoformat(),
        "previous": (day - timedelta(days=1)).isoformat(),
        "next": (day + timedelta(days=1)).isoformat(),
        "today": clinic_day(session, user.clinic_id, now).isoformat(),
        "by": "room" if by == "room" else "practitioner",
        "rows": sheet_rows(day),
        "columns": columns,
        "clients": client_choices(session, user.clinic_id, user.id),
        "procedures": procedure_choices(shown),
        "walk_in": walk_in,
        "problems": problems,
        "errors": problems.fields,
    }
    if problems and status_code == 200:
        status_code = 422
    return render(request, "day.html", context, status_code=status_code)


@router.get("/day")
def show_day(
    request: Request, user: PageStaff, session: SessionDep, kb: KnowledgeDep, clock: ClockDep,
    day: str = "", by: str = "practitioner",
) -> Response:  # fmt: skip
    """The day sheet; ``by=room`` puts the rooms side by side instead."""
    return day_page(
        request, session=session, user=user, kb=kb, now=clock(), day_text=day, by=by,
        problems=Problems(),
    )  # fmt: skip


@router.post("/day/bookings/{booking_id}/{act}", dependencies=[Csrf])
def desk_act(
    request: Request, booking_id: PathId, act: str, user: PageStaffWriting,
    session: WriteSessionDep, kb: KnowledgeDep, clock: ClockDep, form: Form,
) -> Response:  # fmt: skip
    """Check in, record a no-show or a late cancellation; the sheet again, or the refusal."""
    problems = Problems()
    service = ACTS.get(act)
    if service is None:
        return see_other(f"/day?day={text(form, 'day')}")
    try:
        service(
            session=session, clinic_id=user.clinic_id, booking_id=booking_id, actor=user.id,
            now=clock(),
        )  # fmt: skip
    except ConflictError as exc:
        status = refused(session, problems, exc)
    else:
        return see_other(f"/day?day={text(form, 'day')}&by={text(form, 'by')}")
    return day_page(
        request, session=session, user=user, kb=kb, now=clock(), day_text=text(form, "day"),
        by=text(form, "by"), problems=problems, status_code=status,
    )  # fmt: skip


@router.post("/day/offers/{booking_id}", dependencies=[Csrf])
def take_offer(
    request: Request, booking_id: PathId, user: PageStaffWriting, session: WriteSessionDep,
    kb: KnowledgeDep, clock: ClockDep, form: Form,
) -> Response:  # fmt: skip
    """Book the waiting client into the place the booking gave up."""
    problems = Problems()
    try:
        row = waitlist.take_offer(
            session=session, clinic_id=user.clinic_id, kb=kb, booking_id=booking_id,
            entry_id=read_id(text(form, "entry_id")) or 0, actor=user.id, now=clock(),
        )  # fmt: skip
    except (ConflictError, InvalidInputError) as exc:
        status = refused(session, problems, exc)
    else:
        return see_other(f"/calendar/bookings/{row.id}")
    return day_page(
        request, session=session, user=user, kb=kb, now=clock(), day_text=text(form, "day"),
        by=text(form, "by"), problems=problems, status_code=status,
    )  # fmt: skip


@router.post("/day/walk-in", dependencies=[Csrf])
def walk_in(
    request: Request, user: PageStaffWriting, session: WriteSessionDep, kb: KnowledgeDep,
    clock: ClockDep, form: Form,
) -> Response:  # fmt: skip
    """Book a client at the desk into the first free place now, checked in; the booking, or
    the sheet naming why there is no place today."""
    answers = {name: text(form, name) for name in ("client_id", "procedure_id")}
    problems = Problems()
    try:
        data = WalkIn(client_id=answers["client_id"], procedure_id=answers["procedure_id"])
        row = desk.walk_in(
            session=session, clinic_id=user.clinic_id, kb=kb, client_id=data.client_id,
            procedure_id=data.procedure_id, actor=user.id, now=clock(),
        )  # fmt: skip
    except (ValidationError, ConflictError, InvalidInputError) as exc:
        status = refused(session, problems, exc, tuple(answers))
    else:
        return see_other(f"/calendar/bookings/{row.id}")
    return day_page(
        request, session=session, user=user, kb=kb, now=clock(), day_text="", by="",
        problems=problems, status_code=status, walk_in=answers,
    )  # fmt: skip
