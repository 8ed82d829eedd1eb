"""iCalendar (RFC 5545) feeds of bookings, for a practitioner's or a client's calendar app.

Written by hand: a feed is a handful of properties, and the rules that matter are few: CRLF line
ends, lines folded at 75 octets, text escaped, times in UTC. A practitioner's feed names the
procedure and the room but never the client: calendar apps sync to servers the clinic does not
control. Cancelled bookings stay in the feed as ``STATUS:CANCELLED`` so subscribers drop them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from corneum import __version__
from corneum.knowledge import KnowledgeBase
from corneum.records.accounts.tables import Clinic, User
from corneum.records.calendar.bookings import service
from corneum.records.calendar.bookings.tables import Booking
from corneum.records.calendar.resources.tables import Room
from corneum.records.errors import NotFoundError
from corneum.records.tenancy import audit_client, find_client

PAST = timedelta(days=31)
AHEAD = timedelta(days=366)


def practitioner_feed(
    *,
    session: Session,
    clinic_id: int,
    practitioner_id: int,
    kb: KnowledgeBase,
    now: datetime,
    actor: int | None,
) -> str:
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
    return calendar_text(session, f"Practitioner {practitioner_id}", rows, kb, now)


def client_feed(
    *,
    session: Session,
    clinic_id: int,
    client_id: int,
    kb: KnowledgeBase,
    now: datetime,
    actor: int | None,
) -> str:
    client = find_client(session=session, clinic_id=clinic_id, client_id=client_id)
    audit_client(session, actor=actor, action="read", client=client, resource="calendar")
    statement = select(Booking).where(
        Booking.client_id == client.id,
        Booking.starts_at < now + AHEAD,
        Booking.ends_at > now - PAST,
    )
    rows = list(session.scalars(statement.order_by(Booking.starts_at, Booking.id)))
    return calendar_text(session, "Appointments", rows, kb, now)


def calendar_text(
    session: Session, name: str, rows: list[Booking], kb: KnowledgeBase, now: datetime
) -> str:
    rooms = {
        r.id: r.name
        for r in session.scalars(select(Room).where(Room.id.in_({b.room_id for b in rows})))
    }
    clinics = {
        c.id: c.name
        for c in session.scalars(select(Clinic).where(Clinic.id.in_({b.clinic_id for b in rows})))
    }
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//Corneum//Corneum {__version__}//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for row in rows:
        place = f"{clinics.get(row.clinic_id, '')}, {rooms.get(row.room_id, '')}"
        lines.extend(_event(row, _title(kb, row.procedure_id), place, now))
    lines.append("END:VCALENDAR")
    return "".join(f"{fold(line)}\r\n" for line in lines)


def _event(row: Booking, label: str, place: str, now: datetime) -> Iterable[str]:
    yield "BEGIN:VEVENT"
    yield f"UID:booking-{row.id}@corneum"
    yield f"DTSTAMP:{stamp(now)}"
    yield f"DTSTART:{stamp(row.starts_at)}"
    yield f"DTEND:{stamp(row.ends_at)}"
    yield f"SEQUENCE:{row.version - 1}"
    yield f"SUMMARY:{escape(label)}"
    yield f"LOCATION:{escape(place)}"
    yield f"STATUS:{'CANCELLED' if row.status == 'cancelled' else 'CONFIRMED'}"
    yield "END:VEVENT"


def _title(kb: KnowledgeBase, procedure_id: str) -> str:
    names = {p.id: p.name for p in kb.procedures}
    return names.get(procedure_id, procedure_id)


def stamp(moment: datetime) -> str:
    """A UTC date-time in the basic format RFC 5545 wants (``20261130T090000Z``)."""
    return f"{moment:%Y%m%dT%H%M%S}Z"


LINE_BREAKING = frozenset("\x85\u2028\u2029")
"""Not controls to RFC 5545, but line breaks to some readers: kept out like the controls."""


def escape(text: str) -> str:
    """TEXT escaping (RFC 5545 3.3.11): backslash, semicolon, comma and newline; every other
    control character (which TEXT may not hold, 3.3.11's ``TSAFE-CHAR``) and Unicode line break
    becomes a space, so a name typed with one can neither break nor forge a line."""
    escaped = (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )
    return "".join(" " if _unsafe(char) else char for char in escaped)


def _unsafe(char: str) -> bool:
    code = ord(char)
    return (code < 0x20 and char != "\t") or 0x7F <= code <= 0x9F or char in LINE_BREAKING


def fold(line: str, limit: int = 75) -> str:
    """Fold a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 character."""
    out: list[str] = []
    current = ""
    size = 0
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            out.append(current)
            current, size = " ", 1
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)
