"""The audit log is queried per clinic, newest first, by client, actor, action or time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from corneum.records.accounts.tables import Clinic, User
from corneum.records.audit import service as audit
from corneum.records.clients.service import get_client
from corneum.records.clients.tables import Client


def test_a_clinic_sees_only_its_own_events_newest_first(
    db_session: Session,
    clinic: Clinic,
    other_clinic: Clinic,
    practitioner: User,
    client_record: Client,
) -> None:
    get_client(
        session=db_session, clinic_id=clinic.id, client_id=client_record.id, actor=practitioner.id
    )
    audit.record(
        session=db_session,
        actor_id=None,
        action="read",
        resource="client",
        resource_id=1,
        client_id=None,
        clinic_id=other_clinic.id,
    )
    page = audit.query(session=db_session, clinic_id=clinic.id, client_id=client_record.id)
    assert [(e.action, e.actor_id) for e in page.items] == [
        ("read", practitioner.id),
        ("create", practitioner.id),
    ]
    assert page.total == 2


def test_events_filter_by_action_and_time(
    db_session: Session, clinic: Clinic, client_record: Client
) -> None:
    now = datetime.now(UTC)
    hour = timedelta(hours=1)
    made = audit.query(session=db_session, clinic_id=clinic.id, action="create", since=now - hour)
    assert [e.resource_type for e in made.items] == ["client", "user"]
    assert audit.query(session=db_session, clinic_id=clinic.id, until=now - hour).total == 0
