"""The procedures a clinic offers. A procedure the knowledge base books in the clinic is offered
at its booking defaults until an administrator says otherwise; switched off, it can no longer be
searched or booked (bookings already made stay)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from corneum.knowledge import KnowledgeBase
from corneum.phrase import N_, Phrase
from corneum.records.audit import service as audit
from corneum.records.audit.tables import Action
from corneum.records.errors import InvalidInputError, NotFoundError, Problem
from corneum.records.offerings.schemas import OfferingRead, OfferingWrite
from corneum.records.offerings.tables import Offering

LONGEST_FACTOR = 2
"""Where the knowledge base states no length for a procedure, a clinic may hold a session up to
twice its booking defaults: room for a slower pace, not for a different procedure."""
OUTSIDE = N_("must be between %(min)s and %(max)s minutes for this procedure")


def allowed_minutes(kb: KnowledgeBase, procedure_id: str) -> tuple[int, int]:
    """The shortest and longest session the knowledge base allows the calendar to hold: never
    shorter than its booking defaults (each stage keeps its time), never longer than the length
    its sources state (or :data:`LONGEST_FACTOR` times the defaults when they state none)."""
    least = sum(kb.booking[procedure_id].stage_minutes)
    stated = kb.procedure(procedure_id).duration
    most = stated.max if stated is not None else least * LONGEST_FACTOR
    return least, max(least, most)


def list_offerings(*, session: Session, clinic_id: int, kb: KnowledgeBase) -> list[OfferingRead]:
    """Every procedure the knowledge base books in a clinic, as this clinic offers it."""
    rows = {row.procedure_id: row for row in _rows(session, clinic_id)}
    return [_read(kb, pid, rows.get(pid)) for pid in kb.booking]


def get_offering(
    *, session: Session, clinic_id: int, kb: KnowledgeBase, procedure_id: str
) -> OfferingRead:
    _bookable(kb, procedure_id)
    return _read(kb, procedure_id, _row(session, clinic_id, procedure_id))


def put_offering(
    *,
    session: Session,
    clinic_id: int,
    kb: KnowledgeBase,
    procedure_id: str,
    data: OfferingWrite,
    actor: int | None,
) -> OfferingRead:
    """Set whether and how the clinic offers a procedure; minutes outside what the knowledge
    base allows are refused, naming the field."""
    _bookable(kb, procedure_id)
    least, most = allowed_minutes(kb, procedure_id)
    if data.minutes is not None and not least <= data.minutes <= most:
        phrase = Phrase(OUTSIDE, {"min": least, "max": most})
        problem = Problem(
            loc=("body", "minutes"), msg=phrase.text, type="value_error", phrase=phrase
        )
        raise InvalidInputError([problem])
    row = _row(session, clinic_id, procedure_id)
    action: Action = "update" if row else "create"
    if row is None:
        row = Offering(clinic_id=clinic_id, procedure_id=procedure_id)
        session.add(row)
    row.active, row.price, row.minutes = data.active, data.price, data.minutes
    session.flush()
    audit.record(
        session=session, actor_id=actor, action=action, resource="offering",
        resource_id=procedure_id, client_id=None, clinic_id=clinic_id,
        detail={"fields": sorted(data.model_fields_set)},
    )  # fmt: skip
    return _read(kb, procedure_id, row)


@dataclass(frozen=True, slots=True)
class ClinicOffer:
    """What the calendar needs of a clinic's offerings."""

    off: frozenset[str]
    """Procedures switched off."""
    minutes: Mapping[str, int]
    """Procedures held for the clinic's own length."""


def clinic_offer(session: Session, clinic_id: int) -> ClinicOffer:
    rows = session.execute(
        select(Offering.procedure_id, Offering.active, Offering.minutes).where(
            Offering.clinic_id == clinic_id
        )
    ).all()
    return ClinicOffer(
        off=frozenset(row.procedure_id for row in rows if not row.active),
        minutes={row.procedure_id: row.minutes for row in rows if row.minutes is not None},
    )


def _bookable(kb: KnowledgeBase, procedure_id: str) -> None:
    if procedure_id not in kb.booking:
        raise NotFoundError("procedure", procedure_id)


def _rows(session: Session, clinic_id: int) -> list[Offering]:
    return list(session.scalars(select(Offering).where(Offering.clinic_id == clinic_id)))


def _row(session: Session, clinic_id: int, procedure_id: str) -> Offering | None:
    return session.scalar(
        select(Offering).where(
            Offering.clinic_id == clinic_id, Offering.procedure_id == procedure_id
        )
    )


def _read(kb: KnowledgeBase, procedure_id: str, row: Offering | None) -> OfferingRead:
    least, most = allowed_minutes(kb, procedure_id)
    return OfferingRead(
        procedure_id=procedure_id,
        name=kb.procedure(procedure_id).name,
        active=row.active if row else True,
        price=row.price if row else None,
        minutes=(row.minutes if row and row.minutes else least),
        min_minutes=least,
        max_minutes=most,
    )
