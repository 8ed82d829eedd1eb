"""The waitlist: clients waiting for a place, stored (added, removed, offered a place a
cancellation freed, booked into it); and a week's waitlist placed by the optimiser: the sessions
of plans' courses that should happen this week, placed together (CP-SAT, against the greedy
baseline), and booked if asked."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from corneum.db.atomic import atomic
from corneum.db.engine import take_write_lock
from corneum.knowledge import KnowledgeBase
from corneum.phrase import N_, Phrase
from corneum.planning.week import SessionRequest
from corneum.records.audit import service as audit
from corneum.records.calendar.bookings import service
from corneum.records.calendar.bookings.schemas import BookingCreate
from corneum.records.calendar.bookings.tables import RELEASED_STATUSES, Booking
from corneum.records.calendar.courses.service import client_hours_of
from corneum.records.calendar.resources.service import find_practitioner
from corneum.records.calendar.store import load_calendar, requirement
from corneum.records.calendar.waitlist.schemas import (
    StoredWeekRequest,
    WaitingCreate,
    WaitlistEntry,
    WeekRequest,
)
from corneum.records.calendar.waitlist.tables import WaitingClient, WaitStatus
from corneum.records.clients.tables import Client
from corneum.records.clinic_time import ClinicClock, clinic_clock
from corneum.records.errors import ConflictError, NotFoundError
from corneum.records.plans.tables import TreatmentPlan
from corneum.records.tenancy import audit_client, find_client, find_owned

if TYPE_CHECKING:
    # OR-Tools (tens of MiB, a second to load) is imported only when the optimiser runs, so no
    # server process that never optimises a week pays for it.
    from corneum.planning.optimiser import WeekPlan


@dataclass(frozen=True, slots=True)
class WeekResult:
    plan: WeekPlan
    greedy: WeekPlan
    plan_ids: tuple[int, ...]
    """Each entry's plan, by index."""
    minutes: dict[int, int]
    """Each placed entry's session length."""
    clock: ClinicClock
    booked: tuple[Booking, ...] = ()


@atomic
def optimise_waitlist(
    *,
    session: Session,
    clinic_id: int,
    kb: KnowledgeBase,
    data: WeekRequest,
    actor: int | None,
    now: datetime,
) -> WeekResult:
    """Place the waitlist in the week around what is booked already; with ``data.book`` book
    every placed session in this one transaction."""
    from corneum.planning.optimiser import greedy_week, optimise_week

    if data.book:
        take_write_lock(session)
    clock = clinic_clock(session, clinic_id)
    monday = datetime.combine(data.week_start, time(0))
    calendar = load_calendar(
        session, clinic_id=clinic_id, kb=kb, clock=clock, window=(monday, monday + timedelta(7))
    )
    plans = [
        find_owned(session, TreatmentPlan, e.plan_id, clinic_id=clinic_id, resource="plan")[0]
        for e in data.requests
    ]
    requests = [
        _request(index, plan, entry, kb, monday)
        for index, (plan, entry) in enumerate(zip(plans, data.requests, strict=True))
    ]
    requirements = dict(calendar.requirements)
    greedy = greedy_week(calendar.copy(), requirements, requests)
    plan = optimise_week(
        calendar, requirements, requests, week_start=monday, seconds=data.seconds, hint=greedy
    )
    minutes = {r.id: requirements[r.procedure_id].minutes for r in requests}
    result = WeekResult(plan, greedy, tuple(p.id for p in plans), minutes, clock)
    if not data.book:
        return result
    booked = tuple(
        service.book(
            session=session,
            clinic_id=clinic_id,
            kb=kb,
            data=BookingCreate(
                plan_id=result.plan_ids[index],
                start=clock.utc(slot.start),
                practitioner_id=slot.practitioner_id,
                room_id=slot.room_id,
            ),
            actor=actor,
            now=now,
        )
        for index, slot in sorted(plan.placed.items(), key=lambda item: item[1].start)
    )
    return WeekResult(plan, greedy, result.plan_ids, minutes, clock, booked)


def _request(
    index: int, plan: TreatmentPlan, entry: WaitlistEntry, kb: KnowledgeBase, monday: datetime
) -> SessionRequest:
    """The entry as the optimiser's request, its days cut to the week."""
    requirement(kb, plan.procedure_id)  # a home procedure is refused, naming it
    first = max(datetime.combine(entry.earliest, time(0)), monday)
    last = min(datetime.combine(entry.latest, time(23, 59)), monday + timedelta(days=7, minutes=-1))
    return SessionRequest(
        id=index,
        procedure_id=plan.procedure_id,
        earliest=first,
        latest=max(last, first),
        client_hours=client_hours_of(entry.client_hours),
        practitioner_id=entry.practitioner_id,
    )


def proved_bound(plan: WeekPlan) -> int | None:
    """The solver's bound on sessions placed, as a whole number (it proves an integer)."""
    return None if plan.placed_bound is None else math.floor(plan.placed_bound + 1e-6)


WAITLIST = "waitlist_entry"
"""The audit log's name for a waitlist entry."""


