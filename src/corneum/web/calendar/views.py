"""What the plan and calendar pages share: the clinic's staff, rooms and devices by name, slots
and bookings in the clinic's wall-clock time, and the forms' small readers."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from pydantic import ValidationError
from sqlalchemy.orm import Session

from corneum.knowledge import KnowledgeBase
from corneum.phrase import Phrase
from corneum.planning.slots import Slot
from corneum.records.accounts import service as accounts
from corneum.records.calendar.bookings import service as calendar
from corneum.records.calendar.bookings.diagnosis import diagnose
from corneum.records.calendar.bookings.tables import Booking
from corneum.records.calendar.resources import service as resources
from corneum.records.clients import listing as clients
from corneum.records.clinic_time import ClinicClock, clinic_clock
from corneum.records.errors import ConflictError, InvalidInputError
from corneum.records.fields import EARLIEST, LATEST
from corneum.records.paging import MAX_LIMIT
from corneum.web import messages
from corneum.web.calendar.texts import DAY_OUT_OF_RANGE, INVALID_DAY, INVALID_TIME, WEEKDAYS
from corneum.web.timeline import procedure_name


@dataclass(frozen=True, slots=True)
class Choice:
    value: int
    label: str


@dataclass(frozen=True, slots=True)
class Clinic:
    """The clinic's calendar resources by id, as the pages name them."""

    staff: dict[int, str]
    practitioners: tuple[Choice, ...]
    rooms: tuple[Choice, ...]
    devices: tuple[Choice, ...]

    def room(self, room_id: int) -> str:
        return next((c.label for c in self.rooms if c.value == room_id), str(room_id))

    def person(self, user_id: int | None) -> str:
        return self.staff.get(user_id, "—") if user_id is not None else "—"


def clinic_resources(session: Session, clinic_id: int, kb: KnowledgeBase) -> Clinic:
    users = accounts.list_users(session=session, clinic_id=clinic_id, limit=MAX_LIMIT).items
    rooms = resources.list_rooms(session=session, clinic_id=clinic_id)
    devices = resources.list_devices(session=session, clinic_id=clinic_id)
    return Clinic(
        staff={user.id: user.email for user in users},
        practitioners=tuple(
            Choice(user.id, user.email)
            for user in users
            if user.role == "practitioner" and user.active
        ),
        rooms=tuple(Choice(room.id, room.name) for room in rooms if room.active),
        devices=tuple(
            Choice(device.id, f"{device.name} ({kb.label(device.kind)})")
            for device in devices
            if device.active
        ),
    )


@dataclass(frozen=True, slots=True)
class SlotView:
    """A free place: ``start`` (UTC, ISO) is what a form posts back; ``local`` is the clinic's
    wall-clock time (``data-slot-start``)."""

    start: str
    local: str
    day: date
    weekday: str
    starts: str
    ends: str
    practitioner_id: int
    practitioner: str
    room_id: int
    room: str


def slot_view(slot: Slot, clock: ClinicClock, minutes: int, clinic: Clinic) -> SlotView:
    ends = slot.start + timedelta(minutes=minutes)
    return SlotView(
        start=clock.utc(slot.start).isoformat(),
        local=slot.start.isoformat(),
        day=slot.start.date(),
        weekday=WEEKDAYS[slot.start.weekday()],
        starts=f"{slot.start:%H:%M}",
        ends=f"{ends:%H:%M}",
        practitioner_id=slot.practitioner_id,
        practitioner=clinic.person(slot.practitioner_id),
        room_id=slot.room_id,
        room=clinic.room(slot.room_id),
    )


@dataclass(frozen=True, slots=True)
class BookingView:
    id: int
    day: date
    weekday: str
    starts: str
    ends: str
    procedure: str
    practitioner: str
    room: str
    status: str
    """A text for the template to translate."""
    active: bool
    version: int
    link: str


def booking_view(
    row: Booking, clock: ClinicClock, clinic: Clinic, kb: KnowledgeBase
) -> BookingView:
    starts, ends = clock.local(row.starts_at), clock.local(row.ends_at)
    return BookingView(
        id=row.id,
        day=starts.date(),
        weekday=WEEKDAYS[starts.weekday()],
        starts=f"{starts:%H:%M}",
        ends=f"{ends:%H:%M}",
        procedure=procedure_name(kb, row.procedure_id),
        practitioner=clinic.person(row.practitioner_id),
        room=clinic.room(row.room_id),
        status=messages.BOOKING_STATUS[row.status],
        active=row.status == "booked",
        version=row.version,
        link=f"/calendar/bookings/{row.id}",
    )


FIELD_PROBLEM = "%(field)s: %(problem)s"
"""A refusal of a field the form does not show, named; placeholders only, so not translated."""


