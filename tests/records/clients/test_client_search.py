"""Finding clients: any part of a name in any script and case, a phone number in any format, part
of an e-mail address; the list recent first or by name, a keyset page at a time; the clients a
new record may duplicate. Each runs on SQLite and PostgreSQL and must give the same answer."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from corneum.records.accounts.tables import Clinic
from corneum.records.audit.tables import AuditEvent
from corneum.records.clients import listing, service
from corneum.records.clients.keys import digits, folded, name_key
from corneum.records.clients.schemas import ClientCreate, ClientUpdate
from corneum.records.clients.tables import Client


def add(session: Session, clinic: Clinic, given: str, family: str, **fields: Any) -> Client:
    data = ClientCreate(given_name=given, family_name=family, **fields)
    return service.create_client(session=session, clinic_id=clinic.id, data=data, actor=None)


@pytest.fixture
def people(db_session: Session, clinic: Clinic, other_clinic: Clinic) -> dict[str, Client]:
    found = {
        "alina": add(
            db_session, clinic, "Алина", "Соколова",
            phone="+7 (912) 345-67-89", email="A.Sokolova@Post.Example.com",
        ),
        "alyona": add(db_session, clinic, "Алёна", "Фёдорова", phone="8 903 111 22 33"),
        "ana": add(db_session, clinic, "Ana", "Lopez", phone="+34 600 000 001",
                   email="ana@example.org"),
        "sofia": add(db_session, clinic, "Sofía", "Müller-Straße"),
    }  # fmt: skip
    add(db_session, other_clinic, "Алина", "Соколова", phone="+7 912 345 67 89")
    return found


def found(session: Session, clinic: Clinic, query: str) -> set[int]:
    page = listing.browse_clients(
        session=session, clinic_id=clinic.id, actor=None, query=query, limit=50
    )
    return {client.id for client in page.items}


@pytest.mark.parametrize(
    ("query", "who"),
    [
        ("алина", {"alina"}),
        ("СОКОЛ", {"alina"}),
        ("колова", {"alina"}),
        ("соколова алина", {"alina"}),
        ("Алина Соколова", {"alina"}),
        ("алена", {"alyona"}),  # yo typed as ye
        ("ФЁДОР", {"alyona"}),
        ("LOPEZ", {"ana"}),
        ("müller-strasse", {"sofia"}),  # ß folds to ss
        ("SOFÍA", {"sofia"}),
        ("ал", {"alina", "alyona"}),
        ("89123456789", {"alina"}),  # the trunk prefix 8 for +7
        ("+7 (912) 345-67-89", {"alina"}),
        ("9123456789", {"alina"}),
        ("345-67", {"alina"}),
        ("0034 600 000 001", {"ana"}),
        ("600000001", {"ana"}),
        ("sokolova@", {"alina"}),
        ("POST.EXAMPLE", {"alina"}),
        ("example.org", {"ana"}),
        ("алина lopez", set()),  # every word must match the same client
        ("%", set()),  # LIKE's wildcards are matched as typed
        ("a_a", set()),
    ],
)
def test_a_client_is_found_by_any_part_of_a_name_a_phone_or_an_email(
    db_session: Session, clinic: Clinic, people: dict[str, Client], query: str, who: set[str]
) -> None:
    assert found(db_session, clinic, query) == {people[name].id for name in who}


def test_the_keys_follow_a_change_of_name_and_contacts(
    db_session: Session, clinic: Clinic, people: dict[str, Client]
) -> None:
    alina = people["alina"]
    service.update_client(
        session=db_session,
        clinic_id=clinic.id,
        client_id=alina.id,
        data=ClientUpdate(family_name="Орлова", phone="+7 999 000-00-01", email=None),
        actor=None,
    )
    assert found(db_session, clinic, "орлов") == {alina.id}
    assert found(db_session, clinic, "сокол") == set()
    assert found(db_session, clinic, "89990000001") == {alina.id}
    assert found(db_session, clinic, "sokolova") == set()
    assert (alina.name_key, alina.email_key, alina.phone_digits) == (
        "орлова алина",
        None,
        "79990000001",
    )


def test_keys_fold_any_script_and_keep_only_a_phones_digits() -> None:
    assert name_key("Алёна", "  ФЁДОРОВА ") == "федорова алена"
    assert folded("Straße") == "strasse"
    assert digits("+7 (912) 345-67-89") == "79123456789"


def page_of(session: Session, clinic: Clinic, **kwargs: Any) -> listing.ClientsPage:
    return listing.browse_clients(session=session, clinic_id=clinic.id, actor=None, **kwargs)


def family_names(page: listing.ClientsPage) -> list[str]:
    return [client.family_name for client in page.items]


def test_the_list_pages_by_name_forward_and_back(db_session: Session, clinic: Clinic) -> None:
    for family in ["Ruiz", "Abad", "Соколова", "Marin", "costa", "Blanco", "Яковлева"]:
        add(db_session, clinic, "Eva", family)
    first = page_of(db_session, clinic, order="name", limit=3)
    second = page_of(db_session, clinic, order="name", limit=3, after=first.items[-1].id)
    third = page_of(db_session, clinic, order="name", limit=3, after=second.items[-1].id)
    back = page_of(db_session, clinic, order="name", limit=3, before=third.items[0].id)
    assert family_names(first) == ["Abad", "Blanco", "costa"]  # folded: case does not sort
    assert family_names(second) == ["Marin", "Ruiz", "Соколова"]
    assert family_names(third) == ["Яковлева"]
    assert family_names(back) == family_names(second)
    assert (first.more_before, first.more_after) == (False, True)
    assert (third.more_before, third.more_after) == (True, False)
    assert (back.more_before, back.more_after) == (True, True)
    assert first.total == third.total == 7


def test_the_list_shows_the_clients_added_last_first(db_session: Session, clinic: Clinic) -> None:
    added = [add(db_session, clinic, "Eva", family) for family in ["One", "Two", "Three"]]
    first = page_of(db_session, clinic, limit=2)
    rest = page_of(db_session, clinic, limit=2, after=first.items[-1].id)
    assert family_names(first) == ["Three", "Two"]
    assert family_names(rest) == ["One"]
    assert rest.items[0].id == added[0].id


def test_a_page_after_another_clinics_client_starts_from_the_first(
    db_session: Session, clinic: Clinic, other_clinic: Clinic
) -> None:
    mine = add(db_session, clinic, "Eva", "Mine")
    theirs = add(db_session, other_clinic, "Eva", "Theirs")
    page = page_of(db_session, clinic, after=theirs.id)
    assert [client.id for client in page.items] == [mine.id]
    assert page.more_before is False


def test_a_search_is_audited_with_the_ids_shown_never_the_query(
    db_session: Session, clinic: Clinic, people: dict[str, Client]
) -> None:
    found(db_session, clinic, "алина")
    row = db_session.scalars(
        select(AuditEvent).where(AuditEvent.resource_id.is_(None)).order_by(AuditEvent.id.desc())
    ).first()
    assert row is not None
    assert row.detail == {"client_ids": [people["alina"].id], "purpose": "search"}
    assert "алина" not in str(row.detail)


def duplicates(session: Session, clinic: Clinic, **fields: Any) -> set[int]:
    given: dict[str, Any] = {
        "given_name": "Nobody",
        "family_name": "Known",
        "date_of_birth": None,
        "email": None,
        "phone": None,
        "excluding": None,
        **fields,
    }
    rows = listing.possible_duplicates(session=session, clinic_id=clinic.id, actor=None, **given)
    return {client.id for client in rows}


def test_a_new_client_may_duplicate_one_by_name_and_birth_date_phone_or_email(
    db_session: Session, clinic: Clinic, people: dict[str, Client]
) -> None:
    alina = people["alina"]
    alina.date_of_birth = date(1990, 5, 17)
    db_session.flush()
    same_person = {"given_name": "алина", "family_name": "СОКОЛОВА"}
    assert duplicates(db_session, clinic, **same_person, date_of_birth=date(1990, 5, 17)) == {
        alina.id
    }
    assert duplicates(db_session, clinic, **same_person, date_of_birth=date(1991, 5, 17)) == set()
    assert duplicates(db_session, clinic, **same_person) == set()  # a name alone is not enough
    assert duplicates(db_session, clinic, phone="8 (912) 3456789") == {alina.id}
    assert duplicates(db_session, clinic, phone="+7 912 345 67 80") == set()
    email = "a.sokolova@post.example.com"
    assert duplicates(db_session, clinic, email=email) == {alina.id}
    assert duplicates(db_session, clinic, email=email, excluding=alina.id) == set()