def add_waiting(
    *, session: Session, clinic_id: int, kb: KnowledgeBase, data: WaitingCreate, actor: int | None
) -> WaitingClient:
    """Put a client on the waitlist; a plan's entry waits for the plan's procedure."""
    client = find_client(session=session, clinic_id=clinic_id, client_id=data.client_id)
    procedure_id = data.procedure_id
    if data.plan_id is not None:
        plan, owner = find_owned(
            session, TreatmentPlan, data.plan_id, clinic_id=clinic_id, resource="plan"
        )
        if owner.id != client.id:
            raise NotFoundError("plan", data.plan_id)
        procedure_id = plan.procedure_id
    assert procedure_id is not None  # WaitingCreate insists on a plan or a procedure
    requirement(kb, procedure_id)  # a home procedure is refused, naming it
    if data.practitioner_id is not None:
        find_practitioner(session, clinic_id, data.practitioner_id)
    row = WaitingClient(
        clinic_id=clinic_id, client_id=client.id, plan_id=data.plan_id, procedure_id=procedure_id,
        earliest=data.earliest, latest=data.latest, practitioner_id=data.practitioner_id,
        created_by=actor,
    )  # fmt: skip
    session.add(row)
    session.flush()
    audit_client(
        session, actor=actor, action="create", client=client, resource=WAITLIST,
        resource_id=row.id,
    )  # fmt: skip
    return row


def list_waiting(
    *, session: Session, clinic_id: int, actor: int | None
) -> list[tuple[WaitingClient, Client]]:
    """The clients waiting, earliest window first; the audit row names the entries."""
    statement = (
        select(WaitingClient, Client)
        .join(Client, Client.id == WaitingClient.client_id)
        .where(WaitingClient.clinic_id == clinic_id, WaitingClient.status == "waiting")
        .order_by(WaitingClient.earliest, WaitingClient.id)
    )
    rows = [(row, client) for row, client in session.execute(statement)]
    audit.record(
        session=session, actor_id=actor, action="read", resource=WAITLIST, resource_id=None,
        client_id=None, clinic_id=clinic_id, detail={"entry_ids": [row.id for row, _ in rows]},
    )  # fmt: skip
    return rows


def remove_waiting(
    *, session: Session, clinic_id: int, entry_id: int, actor: int | None, now: datetime
) -> WaitingClient:
    """Take a client off the waitlist (found a place elsewhere, changed their mind); the row
    stays, removed, with who and when. Removing twice changes nothing."""
    row, client = _entry(session, clinic_id, entry_id)
    if row.status == "waiting":
        _close(session, row, client, "removed", actor, now)
    return row


def offers(
    *, session: Session, clinic_id: int, kb: KnowledgeBase, booking_id: int, actor: int | None,
    now: datetime,
) -> list[WaitingClient]:  # fmt: skip
    """The waiting clients offered the place a booking gave up (cancelled, late or a no-show):
    same procedure, the day in their window, their practitioner if they named one; none once
    the place is past or taken again."""
    row, _ = service.find_booking(session, clinic_id, booking_id)
    if (
        row.status not in RELEASED_STATUSES
        or row.starts_at <= now
        or not _still_free(session, clinic_id, kb, row)
    ):
        return []
    day = clinic_clock(session, clinic_id).local(row.starts_at).date()
    statement = select(WaitingClient).where(
        WaitingClient.clinic_id == clinic_id,
        WaitingClient.status == "waiting",
        WaitingClient.procedure_id == row.procedure_id,
        WaitingClient.earliest <= day,
        WaitingClient.latest >= day,
        or_(
            WaitingClient.practitioner_id.is_(None),
            WaitingClient.practitioner_id == row.practitioner_id,
        ),
        WaitingClient.client_id != row.client_id,
    )
    found = list(session.scalars(statement.order_by(WaitingClient.earliest, WaitingClient.id)))
    audit.record(
        session=session, actor_id=actor, action="read", resource=WAITLIST, resource_id=None,
        client_id=None, clinic_id=clinic_id,
        detail={"entry_ids": [entry.id for entry in found], "offered": row.id},
    )  # fmt: skip
    return found


@atomic
def take_offer(
    *, session: Session, clinic_id: int, kb: KnowledgeBase, booking_id: int, entry_id: int,
    actor: int | None, now: datetime,
) -> Booking:  # fmt: skip
    """Book the waiting client into the place the booking gave up; the entry is booked."""
    freed, _ = service.find_booking(session, clinic_id, booking_id)
    row, client = _entry(session, clinic_id, entry_id)
    if row.status != "waiting":
        raise ConflictError("entry_id", Phrase(NOT_WAITING, {"entry": row.id}))
    if row.procedure_id != freed.procedure_id or freed.status not in RELEASED_STATUSES:
        raise ConflictError("entry_id", Phrase(NOT_OFFERED, {"entry": row.id, "booking": freed.id}))
    place = Accepted(row.id, freed.starts_at, freed.practitioner_id, freed.room_id)
    return _book_entry(session, clinic_id, kb, row, client, place, actor, now)


