"""Booking: picking a free place and booking it, then one booking: what it holds stage by
stage, its history, and moving or cancelling it.
A course's session moves only if the course's intervals stay valid; the page names what is in
the way otherwise. Practitioners and reception, as the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import Response

from corneum.http.deps import ClockDep, KnowledgeDep, PathId, SessionDep, WriteSessionDep
from corneum.knowledge import KnowledgeBase
from corneum.records.accounts.tables import User
from corneum.records.calendar.bookings import service as calendar
from corneum.records.calendar.bookings.schemas import BookingCreate, RescheduleRequest
from corneum.records.calendar.bookings.tables import BookingEvent
from corneum.records.calendar.courses import service as courses
from corneum.records.clients import service as clients
from corneum.records.clinic_time import ClinicClock, clinic_clock, clinic_day
from corneum.records.errors import ConflictError, InvalidInputError
from corneum.records.plans import service as plans
from corneum.records.plans.tables import TreatmentPlan
from corneum.records.screening.summary import safety_summary
from corneum.web.access import Csrf, PageStaff, PageStaffWriting
from corneum.web.calendar.confirm import Confirmation, confirm_page, reviewing, start_of
from corneum.web.calendar.texts import CANCEL_REASONS, CHOOSE_REASON, HISTORY_ACTIONS
from corneum.web.calendar.views import (
    Clinic,
    Problems,
    absorb,
    booking_view,
    clinic_resources,
    free_slots,
    read_day,
    read_id,
    refused,
    why_no_slots,
)
from corneum.web.calendar.week import stage_views
from corneum.web.forms import Form, see_other, text
from corneum.web.i18n import knowledge_in
from corneum.web.safety import safety_view
from corneum.web.templating import render
from corneum.web.timeline import procedure_name

router = APIRouter(include_in_schema=False)
SLOT_COUNTS = (5, 10, 20)
MOVE_SLOTS = 8


@dataclass(frozen=True, slots=True)
class EventView:
    action: str
    at: datetime
    by: str
    before: datetime | None
    after: datetime | None
    reason: str
    """Moments on the clinic's clock, for the page to write in its language."""


def _moment(clock: ClinicClock, moment: datetime | None) -> datetime | None:
    return clock.local(moment) if moment else None


def event_views(
    events: list[BookingEvent], clock: ClinicClock, clinic: Clinic, reason: str
) -> list[EventView]:
    """The history as the page lists it; the cancellation carries the reason kept for it."""
    return [
        EventView(
            action=HISTORY_ACTIONS[event.action],
            at=clock.local(event.at),
            by=clinic.person(event.actor_id),
            before=_moment(clock, event.old_starts_at),
            after=_moment(clock, event.new_starts_at),
            reason=reason if event.action == "cancel" else "",
        )
        for event in events
    ]


@dataclass
class MoveSearch:
    day: str = ""
    practitioner: str = ""


def booking_page(
    request: Request,
    *,
    session: Session,
    user: User,
    kb: KnowledgeBase,
    booking_id: int,
    now: datetime,
    search: MoveSearch,
    problems: Problems,
    status_code: int = 200,
) -> Response:
    """The booking, its stages and history; while booked, free places to move it to and the
    cancel form. ``kb`` is searched, the user's-language view of it shown."""
    shown = knowledge_in(kb, user.language)
    row, events = calendar.get_booking(
        session=session, clinic_id=user.clinic_id, booking_id=booking_id, actor=user.id
    )
    client = clients.get_client(
        session=session, clinic_id=user.clinic_id, client_id=row.client_id, actor=user.id
    )
    clock = clinic_clock(session, user.clinic_id)
    clinic = clinic_resources(session, user.clinic_id, shown)
    reason = row.cancel_reason
    day = read_day(search.day, "day", problems) or clock.local(row.starts_at).date()
    slots = []
    if row.status == "booked":
        slots = free_slots(
            session=session,
            clinic_id=user.clinic_id,
            kb=kb,
            procedure_id=row.procedure_id,
            day=max(day, clinic_day(session, user.clinic_id, now)),
            practitioner_id=read_id(search.practitioner),
            count=MOVE_SLOTS,
            now=now,
            clinic=clinic,
        )
    units = calendar.device_ids(session, [row.id])[row.id]
    plan = session.get(TreatmentPlan, row.plan_id) if row.plan_id else None
    summary = safety_summary(
        session=session, clinic_id=user.clinic_id, client_id=client.id, kb=kb,
        on=clock.local(row.starts_at).date(), actor=user.id,
        procedure_id=row.procedure_id if row.status == "booked" else None,
        area=plan.area if plan else None,
    )  # fmt: skip
    context = {
        "safety": safety_view(summary, shown, kb),
        "user": user,
        "booking": booking_view(row, clock, clinic, shown),
        "plan_id": row.plan_id,
        "week_link": f"/calendar?week={clock.local(row.starts_at).date()}"
        f"&practitioner={row.practitioner_id}",
        "client": client,
        "devices": [name for name in clinic.devices if name.value in units.values()],
        "stages": stage_views(shown, row.procedure_id, clock.local(row.starts_at)),
        "history": event_views(events, clock, clinic, CANCEL_REASONS.get(reason or "", "")),
        "slots": slots,
        "causes": [],
        "search": search,
        "practitioners": clinic.practitioners,
        "reasons": CANCEL_REASONS,
        "problems": problems,
        "errors": problems.fields,
    }
    return render(request, "calendar_booking.html", context, status_code=status_code)


