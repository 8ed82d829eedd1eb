"""Sequencing between different procedures: a session no sooner after (or before) the client's
other sessions than the knowledge base's ``sequencing`` allows (no peel within a month of laser
resurfacing, say). A gap a seed, A or B source states bars the booking; one resting on clinic
practice (C) only cautions, as for every rule of the knowledge base."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from corneum.assessment import Reason
from corneum.knowledge import KnowledgeBase
from corneum.knowledge.model import SequencingRule
from corneum.records.calendar.bookings.tables import Booking
from corneum.records.screening.service import ContraindicatedError, Screening

BARRING_EVIDENCE = frozenset({"seed", "A", "B"})
KEPT = ("booked", "arrived", "done")
"""Booking statuses that hold their place in a client's course of treatment."""


def sequencing_reasons(
    *,
    session: Session,
    client_id: int,
    procedure_id: str,
    start: datetime,
    kb: KnowledgeBase,
    excluding: int | None = None,
) -> tuple[Reason, ...]:
    """The gaps ``procedure_id`` at ``start`` breaks with the client's other bookings (kept or
    done), each as a reason naming the other procedure: ``contraindicated`` when its source
    may bar, ``caution`` otherwise."""
    statement = select(Booking.procedure_id, Booking.starts_at).where(
        Booking.client_id == client_id,
        Booking.status.in_(KEPT),
        Booking.procedure_id != procedure_id,
    )
    if excluding is not None:
        statement = statement.where(Booking.id != excluding)
    found: dict[str, Reason] = {}
    for other, at in session.execute(statement):
        before = at <= start
        rule = kb.min_gap(other, procedure_id) if before else kb.min_gap(procedure_id, other)
        days = abs((start.date() - at.date()).days)
        if rule is not None and days < rule.min_days:
            found.setdefault(rule.first + rule.then, _reason(rule, other, kb))
    return tuple(found.values())


def _reason(rule: SequencingRule, other: str, kb: KnowledgeBase) -> Reason:
    source = kb.sources.get(rule.source)
    bars = source is not None and source.evidence in BARRING_EVIDENCE
    text = f"{rule.reason} ({rule.min_days} days between them)"
    rule_id = f"sequencing.{rule.first}.{rule.then}"
    return Reason(rule_id, other, "contraindicated" if bars else "caution", rule.source, text)


def require_sequencing(
    *,
    session: Session,
    client_id: int,
    procedure_id: str,
    start: datetime,
    on: date,
    kb: KnowledgeBase,
    excluding: int | None = None,
) -> list[dict[str, Any]]:
    """:func:`sequencing_reasons`, refusing a barring gap (:class:`ContraindicatedError`,
    409 with its reasons); the cautions, as a booking stores them."""
    reasons = sequencing_reasons(
        session=session, client_id=client_id, procedure_id=procedure_id, start=start, kb=kb,
        excluding=excluding,
    )  # fmt: skip
    barring = tuple(r for r in reasons if r.effect == "contraindicated")
    if barring:
        raise ContraindicatedError(Screening(procedure_id, on, "contraindicated", barring))
    return [reason.to_dict() for reason in reasons]
