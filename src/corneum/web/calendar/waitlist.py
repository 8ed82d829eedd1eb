"""The waitlist page: the clients waiting for a place, added (a client, a procedure, a window
of days) and removed; the stored waitlist's plan entries placed in a week by the optimiser,
its proposal shown beside the greedy baseline's, and the places the desk accepts booked.
Practitioners and reception, as the calendar."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from fastapi import APIRouter, Request
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.responses import Response

from corneum.http.deps import ClockDep, KnowledgeDep, PathId, SessionDep, WriteSessionDep
from corneum.knowledge import KnowledgeBase
from corneum.records.accounts.tables import User
from corneum.records.calendar.waitlist import service as waitlist
from corneum.records.calendar.waitlist.schemas import StoredWeekRequest, WaitingCreate
from corneum.records.clinic_time import clinic_clock
from corneum.records.errors import ConflictError, InvalidInputError
from corneum.web.access import Csrf, PageStaff, PageStaffWriting
from corneum.web.calendar.views import (
    Problems,
    SlotView,
    client_choices,
    clinic_resources,
    procedure_choices,
    read_id,
    refused,
    slot_view,
)
from corneum.web.forms import Form, see_other, text, texts
from corneum.web.i18n import knowledge_in
from corneum.web.templating import render
from corneum.web.timeline import procedure_name

router = APIRouter(include_in_schema=False)
FIELDS = ("client_id", "procedure_id", "earliest", "latest", "practitioner_id", "week_start")


@dataclass(frozen=True, slots=True)
class EntryView:
    id: int
    client: str
    client_id: int
    procedure: str
    earliest: date
    latest: date
    practitioner: str


@dataclass(frozen=True, slots=True)
class PlacedView:
    entry_id: int
    client: str
    procedure: str
    slot: SlotView

    @property
    def accept(self) -> str:
        """What the accept box posts: the entry and its place."""
        slot = self.slot
        return f"{self.entry_id} {slot.start} {slot.practitioner_id} {slot.room_id}"


@dataclass(frozen=True, slots=True)
class WeekView:
    week_start: str
    placed: list[PlacedView]
    unplaced: list[str]
    """The clients whose entries found no place."""
    idle_minutes: int
    greedy_placed: int
    greedy_idle_minutes: int


@dataclass
class Wanted:
    """The add form's answers, shown again when refused."""

    values: dict[str, str] = field(default_factory=dict)

    def __getattr__(self, name: str) -> str:
        return self.values.get(name, "")


