"""From the calendar to the treatment room: the treatment session a booking becomes when the
practitioner starts it, kept in step while the booking moves or is cancelled."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from corneum.phrase import N_, Phrase
from corneum.records.calendar.bookings.tables import HOLDING, RELEASED_STATUSES, Booking
from corneum.records.calendar.refusals import not_booked
from corneum.records.clients.tables import Client
from corneum.records.errors import ConflictError
from corneum.records.sessions.tables import TreatmentSession
from corneum.records.tenancy import audit_client

NO_PLAN = N_("booking %(booking)s belongs to no plan: start a plan to record its protocol")
RUN = {
    "in_progress": N_("booking %(booking)s is under way in the treatment room"),
    "completed": N_("booking %(booking)s was carried out; its session is completed"),
}
"""Why a booking whose session has started can be neither moved nor cancelled."""


def visit_of(session: Session, row: Booking, client: Client, actor: int | None) -> TreatmentSession:
    """The treatment session of a booked course session, made on first asking, so a retried
    request (a double tap on the tablet) finds the same one."""
    existing = linked_session(session, row.id)
    if existing is not None:
        audit_client(
            session, actor=actor, action="read", client=client, resource="session",
            resource_id=existing.id,
        )  # fmt: skip
        return existing
    if row.status not in HOLDING:
        raise not_booked(row)
    if row.plan_id is None:
        raise ConflictError("plan_id", Phrase(NO_PLAN, {"booking": row.id}))
    visit = TreatmentSession(
        plan_id=row.plan_id,
        client_id=row.client_id,
        practitioner_id=row.practitioner_id,
        booking_id=row.id,
        scheduled_at=row.starts_at,
        cautions=list(row.cautions),
    )
    session.add(visit)
    session.flush()
    audit_client(
        session, actor=actor, action="create", client=client, resource="session",
        resource_id=visit.id,
    )  # fmt: skip
    return visit


def linked_session(session: Session, booking_id: int) -> TreatmentSession | None:
    statement = select(TreatmentSession).where(TreatmentSession.booking_id == booking_id)
    return session.scalars(statement).first()


def follow_booking(session: Session, row: Booking) -> None:
    """Keep a not yet started session at its booking's time and practitioner, or cancel it
    with the booking. A session under way or done is history and stays as it is."""
    visit = linked_session(session, row.id)
    if visit is None or visit.status != "scheduled":
        return
    if row.status in RELEASED_STATUSES:
        visit.status = "no_show" if row.status == "no_show" else "cancelled"
    else:
        visit.scheduled_at = row.starts_at
        visit.practitioner_id = row.practitioner_id


def refuse_if_run(session: Session, row: Booking) -> None:
    """A booking whose session is under way or done is history: refuse to move or cancel it."""
    visit = linked_session(session, row.id)
    if visit is not None and visit.status in RUN:
        raise ConflictError("status", Phrase(RUN[visit.status], {"booking": row.id}))
