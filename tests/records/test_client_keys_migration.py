"""Migration 0018 gives the clients already on record the folded keys search
reads, computed as the service computes them, and keeps SQLite from reusing ids."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import URL

from corneum.db import migrate
from corneum.db.engine import make_engine
from corneum.records.clients.keys import digits, folded, name_key

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
CLIENTS = [
    ("Алёна", "Фёдорова", "+7 (912) 345-67-89", "Alyona@Example.org"),
    ("Ana", "Lopez", None, None),
]


def test_existing_clients_get_their_search_keys(empty_database_url: URL) -> None:
    migrate.upgrade(empty_database_url, "0017")
    engine = make_engine(empty_database_url)
    try:
        with engine.begin() as connection:
            meta = sa.MetaData()
            meta.reflect(connection)
            connection.execute(
                meta.tables["clinics"].insert().values(id=1, name="C", created_at=NOW)
            )
            for number, (given, family, phone, email) in enumerate(CLIENTS, start=1):
                connection.execute(
                    meta.tables["clients"].insert().values(
                        id=number, clinic_id=1, given_name=given, family_name=family,
                        phone=phone, email=email, risk_factors=[], created_at=NOW, updated_at=NOW,
                    )
                )  # fmt: skip
        migrate.upgrade(empty_database_url)
        with engine.connect() as connection:
            keys = connection.execute(
                sa.text("SELECT name_key, email_key, phone_digits FROM clients ORDER BY id")
            ).all()
            consent = connection.execute(sa.text("SELECT marketing_consent FROM clients")).all()
    finally:
        engine.dispose()
    assert [tuple(row) for row in keys] == [
        (name_key(given, family), email and folded(email), phone and digits(phone))
        for given, family, phone, email in CLIENTS
    ]
    assert keys[0] == ("федорова алена", "alyona@example.org", "79123456789")
    assert {bool(row[0]) for row in consent} == {False}
