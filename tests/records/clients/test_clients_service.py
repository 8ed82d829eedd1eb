"""Clients: created, listed a page at a time, read and changed, always within one clinic."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from corneum.records.accounts.tables import Clinic, User
from corneum.records.audit.tables import AuditEvent
from corneum.records.clients import listing, service
from corneum.records.clients.schemas import (
    AllergyCreate,
    ClientCreate,
    ClientUpdate,
    HistoryEntryCreate,
    MedicationCreate,
)
from corneum.records.clients.tables import Client
from corneum.records.errors import NotFoundError


def add_clients(session: Session, clinic: Clinic, family_names: list[str]) -> list[Client]:
    return [
        service.create_client(
            session=session,
            clinic_id=clinic.id,
            data=ClientCreate(given_name="Eva", family_name=name),
            actor=None,
        )
        for name in family_names
    ]


def audit_rows(session: Session, client_id: int) -> list[tuple[str, str]]:
    statement = (
        select(AuditEvent.action, AuditEvent.resource_type)
        .where(AuditEvent.client_id == client_id)
        .order_by(AuditEvent.id)
    )
    return [(action, resource) for action, resource in session.execute(statement)]


def test_a_created_client_is_stored_with_its_codes(
    db_session: Session, clinic: Clinic, client_record: Client
) -> None:
    db_session.expire_all()
    stored = service.get_client(
        session=db_session, clinic_id=clinic.id, client_id=client_record.id, actor=None
    )
    assert (stored.family_name, stored.skin_type, stored.phototype) == ("Lopez", "oily", 3)
    assert stored.risk_factors == ["frequent_stress"]
    assert stored.created_at.tzinfo is not None


def test_clients_are_listed_by_family_name_a_page_at_a_time(
    db_session: Session, clinic: Clinic, other_clinic: Clinic
) -> None:
    add_clients(db_session, clinic, ["Ruiz", "Abad", "Marin", "Costa", "Blanco"])
    add_clients(db_session, other_clinic, ["Aaron"])
    first = listing.list_clients(
        session=db_session, clinic_id=clinic.id, actor=None, offset=0, limit=2
    )
    last = listing.list_clients(
        session=db_session, clinic_id=clinic.id, actor=None, offset=4, limit=2
    )
    assert [c.family_name for c in first.items] == ["Abad", "Blanco"]
    assert [c.family_name for c in last.items] == ["Ruiz"]
    assert first.total == last.total == 5


@pytest.mark.parametrize(("offset", "limit"), [(-1, 10), (0, 0), (0, 201)])
def test_a_page_out_of_range_is_refused(
    db_session: Session, clinic: Clinic, offset: int, limit: int
) -> None:
    with pytest.raises(ValueError, match=r"offset|limit"):
        listing.list_clients(
            session=db_session, clinic_id=clinic.id, actor=None, offset=offset, limit=limit
        )


def test_another_clinics_client_is_not_found(
    db_session: Session, other_clinic: Clinic, client_record: Client
) -> None:
    with pytest.raises(NotFoundError, match=f"client {client_record.id} not found"):
        service.get_client(
            session=db_session, clinic_id=other_clinic.id, client_id=client_record.id, actor=None
        )
    with pytest.raises(NotFoundError):
        service.add_history_entry(
            session=db_session,
            clinic_id=other_clinic.id,
            client_id=client_record.id,
            data=HistoryEntryCreate(condition_code="psoriasis"),
            actor=None,
        )


def test_an_update_changes_only_the_fields_given(
    db_session: Session, clinic: Clinic, practitioner: User, client_record: Client
) -> None:
    updated = service.update_client(
        session=db_session,
        clinic_id=clinic.id,
        client_id=client_record.id,
        data=ClientUpdate(phone=None, phototype=4),
        actor=practitioner.id,
    )
    assert (updated.phone, updated.phototype, updated.given_name) == (None, 4, "Ana")
    change = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "update", AuditEvent.client_id == updated.id)
    ).one()
    assert change.detail == {"fields": ["phone", "phototype"]}
    assert change.actor_id == practitioner.id


def test_a_name_cannot_be_cleared() -> None:
    with pytest.raises(ValidationError, match="family_name cannot be cleared"):
        ClientUpdate(family_name=None)


def test_an_unknown_code_is_refused_naming_the_field_and_the_allowed_codes() -> None:
    with pytest.raises(ValidationError) as caught:
        ClientCreate(given_name="A", family_name="B", risk_factors=["smoking"])
    error = caught.value.errors()[0]
    assert error["loc"] == ("risk_factors", 0)
    assert "frequent_stress" in error["msg"]


def test_history_medications_and_allergies_are_added_and_listed(
    db_session: Session, clinic: Clinic, client_record: Client
) -> None:
    ids: dict[str, Any] = {
        "session": db_session,
        "clinic_id": clinic.id,
        "client_id": client_record.id,
    }
    service.add_history_entry(
        **ids, data=HistoryEntryCreate(condition_code="psoriasis"), actor=None
    )
    service.add_medication(
        **ids,
        data=MedicationCreate(code="isotretinoin", last_taken=date(2026, 8, 1)),
        today=date(2026, 11, 23),
        actor=None,
    )
    service.add_allergy(**ids, data=AllergyCreate(allergen="salicylic acid"), actor=None)
    assert [h.condition_code for h in service.list_history(**ids, actor=None)] == ["psoriasis"]
    [medication] = service.list_medications(**ids, actor=None)
    assert medication.last_taken == date(2026, 8, 1)
    assert [a.allergen for a in service.list_allergies(**ids, actor=None)] == ["salicylic acid"]


def test_every_read_and_write_of_a_client_is_audited(
    db_session: Session, clinic: Clinic, client_record: Client
) -> None:
    ids: dict[str, Any] = {
        "session": db_session,
        "clinic_id": clinic.id,
        "client_id": client_record.id,
    }
    service.get_client(**ids, actor=None)
    service.add_history_entry(**ids, data=HistoryEntryCreate(condition_code="eczema"), actor=None)
    service.list_history(**ids, actor=None)
    assert audit_rows(db_session, client_record.id) == [
        ("create", "client"),
        ("read", "client"),
        ("create", "medical_history"),
        ("read", "medical_history"),
    ]


def test_a_listing_is_audited_with_the_ids_it_showed(
    db_session: Session, clinic: Clinic, client_record: Client
) -> None:
    listing.list_clients(session=db_session, clinic_id=clinic.id, actor=None)
    row = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "read", AuditEvent.resource_id.is_(None))
    ).one()
    assert row.detail == {"client_ids": [client_record.id]}
    assert row.clinic_id == clinic.id