@dataclass(frozen=True, slots=True)
class Accepted:
    """A waiting entry and the place the desk accepted for it from the optimiser's proposal."""

    entry_id: int
    start: datetime
    practitioner_id: int
    room_id: int


@atomic
def book_accepted(
    *, session: Session, clinic_id: int, kb: KnowledgeBase, accepted: Sequence[Accepted],
    actor: int | None, now: datetime,
) -> list[Booking]:  # fmt: skip
    """Book each accepted entry into its place, all or none (a place taken meanwhile or an
    entry no longer waiting refuses the lot, naming it); the entries are booked."""
    take_write_lock(session)
    booked = []
    for place in accepted:
        row, client = _entry(session, clinic_id, place.entry_id)
        if row.status != "waiting":
            raise ConflictError("entry_id", Phrase(NOT_WAITING, {"entry": row.id}))
        booked.append(_book_entry(session, clinic_id, kb, row, client, place, actor, now))
    return booked


def _book_entry(
    session: Session, clinic_id: int, kb: KnowledgeBase, row: WaitingClient, client: Client,
    place: Accepted, actor: int | None, now: datetime,
) -> Booking:  # fmt: skip
    booking = service.book(
        session=session, clinic_id=clinic_id, kb=kb, actor=actor, now=now,
        data=BookingCreate(
            plan_id=row.plan_id, client_id=None if row.plan_id else row.client_id,
            procedure_id=None if row.plan_id else row.procedure_id, start=place.start,
            practitioner_id=place.practitioner_id, room_id=place.room_id,
        ),
    )  # fmt: skip
    row.booking_id = booking.id
    _close(session, row, client, "booked", actor, now)
    return booking


NOT_WAITING = N_("waitlist entry %(entry)s is no longer waiting")
NOT_OFFERED = N_("waitlist entry %(entry)s is not offered the place of booking %(booking)s")


def _still_free(session: Session, clinic_id: int, kb: KnowledgeBase, row: Booking) -> bool:
    clock = clinic_clock(session, clinic_id)
    local = clock.local(row.starts_at)
    calendar = load_calendar(
        session, clinic_id=clinic_id, kb=kb, clock=clock, window=(local, local + timedelta(1))
    )
    try:
        service.place(calendar, requirement(kb, row.procedure_id), local, row.practitioner_id, None)
    except ConflictError:
        return False
    return True


def _entry(session: Session, clinic_id: int, entry_id: int) -> tuple[WaitingClient, Client]:
    row, client = find_owned(
        session, WaitingClient, entry_id, clinic_id=clinic_id, resource=WAITLIST
    )
    return row, client


def _close(
    session: Session, row: WaitingClient, client: Client, status: WaitStatus, actor: int | None,
    now: datetime,
) -> None:  # fmt: skip
    row.status, row.closed_by, row.closed_at = status, actor, now
    audit_client(
        session, actor=actor, action="update", client=client, resource=WAITLIST,
        resource_id=row.id, detail={"status": status},
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class StoredWeek:
    """The optimiser's week over the stored waitlist: the result, and each request's entry."""

    result: WeekResult | None
    """None: no plan's entry waits for a day of the week."""
    entries: tuple[WaitingClient, ...]


@atomic
def optimise_stored(
    *, session: Session, clinic_id: int, kb: KnowledgeBase, data: StoredWeekRequest,
    actor: int | None, now: datetime,
) -> StoredWeek:  # fmt: skip
    """The stored entries of plans waiting for a day of the week, placed by the optimiser
    beside the greedy baseline; with ``data.book`` booked, and the entries booked with them.
    (A single visit's entry, without a plan, is offered places one by one, not optimised.)"""
    last = data.week_start + timedelta(days=6)
    statement = select(WaitingClient).where(
        WaitingClient.clinic_id == clinic_id,
        WaitingClient.status == "waiting",
        WaitingClient.plan_id.is_not(None),
        WaitingClient.earliest <= last,
        WaitingClient.latest >= data.week_start,
    )
    entries = tuple(session.scalars(statement.order_by(WaitingClient.latest, WaitingClient.id)))
    if not entries:
        return StoredWeek(None, ())
    request = WeekRequest(
        week_start=data.week_start, seconds=data.seconds, book=data.book,
        requests=[
            WaitlistEntry(
                plan_id=entry.plan_id, earliest=max(entry.earliest, data.week_start),
                latest=min(entry.latest, last), practitioner_id=entry.practitioner_id,
            )
            for entry in entries
            if entry.plan_id is not None
        ],
    )  # fmt: skip
    result = optimise_waitlist(
        session=session, clinic_id=clinic_id, kb=kb, data=request, actor=actor, now=now
    )
    booked = {booking.plan_id: booking for booking in result.booked}
    for index in result.plan.placed if data.book else ():
        entry = entries[index]
        entry.booking_id = booked[entry.plan_id].id if entry.plan_id in booked else None
        client = find_client(session=session, clinic_id=clinic_id, client_id=entry.client_id)
        _close(session, entry, client, "booked", actor, now)
    return StoredWeek(result, entries)