@dataclass
class Problems:
    """What went wrong with a form: messages by field, and a conflict named by the service.
    Each is a text the web app marks or a phrase a service worded; pages show it with
    ``say``."""

    fields: dict[str, str | Phrase] = field(default_factory=dict)
    conflict: str | Phrase = ""

    def __bool__(self) -> bool:
        return bool(self.fields or self.conflict)


def absorb(
    problems: Problems, exc: ConflictError | InvalidInputError, fields: Collection[str]
) -> None:
    """Put the service's refusal where the page shows it: beside one of the form's
    ``fields``, else at the top of the form."""
    if isinstance(exc, ConflictError):
        problems.conflict = exc.phrase
        return
    for problem in exc.problems:
        name = str(problem["loc"][-1]) if problem["loc"] else ""
        said = problem.get("phrase", problem["msg"])
        if name in fields:
            problems.fields[name] = said
        elif name:
            problems.conflict = Phrase(FIELD_PROBLEM, {"field": name, "problem": said})
        else:
            problems.conflict = said


def refused(
    session: Session,
    problems: Problems,
    exc: ValidationError | ConflictError | InvalidInputError,
    fields: Collection[str] = (),
) -> int:
    """Show a refused write on the page (see :func:`absorb`) and give its status: 409 for a
    conflict, 422 for invalid input. A service's refusal rolls back what it began; a request
    that failed validation never reached the service, so there is nothing to undo."""
    if isinstance(exc, ValidationError):
        exc = InvalidInputError.from_validation(exc, lambda loc: loc)
    else:
        session.rollback()
    absorb(problems, exc, fields)
    return 409 if isinstance(exc, ConflictError) else 422


def read_day(value: str, name: str, problems: Problems) -> date | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        problems.fields[name] = INVALID_DAY
        return None
    if not EARLIEST <= day <= LATEST:
        # A week or a search around 0001-01-01 or 9999-12-31 would run off the calendar.
        problems.fields[name] = DAY_OUT_OF_RANGE
        return None
    return day


def read_time(value: str, name: str, problems: Problems) -> time | None:
    if not value:
        return None
    try:
        return time.fromisoformat(value)
    except ValueError:
        problems.fields[name] = INVALID_TIME
        return None


def read_id(value: str) -> int | None:
    """A record id from a select; anything else is no choice (the service checks the id)."""
    return int(value) if value.isdigit() and 0 < len(value) < 12 else None


SEARCH_DAYS = 14
"""How far ahead a slot search looks from the day it starts."""


def free_slots(
    *,
    session: Session,
    clinic_id: int,
    kb: KnowledgeBase,
    procedure_id: str,
    day: date,
    practitioner_id: int | None,
    count: int,
    now: datetime,
    clinic: Clinic,
) -> list[SlotView]:
    """The earliest ``count`` free places from ``day`` (the clinic's) on, never in the past;
    none searched for a day outside 1900-2999 (a booking stored there must still open)."""
    if not EARLIEST <= day <= LATEST:
        return []
    clock = clinic_clock(session, clinic_id)
    start = max(clock.utc(datetime.combine(day, time())), now)
    end = clock.utc(datetime.combine(day + timedelta(days=SEARCH_DAYS), time()))
    found = calendar.search_slots(
        session=session,
        clinic_id=clinic_id,
        kb=kb,
        procedure_id=procedure_id,
        start=start,
        end=max(end, start + timedelta(days=1)),
        count=count,
        practitioner_id=practitioner_id,
    )
    return [slot_view(slot, clock, need.minutes, clinic) for slot, clock, need in found]


def why_no_slots(
    *, session: Session, clinic_id: int, kb: KnowledgeBase, procedure_id: str, day: date,
    practitioner_id: int | None, now: datetime,
) -> list[Phrase]:  # fmt: skip
    """Why :func:`free_slots` found nothing from ``day`` on: the same window, diagnosed."""
    if not EARLIEST <= day <= LATEST:
        return []
    clock = clinic_clock(session, clinic_id)
    start = max(clock.utc(datetime.combine(day, time())), now)
    end = clock.utc(datetime.combine(day + timedelta(days=SEARCH_DAYS), time()))
    return diagnose(
        session=session, clinic_id=clinic_id, kb=kb, procedure_id=procedure_id, start=start,
        end=max(end, start + timedelta(days=1)), practitioner_id=practitioner_id,
    )  # fmt: skip


def client_choices(session: Session, clinic_id: int, actor: int) -> tuple[Choice, ...]:
    """The clinic's clients by name, for the desk's forms (the listing is audited)."""
    found = clients.list_clients(session=session, clinic_id=clinic_id, actor=actor, limit=MAX_LIMIT)
    return tuple(Choice(c.id, f"{c.family_name} {c.given_name}") for c in found.items)


def procedure_choices(shown: KnowledgeBase) -> list[tuple[str, str]]:
    """The procedures the calendar books, in the user's language."""
    return [(pid, procedure_name(shown, pid)) for pid in shown.booking]
