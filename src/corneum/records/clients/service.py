"""Clients and their medical history, scoped by clinic and audited on every read and write.

``actor`` is the id of the user acting (None: the system). Another clinic's client is reported
as not found, exactly as a client that does not exist.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from corneum.db.atomic import atomic
from corneum.db.types import utcnow
from corneum.records.clients.keys import digits, folded, name_key
from corneum.records.clients.schemas import (
    AllergyCreate,
    ClientCreate,
    ClientUpdate,
    HistoryEntryCreate,
    HistoryEntryUpdate,
    MedicationCreate,
    MedicationUpdate,
)
from corneum.records.clients.tables import Allergy, Client, HistoryEntry, Medication
from corneum.records.errors import InvalidInputError, NotFoundError, Problem
from corneum.records.tenancy import Owned, audit_client, find_client, find_owned, owned_rows


def create_client(
    *, session: Session, clinic_id: int, data: ClientCreate, actor: int | None
) -> Client:
    client = Client(clinic_id=clinic_id, **data.model_dump())
    keep_keys(client)
    client.marketing_consent_at = utcnow() if client.marketing_consent else None
    session.add(client)
    session.flush()
    audit_client(session, actor=actor, action="create", client=client)
    return client


def get_client(*, session: Session, clinic_id: int, client_id: int, actor: int | None) -> Client:
    client = find_client(session=session, clinic_id=clinic_id, client_id=client_id)
    audit_client(session, actor=actor, action="read", client=client)
    return client


def update_client(
    *, session: Session, clinic_id: int, client_id: int, data: ClientUpdate, actor: int | None
) -> Client:
    """Change the fields given; the audit row names the fields, not their values."""
    client = find_client(session=session, clinic_id=clinic_id, client_id=client_id)
    changes = data.model_dump(exclude_unset=True)
    agreed_before = client.marketing_consent
    for field, value in changes.items():
        setattr(client, field, value)
    keep_keys(client)
    if client.marketing_consent != agreed_before:
        client.marketing_consent_at = utcnow() if client.marketing_consent else None
    session.flush()
    audit_client(
        session, actor=actor, action="update", client=client, detail={"fields": sorted(changes)}
    )
    return client


def keep_keys(client: Client) -> None:
    """The folded keys search and the duplicate check read, from the client's names and
    contacts as they now are."""
    client.name_key = name_key(client.given_name, client.family_name)
    client.email_key = folded(client.email) if client.email else None
    client.phone_digits = digits(client.phone or "") or None


def add_history_entry(
    *, session: Session, clinic_id: int, client_id: int, data: HistoryEntryCreate, actor: int | None
) -> HistoryEntry:
    return _add(session, clinic_id, client_id, HistoryEntry(**data.model_dump()), actor)


@atomic
def update_history_entry(
    *,
    session: Session,
    clinic_id: int,
    client_id: int,
    entry_id: int,
    data: HistoryEntryUpdate,
    today: date,
    actor: int | None,
) -> HistoryEntry:
    """Resolve a condition (its end defaults to ``today``), make it active again, or change
    its dates or note; the entry is kept, so the history shows what the client had and when."""
    entry = _owned_by(session, HistoryEntry, entry_id, clinic_id, client_id, "history entry")
    changes = data.model_dump(exclude_unset=True)
    if changes.get("status") == "resolved" and "ended_on" not in changes:
        changes["ended_on"] = entry.ended_on or today
    if changes.get("status") == "active" and "ended_on" not in changes:
        changes["ended_on"] = None
    for field, value in changes.items():
        setattr(entry, field, value)
    _dates_in_order(entry.started_on, entry.ended_on, "ended_on")
    _dates_in_order(entry.started_on, entry.expected_end_on, "expected_end_on")
    return _updated(session, entry, client_id, sorted(changes), actor)


def list_history(
    *, session: Session, clinic_id: int, client_id: int, actor: int | None
) -> list[HistoryEntry]:
    return _list(session, clinic_id, client_id, HistoryEntry, actor)


@atomic
def add_medication(
    *,
    session: Session,
    clinic_id: int,
    client_id: int,
    data: MedicationCreate,
    today: date,
    actor: int | None,
) -> Medication:
    """A medication the client takes, or took until ``last_taken`` (not after ``today``: the
    wash-out rules count from a dose that was taken)."""
    _not_future(data.last_taken, today)
    return _add(session, clinic_id, client_id, Medication(**data.model_dump()), actor)


@atomic
def update_medication(
    *,
    session: Session,
    clinic_id: int,
    client_id: int,
    medication_id: int,
    data: MedicationUpdate,
    today: date,
    actor: int | None,
) -> Medication:
    """Record the last dose of a medication the client stopped, or change its note."""
    row = _owned_by(session, Medication, medication_id, clinic_id, client_id, "medication")
    _not_future(data.last_taken, today)
    changes = data.model_dump(exclude_unset=True)
    for field, value in changes.items():
        setattr(row, field, value)
    return _updated(session, row, client_id, sorted(changes), actor)


def _not_future(last_taken: date | None, today: date) -> None:
    if last_taken is not None and last_taken > today:
        message = f"the last dose cannot be after today ({today}); leave it out while taking it"
        problem = Problem(loc=("body", "last_taken"), msg=message, type="date_future")
        raise InvalidInputError([problem])


def _dates_in_order(first: date | None, then: date | None, field: str) -> None:
    if first is not None and then is not None and then < first:
        problem = Problem(
            loc=("body", field), msg=f"{field} is before started_on", type="value_error"
        )
        raise InvalidInputError([problem])


def _owned_by(
    session: Session, table: type[Owned], row_id: int, clinic_id: int, client_id: int, name: str
) -> Owned:
    row, client = find_owned(session, table, row_id, clinic_id=clinic_id, resource=name)
    if client.id != client_id:
        raise NotFoundError(name, row_id)
    return row


def _updated(
    session: Session, row: Owned, client_id: int, fields: list[str], actor: int | None
) -> Owned:
    session.flush()
    client = session.get(Client, client_id)
    assert client is not None  # found with the row
    audit_client(
        session, actor=actor, action="update", client=client, resource=row.__tablename__,
        resource_id=row.id, detail={"fields": fields},
    )  # fmt: skip
    return row


def list_medications(
    *, session: Session, clinic_id: int, client_id: int, actor: int | None
) -> list[Medication]:
    return _list(session, clinic_id, client_id, Medication, actor)


def add_allergy(
    *, session: Session, clinic_id: int, client_id: int, data: AllergyCreate, actor: int | None
) -> Allergy:
    return _add(session, clinic_id, client_id, Allergy(**data.model_dump()), actor)


def list_allergies(
    *, session: Session, clinic_id: int, client_id: int, actor: int | None
) -> list[Allergy]:
    return _list(session, clinic_id, client_id, Allergy, actor)


def _add(session: Session, clinic_id: int, client_id: int, row: Owned, actor: int | None) -> Owned:
    client = find_client(session=session, clinic_id=clinic_id, client_id=client_id)
    row.client_id = client.id
    session.add(row)
    session.flush()
    audit_client(
        session,
        actor=actor,
        action="create",
        client=client,
        resource=row.__tablename__,
        resource_id=row.id,
    )
    return row


def _list(
    session: Session, clinic_id: int, client_id: int, table: type[Owned], actor: int | None
) -> list[Owned]:
    client = find_client(session=session, clinic_id=clinic_id, client_id=client_id)
    audit_client(session, actor=actor, action="read", client=client, resource=table.__tablename__)
    return owned_rows(session, table, client.id)