@router.get("/calendar/bookings/{booking_id}")
def show(
    request: Request,
    booking_id: PathId,
    user: PageStaff,
    session: SessionDep,
    kb: KnowledgeDep,
    clock: ClockDep,
    day: str = "",
    practitioner: str = "",
) -> Response:
    return booking_page(
        request,
        session=session,
        user=user,
        kb=kb,
        booking_id=booking_id,
        now=clock(),
        search=MoveSearch(day, practitioner),
        problems=Problems(),
    )


@router.post("/calendar/bookings/{booking_id}/move", dependencies=[Csrf])
def move(
    request: Request,
    booking_id: PathId,
    user: PageStaffWriting,
    session: WriteSessionDep,
    kb: KnowledgeDep,
    clock: ClockDep,
    form: Form,
) -> Response:
    """Move to the picked place if nothing breaks (the calendar, the course's intervals);
    otherwise keep the booking where it was and name the conflict. The slot's form asks to
    confirm first."""
    start = start_of(form)
    if reviewing(form) and start is not None:
        row, _ = calendar.find_booking(session, user.clinic_id, booking_id)
        was = f"{clinic_clock(session, user.clinic_id).local(row.starts_at):%Y-%m-%d %H:%M}"
        page = f"/calendar/bookings/{booking_id}"
        confirming = Confirmation(f"{page}/move", page, row.client_id, row.procedure_id, was)
        return confirm_page(
            request, session=session, user=user, kb=kb, form=form, start=start,
            confirming=confirming,
        )  # fmt: skip
    problems = Problems()
    try:
        data = RescheduleRequest(
            start=text(form, "start"),
            practitioner_id=read_id(text(form, "practitioner_id")),
            room_id=read_id(text(form, "room_id")),
            version=read_id(text(form, "version")),
        )
        courses.move_course_session(
            session=session,
            clinic_id=user.clinic_id,
            kb=kb,
            booking_id=booking_id,
            data=data,
            actor=user.id,
            now=clock(),
        )
    except (ValidationError, ConflictError, InvalidInputError) as exc:
        status = refused(session, problems, exc)
    else:
        return see_other(f"/calendar/bookings/{booking_id}")
    search = MoveSearch(text(form, "day"), text(form, "practitioner"))
    return booking_page(
        request,
        session=session,
        user=user,
        kb=kb,
        booking_id=booking_id,
        now=clock(),
        search=search,
        problems=problems,
        status_code=status,
    )


@router.post("/calendar/bookings/{booking_id}/cancel", dependencies=[Csrf])
def cancel(
    request: Request,
    booking_id: PathId,
    user: PageStaffWriting,
    session: WriteSessionDep,
    kb: KnowledgeDep,
    clock: ClockDep,
    form: Form,
) -> Response:
    """Cancel with a reason from the list; the booking's history keeps who and when."""
    problems = Problems()
    reason = text(form, "reason")
    status = 422
    if reason not in calendar.CANCEL_REASONS:
        problems.fields["reason"] = CHOOSE_REASON
    else:
        try:
            calendar.cancel(
                session=session,
                clinic_id=user.clinic_id,
                booking_id=booking_id,
                version=read_id(text(form, "version")),
                reason=reason,
                actor=user.id,
            )
        except ConflictError as exc:
            status = refused(session, problems, exc)
        else:
            return see_other(f"/calendar/bookings/{booking_id}")
    return booking_page(
        request,
        session=session,
        user=user,
        kb=kb,
        booking_id=booking_id,
        now=clock(),
        search=MoveSearch(),
        problems=problems,
        status_code=status,
    )


@dataclass
class SlotSearch:
    """The slot picker's question: for whom (a plan's session or a client's single visit),
    which procedure, from which day, with whom, how many answers."""

    plan_id: int | None
    client_id: int | None
    procedure_id: str
    day: str
    practitioner: str
    count: int

    @classmethod
    def of(cls, values: dict[str, str]) -> SlotSearch:
        count = read_id(values.get("count", ""))
        return cls(
            plan_id=read_id(values.get("plan", "")),
            client_id=read_id(values.get("client", "")),
            procedure_id=values.get("procedure", ""),
            day=values.get("day", ""),
            practitioner=values.get("practitioner", ""),
            count=count if count in SLOT_COUNTS else SLOT_COUNTS[0],
        )


