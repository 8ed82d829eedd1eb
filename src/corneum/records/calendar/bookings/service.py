"""Slot search and bookings: made, cancelled and moved atomically, each change kept in the
booking's history and the audit log.

Every write first takes the calendar's write lock (SQLite) and checks the slot against the
calendar as stored; on PostgreSQL the exclusion constraint on ``booking_holds`` also refuses a
slot taken by a concurrent request in the meantime. Either way the loser gets a
:class:`ConflictError` naming the resource and the time, and nothing of its booking is written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, get_args

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from corneum.db.atomic import atomic
from corneum.db.engine import take_write_lock
from corneum.knowledge import KnowledgeBase
from corneum.phrase import N_, Code, Phrase, Value
from corneum.planning.calendar import (
    RESOURCES,
    Calendar,
    OverlapError,
    ResourceKey,
    WeeklyHours,
    holds,
    minute,
    resource_phrase,
)
from corneum.planning.calendar import Booking as Placement
from corneum.planning.requirements import Requirement
from corneum.planning.slots import Slot, find_slots
from corneum.records.accounts.tables import Clinic
from corneum.records.audit import service as audit
from corneum.records.calendar.bookings.schemas import BookingCreate, RescheduleRequest
from corneum.records.calendar.bookings.tables import (
    HOLDING,
    Booking,
    BookingAction,
    BookingEvent,
    BookingHold,
    BookingStatus,
    CancelReason,
)
from corneum.records.calendar.bookings.visits import follow_booking, refuse_if_run, visit_of
from corneum.records.calendar.refusals import invalid, not_booked
from corneum.records.calendar.resources.tables import (
    DEFAULT_REMINDER_HOURS,
    CalendarSettings,
    Device,
)
from corneum.records.calendar.store import load_calendar, offered, plausible, resource_names
from corneum.records.clients.tables import Client
from corneum.records.clinic_time import ClinicClock, clinic_clock
from corneum.records.errors import ConflictError, NotFoundError
from corneum.records.plans.tables import TreatmentPlan
from corneum.records.reminders.service import Appointment, enqueue_reminder, withdraw_reminders
from corneum.records.screening.sequencing import require_sequencing
from corneum.records.screening.service import require_screening, screen
from corneum.records.sessions.tables import TreatmentSession
from corneum.records.tenancy import audit_client, find_client, find_owned

SEARCH_DAYS_MAX = 62
SEARCH_TOO_LONG = N_("search at most %(days)s days at a time")
IN_THE_PAST = N_("is in the past")
TOO_FAR = N_("is more than %(days)s days ahead: the clinic books no further")
PLAN_IS_FOR = N_("plan %(plan)s is for %(procedure)s")
CHANGED = N_("booking %(booking)s changed since version %(version)s; it is %(current)s")
NOT_QUALIFIED = N_(
    "%(practitioner)s is not one of this clinic's practitioners qualified for %(procedure)s"
)
NO_PRACTITIONER = N_("no practitioner can perform %(procedure)s")
NOT_WORKING = N_("%(practitioner)s does not work for the whole of %(start)s-%(end)s")
NONE_WORKING = N_("no qualified practitioner works for the whole of %(start)s-%(end)s")
NO_DEVICE = N_("the clinic has no %(kind)s in service")
NO_ROOM = N_("the clinic has no room in service")
NOTHING_FREE = N_("no room or device is free for the whole of %(start)s-%(end)s")
TAKEN = N_("%(resource)s was booked at %(time)s by another request just now")
A_RESOURCE = N_("a resource")
RELEASED: dict[BookingAction, BookingStatus] = {
    "cancel": "cancelled",
    "late_cancel": "late_cancelled",
    "no_show": "no_show",
}
CLOSED_PLANS = frozenset({"cancelled", "completed"})
PLAN_CLOSED = {
    "cancelled": N_("plan %(plan)s is cancelled: nothing more can be booked for it"),
    "completed": N_("plan %(plan)s is completed: nothing more can be booked for it"),
}


def search_slots(
    *,
    session: Session,
    clinic_id: int,
    kb: KnowledgeBase,
    procedure_id: str,
    start: datetime,
    end: datetime,
    count: int = 5,
    practitioner_id: int | None = None,
    client_hours: WeeklyHours | None = None,
) -> list[tuple[Slot, ClinicClock, Requirement]]:
    """The earliest ``count`` places for a session starting in [start, end) (aware times)."""
    plausible("start", start)
    plausible("end", end)
    if end - start > timedelta(days=SEARCH_DAYS_MAX):
        raise invalid("end", Phrase(SEARCH_TOO_LONG, {"days": SEARCH_DAYS_MAX}))
    need = offered(session, clinic_id, kb, procedure_id)
    clock = clinic_clock(session, clinic_id)
    window = clock.local(start), clock.local(end)
    calendar = load_calendar(session, clinic_id=clinic_id, kb=kb, clock=clock, window=window)
    found = find_slots(
        calendar,
        need,
        start=window[0],
        end=window[1],
        count=count,
        practitioner_id=practitioner_id,
        client_hours=client_hours,
        step=clock.step,
    )
    return [(slot, clock, need) for slot in found]


@atomic
def book(
    *,
    session: Session,
    clinic_id: int,
    kb: KnowledgeBase,
    data: BookingCreate,
    actor: int | None,
    now: datetime,
) -> Booking:
    """Book a session at ``data.start``, choosing the practitioner and room if not given."""
    take_write_lock(session)
    client, plan = _whose(session, clinic_id, data)
    procedure_id = plan.procedure_id if plan else data.procedure_id
    assert procedure_id is not None  # BookingCreate insists on one or the other
    need = offered(session, clinic_id, kb, procedure_id)
    _in_reach(session, clinic_id, data.start, now)
    if plan is not None and plan.status in CLOSED_PLANS:
        raise ConflictError("plan_id", Phrase(PLAN_CLOSED[plan.status], {"plan": plan.id}))
    clock = clinic_clock(session, clinic_id)
    local = clock.local(data.start)
    screening = require_screening(
        session=session, clinic_id=clinic_id, client_id=client.id, procedure_id=procedure_id,
        area=plan.area if plan else None, on=local.date(), kb=kb, actor=actor,
        unscreened_is_caution=True,
    )  # fmt: skip
    spaced = require_sequencing(
        session=session, client_id=client.id, procedure_id=procedure_id, start=data.start,
        on=local.date(), kb=kb,
    )  # fmt: skip
    calendar = _calendar_around(session, clinic_id, kb, clock, local)
    slot = place(calendar, need, local, data.practitioner_id, data.room_id)
    row = Booking(
        clinic_id=clinic_id,
        client_id=client.id,
        plan_id=plan.id if plan else None,
        procedure_id=procedure_id,
        cautions=screening.stored_cautions() + spaced,
        created_by=actor,
    )
    _put(row, slot, need, clock)
    session.add(row)
    session.flush()
    _write_holds(session, row, slot, need, clock)
    history(session, row, "create", actor, old=None)
    audit_client(
        session, actor=actor, action="create", client=client, resource="booking", resource_id=row.id
    )
    _remind(session, row, client, clock, now)
    return row


@atomic
def cancel(
    *,
    session: Session,
    clinic_id: int,
    booking_id: int,
    version: int | None,
    actor: int | None,
    reason: CancelReason | None = None,
) -> Booking:
    """Free what the booking holds; its holds stay, inactive, and its history says who (and
    why, when ``reason`` is given). Cancelling a cancelled booking changes nothing, so a
    retried request is harmless and a first reason is kept."""
    take_write_lock(session)
    row, client = locked(session, clinic_id, booking_id, version)
    if row.status == "cancelled":
        return row
    if row.status != "booked":
        raise not_booked(row)
    refuse_if_run(session, row)
    row.cancel_reason = reason
    release(session, row, client, actor, "cancel", **({"reason": reason} if reason else {}))
    return row


def release(
    session: Session,
    row: Booking,
    client: Client,
    actor: int | None,
    action: BookingAction,
    **detail: object,
) -> None:
    """Give the booking's place up (cancelled, late-cancelled or missed): its holds stay,
    inactive, its reminders go, its session follows; the history and the audit say who (and
    ``detail``, such as the cancel reason's code)."""
    row.status = RELEASED[action]
    row.version += 1
    session.execute(
        update(BookingHold).where(BookingHold.booking_id == row.id).values(active=False)
    )
    withdraw_reminders(session=session, booking_id=row.id)
    follow_booking(session, row)
    history(session, row, action, actor, old=(row.starts_at, row.ends_at, row.practitioner_id))
    audit_change(session, row, client, actor, action, version=row.version, **detail)


@atomic
def reschedule(
    *,
    session: Session,
    clinic_id: int,
    kb: KnowledgeBase,
    booking_id: int,
    data: RescheduleRequest,
    actor: int | None,
    now: datetime,
) -> Booking:
    """Move a booking to a new time (and practitioner or room); the old holds are replaced."""
    take_write_lock(session)
    _in_reach(session, clinic_id, data.start, now)
    row, client = locked(session, clinic_id, booking_id, data.version)
    slot, need, clock = plan_move(session=session, clinic_id=clinic_id, kb=kb, row=row, data=data)
    screening = require_screening(
        session=session, clinic_id=clinic_id, client_id=client.id, procedure_id=row.procedure_id,
        area=_area_of(session, row), on=slot.start.date(), kb=kb, actor=actor,
        unscreened_is_caution=True,
    )  # fmt: skip
    spaced = require_sequencing(
        session=session, client_id=client.id, procedure_id=row.procedure_id, start=data.start,
        on=slot.start.date(), kb=kb, excluding=row.id,
    )  # fmt: skip
    row.cautions = screening.stored_cautions() + spaced
    old = (row.starts_at, row.ends_at, row.practitioner_id)
    session.execute(delete(BookingHold).where(BookingHold.booking_id == row.id))
    _put(row, slot, need, clock)
    row.version += 1
    session.flush()
    _write_holds(session, row, slot, need, clock)
    follow_booking(session, row)
    history(session, row, "reschedule", actor, old=old)
    audit_change(session, row, client, actor, "reschedule", version=row.version)
    withdraw_reminders(session=session, booking_id=row.id)
    _remind(session, row, client, clock, now)
    return row


def plan_move(
    *, session: Session, clinic_id: int, kb: KnowledgeBase, row: Booking, data: RescheduleRequest
) -> tuple[Slot, Requirement, ClinicClock]:
    """Where the booking would go: the calendar without the booking itself, so it may move
    within its own time; :class:`ConflictError` if the new place is taken."""
    plausible("start", data.start)
    if row.status != "booked":
        raise not_booked(row)
    refuse_if_run(session, row)
    need = offered(session, clinic_id, kb, row.procedure_id)
    clock = clinic_clock(session, clinic_id)
    local = clock.local(data.start)
    calendar = _calendar_around(session, clinic_id, kb, clock, local, excluding=row.id)
    practitioner = data.practitioner_id or row.practitioner_id
    return place(calendar, need, local, practitioner, data.room_id), need, clock


def place(
    calendar: Calendar,
    need: Requirement,
    start: datetime,
    practitioner_id: int | None,
    room_id: int | None,
) -> Slot:
    """A practitioner, a room and device units free for the whole session at ``start`` (local),
    or :class:`ConflictError` naming what is in the way."""
    if room_id is not None:
        if room_id not in calendar.resources.rooms:
            raise NotFoundError("room", room_id)
        calendar.resources = replace(calendar.resources, rooms=(room_id,))
    practitioners = calendar.resources.qualified(need)
    if practitioner_id is not None:
        if practitioner_id not in [p.id for p in practitioners]:
            values: dict[str, Value] = {
                "practitioner": _named(calendar, practitioner_id),
                "procedure": Code(need.procedure_id),
            }
            raise invalid("practitioner_id", Phrase(NOT_QUALIFIED, values))
    elif not practitioners:
        phrase = Phrase(NO_PRACTITIONER, {"procedure": Code(need.procedure_id)})
        raise ConflictError("practitioner_id", phrase)
    end = start + timedelta(minutes=need.minutes)
    found = find_slots(
        calendar, need, start=start, end=end, count=1, practitioner_id=practitioner_id, step=1
    )
    if found and found[0].start == start:
        return found[0]
    raise ConflictError("start", _in_the_way(calendar, need, start, practitioner_id))


def _named(calendar: Calendar, practitioner_id: int) -> Phrase:
    return resource_phrase(("practitioner", practitioner_id), calendar.resources.names)


def _in_the_way(
    calendar: Calendar, need: Requirement, start: datetime, practitioner_id: int | None
) -> Phrase:
    """Name one resource that makes ``start`` impossible: the practitioner's hours, or a
    practitioner, room or device unit held (or in maintenance) then."""
    end = start + timedelta(minutes=need.minutes)
    qualified = calendar.resources.qualified(need)
    candidates = [p for p in qualified if practitioner_id in (None, p.id)]
    working = [p for p in candidates if p.hours.span_containing(start, end) is not None]
    when: dict[str, Value] = {"start": minute(start), "end": f"{end:%H:%M}"}
    if not working:
        if practitioner_id:
            return Phrase(NOT_WORKING, {"practitioner": _named(calendar, practitioner_id), **when})
        return Phrase(NONE_WORKING, when)
    for kind, _ in need.device_spans:
        if not calendar.resources.units(kind):
            return Phrase(NO_DEVICE, {"kind": Code(kind)})
    if not calendar.resources.rooms:
        return Phrase(NO_ROOM)
    probe = Placement(
        0,
        need.procedure_id,
        start,
        working[0].id,
        calendar.resources.rooms[0],
        tuple((kind, calendar.resources.units(kind)[0].id) for kind, _ in need.device_spans),
    )
    try:
        calendar.book(probe)
    except OverlapError as exc:
        return exc.phrase
    calendar.cancel(0)
    return Phrase(NOTHING_FREE, when)


def list_bookings(
    *,
    session: Session,
    clinic_id: int,
    start: datetime,
    end: datetime,
    practitioner_id: int | None = None,
    room_id: int | None = None,
    client_id: int | None = None,
    actor: int | None,
) -> list[Booking]:
    """Bookings (any status) that overlap [start, end), by time; the audit row names them."""
    statement = select(Booking).where(
        Booking.clinic_id == clinic_id, Booking.starts_at < end, Booking.ends_at > start
    )
    if practitioner_id is not None:
        statement = statement.where(Booking.practitioner_id == practitioner_id)
    if room_id is not None:
        statement = statement.where(Booking.room_id == room_id)
    if client_id is not None:
        statement = statement.where(Booking.client_id == client_id)
    rows = list(session.scalars(statement.order_by(Booking.starts_at, Booking.id)))
    audit.record(
        session=session,
        actor_id=actor,
        action="read",
        resource="booking",
        resource_id=None,
        client_id=client_id,
        clinic_id=clinic_id,
        detail={"booking_ids": [row.id for row in rows]},
    )
    return rows


def get_booking(
    *, session: Session, clinic_id: int, booking_id: int, actor: int | None
) -> tuple[Booking, list[BookingEvent]]:
    row, client = find_booking(session, clinic_id, booking_id)
    audit_client(
        session, actor=actor, action="read", client=client, resource="booking", resource_id=row.id
    )
    events = select(BookingEvent).where(BookingEvent.booking_id == row.id)
    return row, list(session.scalars(events.order_by(BookingEvent.id)))


def booking_flags(
    *, session: Session, row: Booking, kb: KnowledgeBase, actor: int | None
) -> list[dict[str, Any]]:
    """The contraindications screening finds now for a booked booking's day, from the record
    as it stands: a booking made before they appeared is not silently kept."""
    if row.status not in HOLDING:
        return []
    clock = clinic_clock(session, row.clinic_id)
    found = screen(
        session=session, clinic_id=row.clinic_id, client_id=row.client_id,
        procedure_id=row.procedure_id, area=_area_of(session, row),
        on=clock.local(row.starts_at).date(), kb=kb, actor=actor, unscreened_is_caution=True,
    )  # fmt: skip
    return [reason.to_dict() for reason in found.barring]


def device_ids(session: Session, booking_ids: list[int]) -> dict[int, dict[str, int]]:
    """The device units each booking holds, by kind."""
    statement = (
        select(BookingHold.booking_id, Device.kind, Device.id)
        .join(Device, Device.id == BookingHold.resource_id)
        .where(BookingHold.booking_id.in_(booking_ids), BookingHold.resource_kind == "device")
    )
    found: dict[int, dict[str, int]] = {booking_id: {} for booking_id in booking_ids}
    for booking_id, kind, unit in session.execute(statement):
        found[booking_id][kind] = unit
    return found


def _area_of(session: Session, row: Booking) -> str | None:
    plan = session.get(TreatmentPlan, row.plan_id) if row.plan_id else None
    return plan.area if plan else None


def _whose(
    session: Session, clinic_id: int, data: BookingCreate
) -> tuple[Client, TreatmentPlan | None]:
    if data.plan_id is not None:
        plan, client = find_owned(
            session, TreatmentPlan, data.plan_id, clinic_id=clinic_id, resource="plan"
        )
        if data.procedure_id not in (None, plan.procedure_id):
            values: dict[str, Value] = {"plan": plan.id, "procedure": Code(plan.procedure_id)}
            raise invalid("procedure_id", Phrase(PLAN_IS_FOR, values))
        return client, plan
    assert data.client_id is not None
    return find_client(session=session, clinic_id=clinic_id, client_id=data.client_id), None


def session_for_booking(
    *, session: Session, clinic_id: int, booking_id: int, actor: int | None
) -> TreatmentSession:
    """The treatment session a booking becomes when the practitioner starts it."""
    row, client = find_booking(session, clinic_id, booking_id)
    return visit_of(session, row, client, actor)


def find_booking(session: Session, clinic_id: int, booking_id: int) -> tuple[Booking, Client]:
    statement = (
        select(Booking, Client)
        .join(Client, Client.id == Booking.client_id)
        .where(Booking.id == booking_id, Booking.clinic_id == clinic_id)
    )
    found = session.execute(statement).first()
    if found is None:
        raise NotFoundError("booking", booking_id)
    return found[0], found[1]


def locked(
    session: Session, clinic_id: int, booking_id: int, version: int | None
) -> tuple[Booking, Client]:
    """The booking, its row locked (PostgreSQL) and its version checked."""
    row, client = find_booking(session, clinic_id, booking_id)
    session.refresh(row, with_for_update=True)
    if version is not None and version != row.version:
        values = {"booking": row.id, "version": version, "current": row.version}
        raise ConflictError("version", Phrase(CHANGED, values))
    return row, client


def _calendar_around(
    session: Session,
    clinic_id: int,
    kb: KnowledgeBase,
    clock: ClinicClock,
    local: datetime,
    excluding: int | None = None,
) -> Calendar:
    return load_calendar(
        session,
        clinic_id=clinic_id,
        kb=kb,
        clock=clock,
        window=(local, local + timedelta(days=1)),
        excluding=frozenset() if excluding is None else frozenset({excluding}),
    )


def _put(row: Booking, slot: Slot, need: Requirement, clock: ClinicClock) -> None:
    row.practitioner_id = slot.practitioner_id
    row.room_id = slot.room_id
    row.starts_at = clock.utc(slot.start)
    row.ends_at = clock.utc(slot.start + timedelta(minutes=need.minutes))


def _write_holds(
    session: Session, row: Booking, slot: Slot, need: Requirement, clock: ClinicClock
) -> None:
    """One row per held interval. The savepoint keeps the transaction usable when PostgreSQL's
    exclusion constraint refuses them, so the caller gets a named conflict, not a dead session."""
    # Named before the flush: after a refused one the session must not be asked anything.
    keys: list[ResourceKey] = [("practitioner", slot.practitioner_id), ("room", slot.room_id)]
    keys += [("device", unit) for _, unit in slot.device_ids]
    names = resource_names(session, keys)
    try:
        # The rows are added inside the savepoint: added before it, they would be flushed
        # (and refused) by its opening, outside it, and the refusal would end the transaction.
        with session.begin_nested():
            for (kind, resource_id), (start, end) in holds(
                slot.booking(row.id, need.procedure_id), need
            ):
                session.add(
                    BookingHold(
                        booking_id=row.id,
                        resource_kind=kind,
                        resource_id=resource_id,
                        starts_at=clock.utc(start),
                        ends_at=clock.utc(end),
                    )
                )
            session.flush()
    except IntegrityError as exc:
        raise ConflictError("start", _taken(exc, slot, names)) from exc
    except OperationalError as exc:
        # Writers racing for the same resources can wait on each other's holds; PostgreSQL
        # then gives one of them up (deadlock, 40P01): for that request the place is taken.
        if getattr(exc.orig, "sqlstate", None) != DEADLOCK:
            raise
        raise ConflictError(
            "start", Phrase(TAKEN, {"resource": Phrase(A_RESOURCE), "time": minute(slot.start)})
        ) from exc


DEADLOCK = "40P01"


def _taken(
    exc: IntegrityError, slot: Slot, names: Mapping[ResourceKey, str] | None = None
) -> Phrase:
    """Name the resource PostgreSQL's exclusion constraint found taken, from its detail."""
    detail = getattr(getattr(exc.orig, "diag", None), "message_detail", None) or ""
    match = re.search(r"\)=\((\w+), (\d+),", detail)
    what = Phrase(A_RESOURCE)
    if match is not None and match[1] in RESOURCES:
        key = (match[1], int(match[2]))
        what = resource_phrase(key, names)
    return Phrase(TAKEN, {"resource": what, "time": minute(slot.start)})


def history(
    session: Session,
    row: Booking,
    action: BookingAction,
    actor: int | None,
    old: tuple[datetime, datetime, int] | None,
) -> None:
    moved = action in ("create", "reschedule")
    session.add(
        BookingEvent(
            booking_id=row.id,
            action=action,
            actor_id=actor,
            old_starts_at=old[0] if old else None,
            old_ends_at=old[1] if old else None,
            old_practitioner_id=old[2] if old else None,
            new_starts_at=row.starts_at if moved else None,
            new_ends_at=row.ends_at if moved else None,
            new_practitioner_id=row.practitioner_id if moved else None,
        )
    )


def audit_change(
    session: Session,
    row: Booking,
    client: Client,
    actor: int | None,
    change: str,
    **detail: object,
) -> None:
    """Audit a change to the booking: what changed, and the codes or numbers that go with it."""
    audit_client(
        session,
        actor=actor,
        action="update",
        client=client,
        resource="booking",
        resource_id=row.id,
        detail={"change": change, **detail},
    )


def _remind(
    session: Session, row: Booking, client: Client, clock: ClinicClock, now: datetime
) -> None:
    clinic = session.get(Clinic, row.clinic_id)
    settings = session.get(CalendarSettings, row.clinic_id)
    hours = settings.reminder_hours if settings else DEFAULT_REMINDER_HOURS
    appointment = Appointment(
        clinic_id=row.clinic_id,
        clinic_name=clinic.name if clinic else "the clinic",
        booking_id=row.id,
        recipient=client.email,
        starts_at=row.starts_at,
        local_start=clock.local(row.starts_at),
        remind_before=timedelta(hours=hours),
    )
    enqueue_reminder(session=session, appointment=appointment, now=now)


def _in_reach(session: Session, clinic_id: int, start: datetime, now: datetime) -> None:
    """A start neither past nor further ahead than the clinic books."""
    plausible("start", start)
    if start < now:
        raise invalid("start", Phrase(IN_THE_PAST))
    settings = session.get(CalendarSettings, clinic_id)
    days = settings.horizon_days if settings else None
    if days is not None and start > now + timedelta(days=days):
        raise invalid("start", Phrase(TOO_FAR, {"days": days}))


CANCEL_REASONS: tuple[CancelReason, ...] = get_args(CancelReason)


def plan_bookings(
    *, session: Session, clinic_id: int, plan_id: int, actor: int | None
) -> list[Booking]:
    """A plan's bookings (any status), by time; the audit row names them."""
    plan, client = find_owned(session, TreatmentPlan, plan_id, clinic_id=clinic_id, resource="plan")
    statement = select(Booking).where(Booking.plan_id == plan.id)
    rows = list(session.scalars(statement.order_by(Booking.starts_at, Booking.id)))
    audit_client(
        session,
        actor=actor,
        action="read",
        client=client,
        resource="booking",
        detail={"booking_ids": [row.id for row in rows]},
    )
    return rows
