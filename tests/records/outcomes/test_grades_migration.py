"""Migration 0004 turns each outcome's one grade into per-area grade rows without losing any."""

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
LEGACY: list[dict[str, Any]] = [
    {"id": 1, "grade_scale": "iga", "grade_value": 2, "note": None},
    {"id": 2, "grade_scale": "gags", "grade_value": 17, "note": "shoulders calmer"},
    {"id": 3, "grade_scale": None, "grade_value": None, "note": None},
]


def seed_0003(connection: sa.Connection) -> None:
    """A clinic, a client with a plan and three sessions, and an outcome of each, as rev 0003
    stored them."""
    meta = sa.MetaData()
    meta.reflect(connection)
    t = meta.tables
    rows: list[tuple[str, dict[str, Any]]] = [
        ("clinics", {"id": 1, "name": "C", "created_at": NOW}),
        (
            "users",
            {
                "id": 1,
                "clinic_id": 1,
                "email": "p@example.org",
                "password_hash": "x",
                "role": "practitioner",
                "qualifications": [],
                "active": True,
                "created_at": NOW,
            },
        ),
        (
            "clients",
            {
                "id": 1,
                "clinic_id": 1,
                "given_name": "A",
                "family_name": "B",
                "risk_factors": [],
                "created_at": NOW,
                "updated_at": NOW,
            },
        ),
        (
            "treatment_plans",
            {
                "id": 1,
                "client_id": 1,
                "procedure_id": "chemical_peel",
                "sessions_planned": 3,
                "status": "active",
                "created_at": NOW,
                "updated_at": NOW,
            },
        ),
    ]
    for table, values in rows:
        connection.execute(t[table].insert().values(**values))
    for legacy in LEGACY:
        number = legacy["id"]
        visit = {
            "id": number,
            "plan_id": 1,
            "client_id": 1,
            "practitioner_id": 1,
            "scheduled_at": NOW,
            "status": "completed",
            "created_at": NOW,
        }
        connection.execute(t["treatment_sessions"].insert().values(**visit))
        outcome = {**legacy, "session_id": number, "papules": number, "created_at": NOW}
        connection.execute(t["outcomes"].insert().values(**outcome))


@pytest.fixture
def migrated(empty_database_url: URL) -> Iterator[sa.Engine]:
    """A database seeded as rev 0003 stored outcomes (:func:`seed_0003`), then upgraded to 0004."""
    migrate.upgrade(empty_database_url, "0003")
    engine = make_engine(empty_database_url)
    try:
        with engine.begin() as connection:
            seed_0003(connection)
        migrate.upgrade(empty_database_url, "0004")
        yield engine
    finally:
        engine.dispose()


def test_legacy_grades_become_grade_rows_or_note_lines(migrated: sa.Engine) -> None:
    with migrated.connect() as connection:
        grades = connection.execute(
            sa.text("SELECT outcome_id, scale, area, value FROM outcome_grades")
        ).all()
        outcomes = connection.execute(
            sa.text("SELECT id, papules, note FROM outcomes ORDER BY id")
        ).all()
    assert [tuple(row) for row in grades] == [(1, "iga", "face", 2)]
    assert [tuple(row) for row in outcomes] == [
        (1, 1, None),
        (2, 2, "shoulders calmer\nGrade recorded before per-area grading: gags 17"),
        (3, 3, None),
    ]


def test_a_downgrade_puts_one_grade_back_on_each_outcome(
    empty_database_url: URL, migrated: sa.Engine
) -> None:
    migrate.downgrade(empty_database_url, "0003")
    with migrated.connect() as connection:
        outcomes = connection.execute(
            sa.text("SELECT id, grade_scale, grade_value FROM outcomes ORDER BY id")
        ).all()
    assert [tuple(row) for row in outcomes] == [(1, "iga", 2), (2, None, None), (3, None, None)]
