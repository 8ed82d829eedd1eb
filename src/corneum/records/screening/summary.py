"""What a practitioner or reception must see first about a client before a procedure: the
safety summary the runner, the booking page and the client's record show as a banner."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from corneum.knowledge import KnowledgeBase
from corneum.records.calendar.bookings.service import booking_flags
from corneum.records.calendar.bookings.tables import HOLDING, Booking
from corneum.records.clients.tables import Allergy
from corneum.records.consents.service import has_current_consent
from corneum.records.screening.service import screen
from corneum.records.sessions.tables import AdverseEvent, TreatmentSession
from corneum.records.tenancy import find_client, owned_rows


@dataclass(frozen=True, slots=True)
class PastAdverseEvent:
    occurred_at: datetime
    kind: str
    severity: str


@dataclass(frozen=True, slots=True)
class SafetySummary:
    """The banner's content. ``barring`` and ``cautions`` are stored-reason dicts (rule, code,
    effect, source, text, eligible_from) from screening as of ``on``."""

    on: date
    allergies: list[tuple[str, str | None]] = field(default_factory=list)
    barring: list[dict[str, Any]] = field(default_factory=list)
    cautions: list[dict[str, Any]] = field(default_factory=list)
    adverse_events: list[PastAdverseEvent] = field(default_factory=list)
    consent_current: bool | None = None
    """For a procedure: whether a consent in the current wording is signed; None otherwise."""

    @property
    def empty(self) -> bool:
        nothing = not (self.allergies or self.barring or self.cautions or self.adverse_events)
        return nothing and self.consent_current is not False


def safety_summary(
    *,
    session: Session,
    clinic_id: int,
    client_id: int,
    kb: KnowledgeBase,
    on: date,
    actor: int | None,
    procedure_id: str | None = None,
    area: str | None = None,
    excluding_session: int | None = None,
) -> SafetySummary:
    """The client's allergies and earlier adverse events; with a procedure, screening for it as
    of ``on`` (a record that cannot be screened yet is a caution) and the consent's state."""
    client = find_client(session=session, clinic_id=clinic_id, client_id=client_id)
    allergies = [(row.allergen, row.reaction) for row in owned_rows(session, Allergy, client.id)]
    events = _earlier_adverse_events(session, client.id, excluding_session)
    if procedure_id is None:
        return SafetySummary(on, allergies, adverse_events=events)
    found = screen(
        session=session, clinic_id=clinic_id, client_id=client.id, procedure_id=procedure_id,
        area=area, on=on, kb=kb, actor=actor, unscreened_is_caution=True,
    )  # fmt: skip
    consent = has_current_consent(
        session, client_id=client.id, procedure=kb.procedure(procedure_id), kb=kb
    )
    return SafetySummary(
        on,
        allergies,
        [reason.to_dict() for reason in found.barring],
        found.stored_cautions(),
        events,
        consent,
    )


def _earlier_adverse_events(
    session: Session, client_id: int, excluding_session: int | None
) -> list[PastAdverseEvent]:
    statement = (
        select(AdverseEvent.occurred_at, AdverseEvent.kind, AdverseEvent.severity)
        .join(TreatmentSession, TreatmentSession.id == AdverseEvent.session_id)
        .where(TreatmentSession.client_id == client_id)
        .order_by(AdverseEvent.occurred_at.desc())
    )
    if excluding_session is not None:
        statement = statement.where(TreatmentSession.id != excluding_session)
    return [PastAdverseEvent(*row) for row in session.execute(statement)]


@dataclass(frozen=True, slots=True)
class FlaggedBooking:
    """A booking to come that screening now finds contraindicated on its day."""

    booking_id: int
    starts_at: datetime
    procedure_id: str
    reasons: list[dict[str, Any]]


def flagged_bookings(
    *, session: Session, clinic_id: int, client_id: int, kb: KnowledgeBase, now: datetime,
    actor: int | None,
) -> list[FlaggedBooking]:  # fmt: skip
    """The client's bookings from ``now`` on that the record as it stands now contraindicates:
    each stays flagged until someone moves or cancels it, or the record changes."""
    coming = select(Booking).where(
        Booking.clinic_id == clinic_id,
        Booking.client_id == client_id,
        Booking.status.in_(HOLDING),
        Booking.starts_at >= now,
    )
    flagged = []
    for row in session.scalars(coming.order_by(Booking.starts_at)):
        reasons = booking_flags(session=session, row=row, kb=kb, actor=actor)
        if reasons:
            flagged.append(FlaggedBooking(row.id, row.starts_at, row.procedure_id, reasons))
    return flagged