def waitlist_page(
    request: Request, *, session: Session, user: User, kb: KnowledgeBase, wanted: Wanted,
    problems: Problems, week: WeekView | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    shown = knowledge_in(kb, user.language)
    clinic = clinic_resources(session, user.clinic_id, shown)
    clients = client_choices(session, user.clinic_id, user.id)
    names = {choice.value: choice.label for choice in clients}
    rows = waitlist.list_waiting(session=session, clinic_id=user.clinic_id, actor=user.id)
    entries = [
        EntryView(
            id=row.id,
            client=f"{client.family_name} {client.given_name}",
            client_id=client.id,
            procedure=procedure_name(shown, row.procedure_id),
            earliest=row.earliest,
            latest=row.latest,
            practitioner=clinic.person(row.practitioner_id),
        )
        for row, client in rows
    ]
    context = {
        "user": user, "entries": entries, "clients": clients, "names": names,
        "procedures": procedure_choices(shown), "practitioners": clinic.practitioners,
        "wanted": wanted, "week": week, "problems": problems, "errors": problems.fields,
    }  # fmt: skip
    if problems and status_code == 200:
        status_code = 422
    return render(request, "waitlist.html", context, status_code=status_code)


@router.get("/waitlist")
def show_waitlist(
    request: Request, user: PageStaff, session: SessionDep, kb: KnowledgeDep, client: str = ""
) -> Response:
    """The waiting clients; ``client`` picks the client the add form starts with."""
    return waitlist_page(
        request, session=session, user=user, kb=kb, wanted=Wanted({"client_id": client}),
        problems=Problems(),
    )  # fmt: skip


@router.post("/waitlist", dependencies=[Csrf])
def add_entry(
    request: Request, user: PageStaffWriting, session: WriteSessionDep, kb: KnowledgeDep,
    form: Form,
) -> Response:  # fmt: skip
    """Put the client on the waitlist for the procedure, any day of the window."""
    wanted = Wanted({name: text(form, name) for name in FIELDS})
    problems = Problems()
    try:
        data = WaitingCreate(
            client_id=wanted.client_id, procedure_id=wanted.procedure_id or None,
            earliest=wanted.earliest, latest=wanted.latest,
            practitioner_id=read_id(wanted.practitioner_id),
        )  # fmt: skip
        waitlist.add_waiting(
            session=session, clinic_id=user.clinic_id, kb=kb, data=data, actor=user.id
        )
    except (ValidationError, InvalidInputError) as exc:
        status = refused(session, problems, exc, FIELDS)
    else:
        return see_other("/waitlist")
    return waitlist_page(
        request, session=session, user=user, kb=kb, wanted=wanted, problems=problems,
        status_code=status,
    )  # fmt: skip


@router.post("/waitlist/{entry_id}/remove", dependencies=[Csrf])
def remove_entry(
    entry_id: PathId, user: PageStaffWriting, session: WriteSessionDep, clock: ClockDep
) -> Response:
    """Take the client off the waitlist; the entry stays, removed, with who and when."""
    waitlist.remove_waiting(
        session=session, clinic_id=user.clinic_id, entry_id=entry_id, actor=user.id, now=clock()
    )
    return see_other("/waitlist")


def week_view(
    session: Session, user: User, shown: KnowledgeBase, week: waitlist.StoredWeek, start: str
) -> WeekView:
    """The optimiser's proposal for the week, and the greedy baseline's figures beside it."""
    result = week.result
    if result is None:
        return WeekView(start, [], [], 0, 0, 0)
    clinic = clinic_resources(session, user.clinic_id, shown)
    names = {c.value: c.label for c in client_choices(session, user.clinic_id, user.id)}
    placed = [
        PlacedView(
            entry_id=week.entries[index].id,
            client=names.get(week.entries[index].client_id, ""),
            procedure=procedure_name(shown, week.entries[index].procedure_id),
            slot=slot_view(slot, result.clock, result.minutes[index], clinic),
        )
        for index, slot in sorted(result.plan.placed.items(), key=lambda item: item[1].start)
    ]
    return WeekView(
        week_start=start, placed=placed,
        unplaced=[names.get(week.entries[index].client_id, "") for index in result.plan.unplaced],
        idle_minutes=result.plan.idle_minutes, greedy_placed=len(result.greedy.placed),
        greedy_idle_minutes=result.greedy.idle_minutes,
    )  # fmt: skip


@router.post("/waitlist/optimise", dependencies=[Csrf])
def optimise_week(
    request: Request, user: PageStaffWriting, session: WriteSessionDep, kb: KnowledgeDep,
    clock: ClockDep, form: Form,
) -> Response:  # fmt: skip
    """Propose the week's placement of the waiting plans' sessions; nothing is booked yet."""
    problems = Problems()
    start = text(form, "week_start")
    week = None
    try:
        data = StoredWeekRequest(week_start=start, seconds=2)
        stored = waitlist.optimise_stored(
            session=session, clinic_id=user.clinic_id, kb=kb, data=data, actor=user.id,
            now=clock(),
        )  # fmt: skip
    except (ValidationError, InvalidInputError) as exc:
        refused(session, problems, exc, FIELDS)
    else:
        week = week_view(session, user, knowledge_in(kb, user.language), stored, start)
    return waitlist_page(
        request, session=session, user=user, kb=kb, wanted=Wanted({"week_start": start}),
        problems=problems, week=week,
    )  # fmt: skip


def read_accepted(values: list[str]) -> list[waitlist.Accepted]:
    """The accepted places as the proposal's boxes post them; a mangled one is left out."""
    accepted = []
    for value in values:
        parts = value.split(" ")
        if len(parts) != 4:
            continue
        entry, practitioner, room = (read_id(part) for part in (parts[0], *parts[2:]))
        start = _moment(parts[1])
        if start and entry and practitioner and room:
            accepted.append(waitlist.Accepted(entry, start, practitioner, room))
    return accepted


def _moment(value: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


@router.post("/waitlist/book", dependencies=[Csrf])
def book_accepted(
    request: Request, user: PageStaffWriting, session: WriteSessionDep, kb: KnowledgeDep,
    clock: ClockDep, form: Form,
) -> Response:  # fmt: skip
    """Book the places the desk accepted, all or none; the day sheet of the first."""
    problems = Problems()
    accepted = read_accepted(texts(form, "accept"))
    try:
        booked = waitlist.book_accepted(
            session=session, clinic_id=user.clinic_id, kb=kb, accepted=accepted, actor=user.id,
            now=clock(),
        )  # fmt: skip
    except (ConflictError, InvalidInputError) as exc:
        status = refused(session, problems, exc)
    else:
        if not booked:
            return see_other("/waitlist")
        wall = clinic_clock(session, user.clinic_id)
        return see_other(f"/day?day={wall.local(min(b.starts_at for b in booked)).date()}")
    return waitlist_page(
        request, session=session, user=user, kb=kb, wanted=Wanted(), problems=problems,
        status_code=status,
    )  # fmt: skip
