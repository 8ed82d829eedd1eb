"""The database itself refuses what the schemas would: bad enum values, impossible numbers,
changes to the audit log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import delete, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from corneum.db.base import Base
from corneum.records.accounts.tables import User
from corneum.records.audit.tables import AuditEvent
from corneum.records.clients.tables import Client, HistoryEntry
from corneum.records.outcomes.tables import Outcome
from corneum.records.plans.tables import TreatmentPlan
from corneum.records.sessions.tables import AdverseEvent, TreatmentSession

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def row_makers(visit: TreatmentSession, practitioner: User) -> dict[str, Callable[[str], Base]]:
    """For each enum column: a row of that table with the column set to the given value."""
    clinic_id, client_id, plan_id = practitioner.clinic_id, visit.client_id, visit.plan_id
    return {
        "users.role": lambda v: User(
            clinic_id=clinic_id, email="x@example.org", password_hash="x", role=v
        ),
        "medical_history.status": lambda v: HistoryEntry(
            client_id=client_id, condition_code="psoriasis", status=v
        ),
        "treatment_plans.status": lambda v: TreatmentPlan(
            client_id=client_id, procedure_id="chemical_peel", sessions_planned=1, status=v
        ),
        "treatment_sessions.status": lambda v: TreatmentSession(
            plan_id=plan_id,
            client_id=client_id,
            practitioner_id=practitioner.id,
            scheduled_at=NOW,
            status=v,
        ),
        "adverse_events.severity": lambda v: AdverseEvent(
            session_id=visit.id, occurred_at=NOW, kind="erythema", severity=v
        ),
        "audit_events.action": lambda v: AuditEvent(action=v, resource_type="client"),
    }


@pytest.mark.parametrize(
    ("column", "good", "bad"),
    [
        ("users.role", "reception", "superuser"),
        ("medical_history.status", "resolved", "maybe"),
        ("treatment_plans.status", "cancelled", "paused"),
        ("treatment_sessions.status", "no_show", "late"),
        ("adverse_events.severity", "severe", "catastrophic"),
        ("audit_events.action", "erase", "peek"),
    ],
)
def test_an_enum_column_takes_its_values_and_refuses_others(
    db_session: Session,
    practitioner: User,
    visit: TreatmentSession,
    column: str,
    good: str,
    bad: str,
) -> None:
    make = row_makers(visit, practitioner)[column]
    with db_session.begin_nested():
        db_session.add(make(good))
    with pytest.raises(IntegrityError, match="ck_"), db_session.begin_nested():
        db_session.add(make(bad))


@pytest.mark.parametrize(
    "row",
    [
        lambda c: Client(clinic_id=c.clinic_id, given_name="A", family_name="B", phototype=7),
        lambda c: HistoryEntry(
            client_id=c.id,
            condition_code="eczema",
            status="resolved",
            started_on=date(2026, 5, 1),
            ended_on=date(2026, 4, 1),
        ),
        lambda c: TreatmentPlan(client_id=c.id, procedure_id="chemical_peel", sessions_planned=0),
    ],
    ids=["phototype_7", "history_ends_before_it_starts", "plan_of_no_sessions"],
)
def test_impossible_values_are_refused(
    db_session: Session, client_record: Client, row: Callable[[Client], Base]
) -> None:
    with pytest.raises(IntegrityError), db_session.begin_nested():
        db_session.add(row(client_record))


@pytest.mark.parametrize(
    "counts",
    [{"papules": -1}, {"nodules": -3}],
    ids=["negative_papules", "negative_nodules"],
)
def test_an_impossible_outcome_is_refused(
    db_session: Session, visit: TreatmentSession, counts: dict[str, object]
) -> None:
    with pytest.raises(IntegrityError), db_session.begin_nested():
        db_session.add(Outcome(session_id=visit.id, **counts))


def test_the_audit_log_refuses_updates_and_deletes(db_session: Session) -> None:
    event = AuditEvent(action="read", resource_type="client", resource_id="1")
    db_session.add(event)
    db_session.flush()
    for statement in (
        update(AuditEvent).where(AuditEvent.id == event.id).values(action="update"),
        delete(AuditEvent).where(AuditEvent.id == event.id),
    ):
        with pytest.raises(DBAPIError, match="append-only"), db_session.begin_nested():
            db_session.execute(statement)
