"""iCalendar (RFC 5545) feeds of bookings, for a practitioner's or a client's calendar app.

Built with the ``icalendar`` library, which escapes TEXT values and folds lines at 75 octets.
Times are given on the clinic's wall clock with a VTIMEZONE for its zone, so a subscriber in
another zone still sees the clinic's hours; every booked appointment carries a VALARM. A
practitioner's feed names the procedure and the room but never the client: calendar apps sync
to servers the clinic does not control. A client's feed holds her own appointments and nothing
clinical (no notes, no cautions). Cancelled bookings stay in the feed as ``STATUS:CANCELLED`` so
subscribers drop them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Alarm, Calendar, Event
from sqlalchemy import select
from sqlalchemy.orm import Session

from corneum import __version__
from corneum.knowledge import KnowledgeBase
from corneum.records.accounts.tables import Clinic, User
from corneum.records.calendar.bookings import service
from corneum.records.calendar.bookings.tables import Booking
from corneum.records.calendar.resources.tables import Room
from corneum.records.clients.tables import Client
from corneum.records.clinic_time import ClinicClock, clinic_clock
from corneum.records.errors import NotFoundError
from corneum.records.tenancy import audit_client, find_client

PAST = timedelta(days=31)
AHEAD = timedelta(days=366)
REMINDER = timedelta(hours=2)
"""How long before an appointment the calendar app reminds its owner."""


def practitioner_feed(
    *,
    session: Session,
    clinic_id: int,
    practitioner_id: int,
    kb: KnowledgeBase,
    now: datetime,
    actor: int | None,
) -> str:
    """The practitioner's bookings from a month ago to a year ahead, without client names."""
    user = session.get(User, practitioner_id)
    if user is None or user.clinic_id != clinic_id or user.role != "practitioner":
        raise NotFoundError("practitioner", practitioner_id)
    rows = service.list_bookings(
        session=session,
        clinic_id=clinic_id,
        start=now - PAST,
        end=now + AHEAD,
        practitioner_id=practitioner_id,
        actor=actor,
    )
    return calendar_text(session, clinic_id, f"Practitioner {practitioner_id}", rows, kb, now)


def client_feed(
    *,
    session: Session,
    clinic_id: int,
    client_id: int,
    kb: KnowledgeBase,
    now: datetime,
    actor: int | None,
) -> str:
    """The client's appointments from a month ago to a year ahead (audited as a read)."""
    client = find_client(session=session, clinic_id=clinic_id, client_id=client_id)
    audit_client(session, actor=actor, action="read", client=client, resource="calendar")
    return client_calendar(session, client, kb, now)


def client_calendar(session: Session, client: Client, kb: KnowledgeBase, now: datetime) -> str:
    statement = select(Booking).where(
        Booking.client_id == client.id,
        Booking.starts_at < now + AHEAD,
        Booking.ends_at > now - PAST,
    )
    rows = list(session.scalars(statement.order_by(Booking.starts_at, Booking.id)))
    return calendar_text(session, client.clinic_id, "Appointments", rows, kb, now)


def calendar_text(
    session: Session,
    clinic_id: int,
    name: str,
    rows: list[Booking],
    kb: KnowledgeBase,
    now: datetime,
) -> str:
    """The VCALENDAR of ``rows``, in the zone of the clinic ``clinic_id``."""
    rooms = {
        r.id: r.name
        for r in session.scalars(select(Room).where(Room.id.in_({b.room_id for b in rows})))
    }
    clinic = session.get(Clinic, clinic_id)
    clock = clinic_clock(session, clinic_id)
    calendar = Calendar()
    calendar.add("prodid", f"-//Corneum//Corneum {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", plain(name))
    calendar.add("x-wr-timezone", clock.zone.key)
    titles = {p.id: p.name for p in kb.procedures}
    for row in rows:
        place = f"{clinic.name if clinic else ''}, {rooms.get(row.room_id, '')}"
        title = titles.get(row.procedure_id, row.procedure_id)
        calendar.add_component(_event(row, plain(title), plain(place), clock, now))
    calendar.add_missing_timezones(
        first_date=(now - PAST - timedelta(days=1)).date(),
        last_date=(now + AHEAD + timedelta(days=1)).date(),
    )
    text: bytes = calendar.to_ical()
    return text.decode()


def _event(row: Booking, title: str, place: str, clock: ClinicClock, now: datetime) -> Event:
    event = Event()
    event.add("uid", f"booking-{row.id}@corneum")
    event.add("dtstamp", now)
    event.add("dtstart", row.starts_at.astimezone(clock.zone))
    event.add("dtend", row.ends_at.astimezone(clock.zone))
    event.add("sequence", row.version - 1)
    event.add("summary", title)
    event.add("location", place)
    cancelled = row.status == "cancelled"
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if not cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", title)
        alarm.add("trigger", -REMINDER)
        event.add_component(alarm)
    return event


LINE_BREAKING = frozenset("\x85\u2028\u2029")
"""Not controls to RFC 5545, but line breaks to some readers: kept out like the controls."""


def plain(text: str) -> str:
    """``text`` fit for a TEXT value: line ends become ``\\n`` (the library escapes them, and
    commas, semicolons and backslashes); every other control character (which TEXT may not
    hold, RFC 5545 3.3.11's ``TSAFE-CHAR``) and Unicode line break becomes a space, so a name
    typed with one can neither break nor forge a line."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(" " if _unsafe(char) else char for char in lines)


def _unsafe(char: str) -> bool:
    code = ord(char)
    if char in "\t\n":
        return False
    return code < 0x20 or 0x7F <= code <= 0x9F or char in LINE_BREAKING
