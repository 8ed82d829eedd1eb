"""Migration 0009 upgrades existing records sensibly: a plan made from a consultation takes the
area that consultation assessed, other plans screen every area; bookings and sessions carry no
cautions, no acknowledgement, no skipped stage; history entries keep their status."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL

from corneum.db import migrate
from corneum.db.engine import make_engine

NOW = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def seed_0008(connection: sa.Connection) -> None:
    meta = sa.MetaData()
    meta.reflect(connection)
    t = meta.tables
    client = {"clinic_id": 1, "given_name": "A", "family_name": "B", "risk_factors": []}
    plan = {"client_id": 1, "sessions_planned": 3, "status": "active"}
    rows: list[tuple[str, dict[str, Any]]] = [
        ("clinics", {"id": 1, "name": "C", "created_at": NOW}),
        ("clients", {"id": 1, **client, "created_at": NOW, "updated_at": NOW}),
        (
            "consultations",
            {
                "id": 1,
                "client_id": 1,
                "profile": {"area": "face", "concerns": []},
                "assessment": {},
                "kb_version": "1.2.0",
                "kb_sha256": "0" * 64,
                "created_at": NOW,
            },
        ),
        (
            "treatment_plans",
            {"id": 1, **plan, "consultation_id": 1, "procedure_id": "chemical_peel"},
        ),
        ("treatment_plans", {"id": 2, **plan, "procedure_id": "atraumatic_back_cleansing"}),
        (
            "medical_history",
            {
                "id": 1,
                "client_id": 1,
                "condition_code": "sunburn",
                "status": "active",
                "created_at": NOW,
            },
        ),
    ]
    for table, values in rows:
        stamped = {"created_at": NOW, "updated_at": NOW} if table == "treatment_plans" else {}
        connection.execute(t[table].insert().values(**values, **stamped))


@pytest.fixture
def migrated(empty_database_url: URL) -> Iterator[sa.Engine]:
    migrate.upgrade(empty_database_url, "0008")
    engine = make_engine(empty_database_url)
    try:
        with engine.begin() as connection:
            seed_0008(connection)
        migrate.upgrade(empty_database_url, "0009")
        yield engine
    finally:
        engine.dispose()


def test_plans_take_their_consultations_area_and_history_keeps_its_status(
    migrated: sa.Engine,
) -> None:
    with migrated.connect() as connection:
        plans = connection.execute(sa.text("SELECT id, area FROM treatment_plans ORDER BY id"))
        history = connection.execute(
            sa.text("SELECT status, expected_end_on, area FROM medical_history")
        )
        assert [tuple(row) for row in plans] == [(1, "face"), (2, None)]
        assert [tuple(row) for row in history] == [("active", None, None)]


def test_a_downgrade_drops_the_new_columns(empty_database_url: URL, migrated: sa.Engine) -> None:
    migrate.downgrade(empty_database_url, "0008")
    with migrated.connect() as connection:
        columns = {c["name"] for c in sa.inspect(connection).get_columns("treatment_plans")}
    assert "area" not in columns