def slots_page(
    request: Request,
    *,
    session: Session,
    user: User,
    kb: KnowledgeBase,
    now: datetime,
    search: SlotSearch,
    problems: Problems,
    status_code: int = 200,
) -> Response:
    """The picker: whose booking it is, the search form, and the free places found; ``kb`` is
    searched, the user's-language view of it shown."""
    shown = knowledge_in(kb, user.language)
    scope: dict[str, Any] = {"session": session, "clinic_id": user.clinic_id, "actor": user.id}
    plan = plans.get_plan(plan_id=search.plan_id, **scope) if search.plan_id else None
    client_id = plan.client_id if plan else search.client_id
    if client_id is None:
        return see_other("/clients")
    client = clients.get_client(client_id=client_id, **scope)
    if plan is not None:
        search.procedure_id = plan.procedure_id
    clinic = clinic_resources(session, user.clinic_id, shown)
    day = read_day(search.day, "day", problems) or clinic_day(session, user.clinic_id, now)
    found = []
    if search.procedure_id and "day" not in problems.fields:
        try:
            found = free_slots(
                session=session,
                clinic_id=user.clinic_id,
                kb=kb,
                procedure_id=search.procedure_id,
                day=day,
                practitioner_id=read_id(search.practitioner),
                count=search.count,
                now=now,
                clinic=clinic,
            )
        except InvalidInputError as exc:
            absorb(problems, exc, ("procedure_id", "day"))
    causes = []
    if search.procedure_id and not found and not problems:
        causes = why_no_slots(
            session=session, clinic_id=user.clinic_id, kb=kb, procedure_id=search.procedure_id,
            day=day, practitioner_id=read_id(search.practitioner), now=now,
        )  # fmt: skip
    context = {
        "causes": causes,
        "user": user,
        "search": search,
        "plan": plan,
        "client": client,
        "procedure": procedure_name(shown, search.procedure_id) if search.procedure_id else "",
        "procedures": [(pid, procedure_name(shown, pid)) for pid in shown.booking],
        "practitioners": clinic.practitioners,
        "counts": SLOT_COUNTS,
        "slots": found,
        "problems": problems,
        "errors": problems.fields,
    }
    if problems and status_code == 200:
        status_code = 422
    return render(request, "calendar_slots.html", context, status_code=status_code)


@router.get("/calendar/slots")
def pick_slot(
    request: Request, user: PageStaff, session: SessionDep, kb: KnowledgeDep, clock: ClockDep
) -> Response:
    """The earliest free places for a plan's procedure, or for a client's chosen one."""
    search = SlotSearch.of(dict(request.query_params))
    return slots_page(
        request,
        session=session,
        user=user,
        kb=kb,
        now=clock(),
        search=search,
        problems=Problems(),
    )


@router.post("/calendar/bookings", dependencies=[Csrf])
def book(
    request: Request,
    user: PageStaffWriting,
    session: WriteSessionDep,
    kb: KnowledgeDep,
    clock: ClockDep,
    form: Form,
) -> Response:
    """Book the picked place; if it was taken meanwhile, say so beside fresh places. The
    slot's form asks to confirm first."""
    search = SlotSearch.of({name: text(form, name) for name in form})
    start = start_of(form)
    if reviewing(form) and start is not None:
        return review_booking(request, session=session, user=user, kb=kb, form=form, start=start)
    problems = Problems()
    try:
        data = BookingCreate(
            plan_id=search.plan_id,
            client_id=None if search.plan_id else search.client_id,
            procedure_id=None if search.plan_id else search.procedure_id or None,
            start=text(form, "start"),
            practitioner_id=read_id(text(form, "practitioner_id")),
            room_id=read_id(text(form, "room_id")),
        )
        row = calendar.book(
            session=session, clinic_id=user.clinic_id, kb=kb, data=data, actor=user.id, now=clock()
        )
    except (ValidationError, ConflictError, InvalidInputError) as exc:
        status = refused(session, problems, exc)
    else:
        return see_other(f"/calendar/bookings/{row.id}")
    return slots_page(
        request,
        session=session,
        user=user,
        kb=kb,
        now=clock(),
        search=search,
        problems=problems,
        status_code=status,
    )


def review_booking(
    request: Request, *, session: Session, user: User, kb: KnowledgeBase, form: FormData,
    start: datetime,
) -> Response:  # fmt: skip
    """The confirm page for the picked place: the plan's client and procedure, or the client's
    chosen one."""
    search = SlotSearch.of({name: text(form, name) for name in form})
    client_id, procedure_id = search.client_id or 0, search.procedure_id
    if search.plan_id is not None:
        plan = plans.get_plan(
            session=session, clinic_id=user.clinic_id, plan_id=search.plan_id, actor=user.id
        )
        client_id, procedure_id = plan.client_id, plan.procedure_id
    back = "/calendar/slots?" + urlencode(
        {name: text(form, name) for name in ("plan", "client", "procedure", "day", "practitioner")}
    )
    confirming = Confirmation("/calendar/bookings", back, client_id, procedure_id)
    return confirm_page(
        request, session=session, user=user, kb=kb, form=form, start=start, confirming=confirming
    )
