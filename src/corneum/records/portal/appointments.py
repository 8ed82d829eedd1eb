"""A client's own appointments, as the portal shows them, and her cancelling one within the
clinic's notice (``cancel_notice_hours``; later than that she is asked to call the clinic).
Each look and each cancellation is audited as the client's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from corneum.records.calendar.bookings import service as bookings
from corneum.records.calendar.bookings.tables import Booking, BookingStatus
from corneum.records.clients.tables import Client
from corneum.records.clinic_time import clinic_clock
from corneum.records.errors import NotFoundError
from corneum.records.portal.service import audit_by_client, portal_settings


@dataclass(frozen=True, slots=True)
class Appointment:
    """One appointment as the client sees it: what, when (the clinic's wall clock), and
    whether she may still cancel it herself."""

    id: int
    procedure_id: str
    starts: datetime
    ends: datetime
    status: BookingStatus
    cancellable: bool


@dataclass(frozen=True, slots=True)
class Appointments:
    upcoming: list[Appointment]
    past: list[Appointment]
    notice_hours: int
    clinic_phone: str | None


class TooLateError(Exception):
    """The appointment is within the clinic's notice (or over): only the clinic can change it."""

    def __init__(self, notice_hours: int) -> None:
        super().__init__(f"within {notice_hours} hours of the appointment")
        self.notice_hours = notice_hours


def my_appointments(*, session: Session, client: Client, now: datetime) -> Appointments:
    """The client's appointments: upcoming (soonest first, cancelled ones marked) and past
    (latest first, without the cancelled)."""
    rows = list(
        session.scalars(
            select(Booking).where(Booking.client_id == client.id).order_by(Booking.starts_at)
        )
    )
    settings = portal_settings(session=session, clinic_id=client.clinic_id)
    notice = timedelta(hours=settings.cancel_notice_hours)
    clock = clinic_clock(session, client.clinic_id)

    def shown(row: Booking) -> Appointment:
        cancellable = row.status == "booked" and row.starts_at - now >= notice
        return Appointment(
            row.id,
            row.procedure_id,
            clock.local(row.starts_at),
            clock.local(row.ends_at),
            row.status,
            cancellable,
        )

    upcoming = [shown(row) for row in rows if row.starts_at > now]
    past = [shown(row) for row in reversed(rows) if row.starts_at <= now]
    past = [item for item in past if item.status != "cancelled"]
    detail = {"booking_ids": [row.id for row in rows]}
    audit_by_client(session, client, "read", "booking", None, detail)
    return Appointments(upcoming, past, settings.cancel_notice_hours, settings.clinic_phone)


def cancel_appointment(
    *, session: Session, client: Client, booking_id: int, now: datetime
) -> Booking:
    """Cancel the client's own booking, if the clinic's notice allows; cancelling it again
    changes nothing. Another client's booking is not found."""
    row = session.get(Booking, booking_id)
    if row is None or row.client_id != client.id:
        raise NotFoundError("booking", booking_id)
    if row.status == "cancelled":
        return row
    hours = portal_settings(session=session, clinic_id=client.clinic_id).cancel_notice_hours
    if row.status != "booked" or row.starts_at - now < timedelta(hours=hours):
        raise TooLateError(hours)
    cancelled = bookings.cancel(
        session=session,
        clinic_id=client.clinic_id,
        booking_id=row.id,
        version=None,
        actor=None,
        reason="client_request",
    )
    audit_by_client(session, client, "update", "booking", row.id, {"change": "cancel"})
    return cancelled
