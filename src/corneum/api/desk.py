"""The reception desk over HTTP (practitioners and reception, as the calendar): a client checked
in, a no-show, a late cancellation, a walk-in; why a slot search found nothing; the stored
waitlist, the places cancellations free offered to it, and its week optimised."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel

from corneum.api.calendar_reads import booking_reads, week_plan_read
from corneum.http.deps import (
    ClockDep,
    KnowledgeDep,
    Paged,
    PathId,
    SessionDep,
    Staff,
    StaffWriting,
    WriteSessionDep,
)
from corneum.records.calendar.bookings import desk
from corneum.records.calendar.bookings.diagnosis import diagnose
from corneum.records.calendar.bookings.schemas import BookingRead, WalkIn
from corneum.records.calendar.waitlist import service as waitlist
from corneum.records.calendar.waitlist.schemas import (
    OfferTake,
    StoredWeekRequest,
    WaitingCreate,
    WaitingRead,
    WeekPlanRead,
)
from corneum.records.fields import MAX_INTEGER, Moment

router = APIRouter(prefix="/api", tags=["calendar"])
CREATED = status.HTTP_201_CREATED


class CausesRead(BaseModel):
    causes: list[str]
    """Each thing that keeps the procedure out of the window, in English."""


@router.post("/bookings/{booking_id}/check-in", response_model=BookingRead)
def check_in_booking(
    booking_id: PathId, user: StaffWriting, session: WriteSessionDep, clock: ClockDep
) -> BookingRead:
    """The client is here (on the booking's day): ``arrived``, with who and when."""
    row = desk.check_in(
        session=session, clinic_id=user.clinic_id, booking_id=booking_id, actor=user.id,
        now=clock(),
    )  # fmt: skip
    return booking_reads(session, [row])[0]


@router.post("/bookings/{booking_id}/no-show", response_model=BookingRead)
def no_show_booking(
    booking_id: PathId, user: StaffWriting, session: WriteSessionDep, clock: ClockDep
) -> BookingRead:
    """The client did not come (from the booking's start on): its place is given up."""
    row = desk.no_show(
        session=session, clinic_id=user.clinic_id, booking_id=booking_id, actor=user.id,
        now=clock(),
    )  # fmt: skip
    return booking_reads(session, [row])[0]


@router.post("/bookings/{booking_id}/late-cancel", response_model=BookingRead)
def late_cancel_booking(
    booking_id: PathId, user: StaffWriting, session: WriteSessionDep, clock: ClockDep
) -> BookingRead:
    """The client cancelled within 24 hours of the start: the place is given up."""
    row = desk.late_cancel(
        session=session, clinic_id=user.clinic_id, booking_id=booking_id, actor=user.id,
        now=clock(),
    )  # fmt: skip
    return booking_reads(session, [row])[0]


@router.post("/walk-ins", status_code=CREATED, response_model=BookingRead)
def book_walk_in(
    data: WalkIn, user: StaffWriting, session: WriteSessionDep, kb: KnowledgeDep, clock: ClockDep
) -> BookingRead:
    """Book a client at the desk into the first free place now, checked in; 409 naming why
    there is none before the end of the day."""
    row = desk.walk_in(
        session=session, clinic_id=user.clinic_id, kb=kb, client_id=data.client_id,
        procedure_id=data.procedure_id, actor=user.id, now=clock(),
    )  # fmt: skip
    return booking_reads(session, [row])[0]


@router.get("/slots/causes", response_model=CausesRead)
def explain_no_slots(
    user: Staff,
    session: SessionDep,
    kb: KnowledgeDep,
    procedure_id: Annotated[str, Query(max_length=64)],
    start: Annotated[Moment, Query()],
    end: Annotated[Moment, Query()],
    practitioner_id: Annotated[int | None, Query(ge=1, le=MAX_INTEGER)] = None,
) -> CausesRead:
    """Why ``GET /api/slots`` finds nothing for the procedure in [start, end): no room set up,
    no device of a kind, every unit in maintenance, no practitioner qualified or working on
    those weekdays, or, with everything there, a full calendar."""
    causes = diagnose(
        session=session, clinic_id=user.clinic_id, kb=kb, procedure_id=procedure_id,
        start=start, end=end, practitioner_id=practitioner_id,
    )  # fmt: skip
    return CausesRead(causes=[cause.text for cause in causes])


@router.get("/waitlist", response_model=list[WaitingRead])
def list_waitlist(user: Staff, session: SessionDep, page: Paged) -> list[WaitingRead]:
    """The clients waiting for a place, earliest window first."""
    rows = waitlist.list_waiting(session=session, clinic_id=user.clinic_id, actor=user.id)
    return page([WaitingRead.model_validate(row) for row, _ in rows])


@router.post("/waitlist", status_code=CREATED, response_model=WaitingRead)
def add_to_waitlist(
    data: WaitingCreate, user: StaffWriting, session: WriteSessionDep, kb: KnowledgeDep
) -> WaitingRead:
    row = waitlist.add_waiting(
        session=session, clinic_id=user.clinic_id, kb=kb, data=data, actor=user.id
    )
    return WaitingRead.model_validate(row)


@router.delete("/waitlist/{entry_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove_from_waitlist(
    entry_id: PathId, user: StaffWriting, session: WriteSessionDep, clock: ClockDep
) -> Response:
    """Take the client off the waitlist; the entry stays, removed, with who and when."""
    waitlist.remove_waiting(
        session=session, clinic_id=user.clinic_id, entry_id=entry_id, actor=user.id, now=clock()
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/bookings/{booking_id}/offers", response_model=list[WaitingRead])
def list_offers(
    booking_id: PathId,
    user: Staff,
    session: SessionDep,
    kb: KnowledgeDep,
    clock: ClockDep,
    page: Paged,
) -> list[WaitingRead]:
    """The waiting clients offered the place the booking gave up (none while it holds it)."""
    rows = waitlist.offers(
        session=session, clinic_id=user.clinic_id, kb=kb, booking_id=booking_id, actor=user.id,
        now=clock(),
    )  # fmt: skip
    return page([WaitingRead.model_validate(row) for row in rows])


@router.post("/bookings/{booking_id}/offers", status_code=CREATED, response_model=BookingRead)
def take_offer(
    booking_id: PathId,
    data: OfferTake,
    user: StaffWriting,
    session: WriteSessionDep,
    kb: KnowledgeDep,
    clock: ClockDep,
) -> BookingRead:
    """Book the waiting client into the place the booking gave up."""
    row = waitlist.take_offer(
        session=session, clinic_id=user.clinic_id, kb=kb, booking_id=booking_id,
        entry_id=data.entry_id, actor=user.id, now=clock(),
    )  # fmt: skip
    return booking_reads(session, [row])[0]


@router.post("/waitlist/optimise", response_model=WeekPlanRead)
def optimise_waitlist(
    data: StoredWeekRequest,
    user: StaffWriting,
    session: WriteSessionDep,
    kb: KnowledgeDep,
    clock: ClockDep,
) -> WeekPlanRead:
    """The stored waitlist's plan entries placed in the week (``placed[].request`` indexes
    the entries waiting then, latest window first), beside the greedy baseline; ``book``
    books them and marks their entries booked."""
    week = waitlist.optimise_stored(
        session=session, clinic_id=user.clinic_id, kb=kb, data=data, actor=user.id, now=clock()
    )
    return week_plan_read(session, week.result)
