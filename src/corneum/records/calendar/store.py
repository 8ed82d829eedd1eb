"""Between the database and the pure planning core: the calendar of a window of time built
from the stored resources and holds (the clinic's wall clock is :mod:`corneum.records.clinic_time`).

The core works in naive local times; the database holds aware UTC. Conversion happens here and
only here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from corneum.knowledge import KnowledgeBase
from corneum.phrase import N_, Phrase
from corneum.planning.calendar import (
    Calendar,
    DeviceUnit,
    Practitioner,
    ResourceKey,
    Resources,
    WeeklyHours,
)
from corneum.planning.requirements import (
    NotBookableError,
    Requirement,
    lengthened,
    requirement_for,
)
from corneum.records.accounts.tables import User
from corneum.records.calendar.bookings.tables import Booking, BookingHold
from corneum.records.calendar.resources.tables import (
    DayOff,
    Device,
    Maintenance,
    Room,
    WorkingHours,
)
from corneum.records.clinic_time import ClinicClock
from corneum.records.errors import InvalidInputError, Problem
from corneum.records.fields import EARLIEST, LATEST
from corneum.records.offerings.service import clinic_offer

NOT_OFFERED = N_("the clinic does not offer %(procedure)s")


@dataclass(frozen=True, slots=True)
class HeldSpan:
    """What one active hold holds, and when (aware UTC)."""

    resource_kind: str
    resource_id: int
    starts_at: datetime
    ends_at: datetime
    booking_id: int


MARGIN = timedelta(days=1)
"""Holds are loaded this far either side of a window, so a session straddling its edge counts."""


_REQUIREMENTS: dict[str, dict[str, Requirement]] = {}


def requirements(kb: KnowledgeBase) -> dict[str, Requirement]:
    """Every bookable procedure's requirement, computed once per knowledge base."""
    found = _REQUIREMENTS.get(kb.sha256)
    if found is None:
        found = _REQUIREMENTS[kb.sha256] = {pid: requirement_for(pid, kb) for pid in kb.booking}
    return found


def requirement(kb: KnowledgeBase, procedure_id: str, field: str = "procedure_id") -> Requirement:
    try:
        return requirement_for(procedure_id, kb)
    except NotBookableError as exc:
        problem = Problem(loc=("body", field), msg=str(exc), type="not_bookable")
        raise InvalidInputError([problem]) from exc
    except KeyError as exc:
        message = f"unknown procedure {procedure_id!r}"
        raise InvalidInputError(
            [Problem(loc=("body", field), msg=message, type="unknown")]
        ) from exc


def offered(
    session: Session,
    clinic_id: int,
    kb: KnowledgeBase,
    procedure_id: str,
    field: str = "procedure_id",
) -> Requirement:
    """What a session of the procedure holds in this clinic: refused if the clinic switched it
    off, held for the clinic's own length if it set one."""
    need = requirement(kb, procedure_id, field)
    offer = clinic_offer(session, clinic_id)
    if procedure_id in offer.off:
        phrase = Phrase(NOT_OFFERED, {"procedure": procedure_id})
        problem = Problem(loc=("body", field), msg=phrase.text, type="not_offered", phrase=phrase)
        raise InvalidInputError([problem])
    return lengthened(need, offer.minutes.get(procedure_id, 0))


def clinic_requirements(
    session: Session, clinic_id: int, kb: KnowledgeBase
) -> dict[str, Requirement]:
    """Every bookable procedure's requirement, at the clinic's own lengths."""
    minutes = clinic_offer(session, clinic_id).minutes
    return {pid: lengthened(need, minutes.get(pid, 0)) for pid, need in requirements(kb).items()}


def plausible(field: str, moment: datetime) -> None:
    """A moment a calendar could mean: local-time arithmetic around it stays in range."""
    if not EARLIEST <= moment.date() <= LATEST:
        message = f"must fall between {EARLIEST} and {LATEST}"
        raise InvalidInputError([Problem(loc=("body", field), msg=message, type="value_error")])


