"""The reception desk's acts on a booking: the client checked in, a no-show, a late
cancellation, and a walk-in booked into the first free place now. Each is kept on the booking
(who and when), in its history and in the audit log."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from corneum.db.atomic import atomic
from corneum.db.engine import take_write_lock
from corneum.knowledge import KnowledgeBase
from corneum.phrase import N_, Phrase, Value, joined
from corneum.planning.calendar import minute
from corneum.records.calendar.bookings import service
from corneum.records.calendar.bookings.diagnosis import diagnose
from corneum.records.calendar.bookings.schemas import BookingCreate
from corneum.records.calendar.bookings.tables import Booking, BookingAction
from corneum.records.calendar.bookings.visits import refuse_if_run
from corneum.records.calendar.refusals import not_booked
from corneum.records.clients.tables import Client
from corneum.records.clinic_time import ClinicClock, clinic_clock
from corneum.records.errors import ConflictError
from corneum.records.tenancy import find_client

LATE_CANCEL_HOURS = 24
"""A cancellation this close to the start is late: the place can rarely be filled in time."""
NOT_TODAY = N_("booking %(booking)s is on %(day)s: a client checks in on the day")
NOT_YET = N_("booking %(booking)s starts at %(time)s: a client is not a no-show before then")
STARTED = N_("booking %(booking)s started at %(time)s: record a no-show instead")
NOT_LATE = N_(
    "booking %(booking)s starts at %(time)s, more than %(hours)s hours ahead: cancel it as usual"
)
NO_PLACE_NOW = N_("no place for a walk-in before the end of the day: %(causes)s")


@atomic
def check_in(
    *, session: Session, clinic_id: int, booking_id: int, actor: int | None, now: datetime
) -> Booking:
    """The client is here: the booking is ``arrived``, with who and when. Checking in twice
    changes nothing, so a double tap is harmless."""
    take_write_lock(session)
    row, client = service.locked(session, clinic_id, booking_id, None)
    if row.status == "arrived":
        return row
    if row.status != "booked":
        raise not_booked(row)
    clock = clinic_clock(session, clinic_id)
    day = clock.local(row.starts_at).date()
    if day != clock.local(now).date():
        raise ConflictError("status", Phrase(NOT_TODAY, {"booking": row.id, "day": str(day)}))
    row.status, row.arrived_at, row.arrived_by = "arrived", now, actor
    row.version += 1
    _record(session, row, client, actor, "check_in")
    return row


@atomic
def no_show(
    *, session: Session, clinic_id: int, booking_id: int, actor: int | None, now: datetime
) -> Booking:
    """The client did not come: from the booking's start on, its place is given up."""
    return _missed(session, clinic_id, booking_id, actor, now, "no_show")


@atomic
def late_cancel(
    *, session: Session, clinic_id: int, booking_id: int, actor: int | None, now: datetime
) -> Booking:
    """The client cancelled within :data:`LATE_CANCEL_HOURS` of the start: the place is
    given up and the booking kept apart from an ordinary cancellation."""
    return _missed(session, clinic_id, booking_id, actor, now, "late_cancel")


def _missed(
    session: Session,
    clinic_id: int,
    booking_id: int,
    actor: int | None,
    now: datetime,
    action: BookingAction,
) -> Booking:
    take_write_lock(session)
    row, client = service.locked(session, clinic_id, booking_id, None)
    if row.status == service.RELEASED[action]:
        return row
    if row.status != "booked":
        raise not_booked(row)
    clock = clinic_clock(session, clinic_id)
    refusal = _too_early(row, now, clock) if action == "no_show" else _not_late(row, now, clock)
    if refusal is not None:
        raise ConflictError("status", refusal)
    refuse_if_run(session, row)
    row.missed_at, row.missed_by = now, actor
    service.release(session, row, client, actor, action)
    return row


def _too_early(row: Booking, now: datetime, clock: ClinicClock) -> Phrase | None:
    if now >= row.starts_at:
        return None
    return Phrase(NOT_YET, {"booking": row.id, "time": minute(clock.local(row.starts_at))})


def _not_late(row: Booking, now: datetime, clock: ClinicClock) -> Phrase | None:
    values: dict[str, Value] = {"booking": row.id, "time": minute(clock.local(row.starts_at))}
    if now >= row.starts_at:
        return Phrase(STARTED, values)
    if row.starts_at - now > timedelta(hours=LATE_CANCEL_HOURS):
        return Phrase(NOT_LATE, {**values, "hours": LATE_CANCEL_HOURS})
    return None


def _record(
    session: Session, row: Booking, client: Client, actor: int | None, action: BookingAction
) -> None:
    old = (row.starts_at, row.ends_at, row.practitioner_id)
    service.history(session, row, action, actor, old=old)
    service.audit_change(session, row, client, actor, action, version=row.version)


@atomic
def walk_in(
    *,
    session: Session,
    clinic_id: int,
    kb: KnowledgeBase,
    client_id: int,
    procedure_id: str,
    actor: int | None,
    now: datetime,
) -> Booking:
    """A client at the desk without a booking: booked into the first free place from now to
    the end of the clinic's day, and checked in; if there is none, the refusal says why.
    Another clinic's client is not found, as one that does not exist."""
    find_client(session=session, clinic_id=clinic_id, client_id=client_id)
    clock = clinic_clock(session, clinic_id)
    local = clock.local(now)
    end = clock.utc(datetime.combine(local.date() + timedelta(days=1), datetime.min.time()))
    found = service.search_slots(
        session=session, clinic_id=clinic_id, kb=kb, procedure_id=procedure_id,
        start=now, end=end, count=1,
    )  # fmt: skip
    if not found:
        causes = diagnose(
            session=session, clinic_id=clinic_id, kb=kb, procedure_id=procedure_id,
            start=now, end=end,
        )  # fmt: skip
        raise ConflictError("start", Phrase(NO_PLACE_NOW, {"causes": joined(causes)}))
    slot = found[0][0]
    data = BookingCreate(
        client_id=client_id,
        procedure_id=procedure_id,
        start=max(clock.utc(slot.start), now),
        practitioner_id=slot.practitioner_id,
        room_id=slot.room_id,
    )
    row = service.book(session=session, clinic_id=clinic_id, kb=kb, data=data, actor=actor, now=now)
    return check_in(session=session, clinic_id=clinic_id, booking_id=row.id, actor=actor, now=now)