def load_calendar(
    session: Session,
    *,
    clinic_id: int,
    kb: KnowledgeBase,
    clock: ClinicClock,
    window: tuple[datetime, datetime],
    excluding: frozenset[int] = frozenset(),
) -> Calendar:
    """The clinic's calendar for a local-time window: every resource, and what holds it then
    (bookings in ``excluding`` left out, as if already moved)."""
    start, end = window
    utc_window = (clock.utc(start - MARGIN), clock.utc(end + MARGIN))
    names: dict[ResourceKey, str] = {}
    rooms = session.execute(
        select(Room.id, Room.name).where(Room.clinic_id == clinic_id, Room.active).order_by(Room.id)
    ).all()
    names.update((("room", room.id), room.name) for room in rooms)
    resources = Resources(
        practitioners=_practitioners(session, clinic_id, (start.date(), end.date()), names),
        rooms=tuple(room.id for room in rooms),
        devices=_devices(session, clinic_id, clock, utc_window, names),
        names=names,
    )
    calendar = Calendar(resources, clinic_requirements(session, clinic_id, kb))
    for hold in _active_holds(session, clinic_id, utc_window, excluding):
        key = (hold.resource_kind, hold.resource_id)
        interval = clock.local(hold.starts_at), clock.local(hold.ends_at)
        calendar.timeline(key).add(*interval, hold.booking_id)
    return calendar


def resource_names(session: Session, keys: list[ResourceKey]) -> dict[ResourceKey, str]:
    """What the given practitioners, rooms and devices are called (a person without a full
    name by her e-mail address)."""
    names: dict[ResourceKey, str] = {}
    for kind, resource_id in keys:
        row = session.get(
            User if kind == "practitioner" else Room if kind == "room" else Device, resource_id
        )
        if isinstance(row, User):
            names[(kind, resource_id)] = row.shown_name
        elif isinstance(row, Room | Device):
            names[(kind, resource_id)] = row.name
    return names


def _practitioners(
    session: Session, clinic_id: int, days: tuple[date, date], names: dict[ResourceKey, str]
) -> tuple[Practitioner, ...]:
    # Columns, not entities: this runs on every slot search and booking, and loading the rows
    # as ORM objects took most of a booking's time.
    users = session.execute(
        select(User.id, User.qualifications, User.full_name, User.email)
        .where(User.clinic_id == clinic_id, User.role == "practitioner", User.active)
        .order_by(User.id)
    ).all()
    names.update((("practitioner", user.id), user.full_name or user.email) for user in users)
    ids = [user.id for user in users]
    spans: dict[int, dict[int, list[tuple[time, time]]]] = defaultdict(lambda: defaultdict(list))
    hours = (
        select(WorkingHours.user_id, WorkingHours.weekday, WorkingHours.starts, WorkingHours.ends)
        .where(WorkingHours.user_id.in_(ids))
        .order_by(WorkingHours.starts)
    )
    for user_id, weekday, starts, ends in session.execute(hours):
        spans[user_id][weekday].append((starts, ends))
    off: dict[int, set[date]] = defaultdict(set)
    first, last = days[0] - MARGIN, days[1] + MARGIN
    days_off = select(DayOff.user_id, DayOff.day).where(
        DayOff.user_id.in_(ids), DayOff.day.between(first, last)
    )
    for user_id, day in session.execute(days_off):
        off[user_id].add(day)
    return tuple(
        Practitioner(
            user.id,
            frozenset(user.qualifications),
            WeeklyHours(
                {day: tuple(s) for day, s in spans[user.id].items()}, frozenset(off[user.id])
            ),
        )
        for user in users
    )


def _devices(
    session: Session,
    clinic_id: int,
    clock: ClinicClock,
    window: tuple[datetime, datetime],
    names: dict[ResourceKey, str],
) -> tuple[DeviceUnit, ...]:
    devices = list(
        session.scalars(
            select(Device).where(Device.clinic_id == clinic_id, Device.active).order_by(Device.id)
        )
    )
    names.update((("device", device.id), device.name) for device in devices)
    windows: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    maintenance = select(Maintenance).where(
        Maintenance.device_id.in_([d.id for d in devices]),
        Maintenance.starts_at < window[1],
        Maintenance.ends_at > window[0],
    )
    for row in session.scalars(maintenance):
        windows[row.device_id].append((clock.local(row.starts_at), clock.local(row.ends_at)))
    return tuple(DeviceUnit(d.id, d.kind, tuple(windows[d.id])) for d in devices)


def _active_holds(
    session: Session, clinic_id: int, window: tuple[datetime, datetime], excluding: frozenset[int]
) -> list[HeldSpan]:
    statement = (
        select(
            BookingHold.resource_kind,
            BookingHold.resource_id,
            BookingHold.starts_at,
            BookingHold.ends_at,
            BookingHold.booking_id,
        )
        .join(Booking, Booking.id == BookingHold.booking_id)
        .where(
            Booking.clinic_id == clinic_id,
            BookingHold.active,
            BookingHold.starts_at < window[1],
            BookingHold.ends_at > window[0],
        )
        .order_by(BookingHold.starts_at)
    )
    if excluding:
        statement = statement.where(BookingHold.booking_id.not_in(excluding))
    return [HeldSpan(*row) for row in session.execute(statement)]
