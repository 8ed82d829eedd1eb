"""Migration 0013 moves a booking's cancel reason out of the audit log into its own column: the
first reason given is kept, a booking without one has none, and a downgrade drops the column."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL

from corneum.db import migrate
from corneum.db.engine import make_engine

NOW = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def booking(booking_id: int) -> dict[str, Any]:
    return {
        "id": booking_id,
        "clinic_id": 1,
        "client_id": 1,
        "procedure_id": "chemical_peel",
        "practitioner_id": 1,
        "room_id": 1,
        "starts_at": NOW + timedelta(hours=booking_id),
        "ends_at": NOW + timedelta(hours=booking_id, minutes=45),
        "status": "cancelled",
        "cautions": [],
        "version": 2,
        "created_at": NOW,
    }


def reason_given(row_id: int, booking_id: int, reason: str) -> dict[str, Any]:
    return {
        "id": row_id,
        "at": NOW,
        "clinic_id": 1,
        "client_id": 1,
        "action": "update",
        "resource_type": "booking",
        "resource_id": str(booking_id),
        "detail": {"change": "cancel_reason", "reason": reason},
    }


def seed_0012(connection: sa.Connection) -> None:
    meta = sa.MetaData()
    meta.reflect(connection)
    t = meta.tables
    user = {"clinic_id": 1, "email": "a@example.org", "password_hash": "x", "role": "admin"}
    client = {"clinic_id": 1, "given_name": "A", "family_name": "B", "risk_factors": []}
    rows: list[tuple[str, dict[str, Any]]] = [
        ("clinics", {"id": 1, "name": "C", "created_at": NOW}),
        ("users", {"id": 1, **user, "qualifications": [], "active": True, "created_at": NOW}),
        ("clients", {"id": 1, **client, "created_at": NOW, "updated_at": NOW}),
        ("rooms", {"id": 1, "clinic_id": 1, "name": "Room 1", "active": True}),
        ("bookings", booking(1)),
        ("bookings", booking(2)),
        ("audit_events", reason_given(1, 1, "client_unwell")),
        ("audit_events", reason_given(2, 1, "other")),
    ]
    for table, values in rows:
        columns = t[table].c
        known = {k: v for k, v in values.items() if k in columns}
        connection.execute(t[table].insert().values(**known))


@pytest.fixture
def migrated(empty_database_url: URL) -> Iterator[sa.Engine]:
    migrate.upgrade(empty_database_url, "0012")
    engine = make_engine(empty_database_url)
    try:
        with engine.begin() as connection:
            seed_0012(connection)
        migrate.upgrade(empty_database_url, "0013")
        yield engine
    finally:
        engine.dispose()


def test_the_first_reason_in_the_audit_log_moves_to_the_booking(migrated: sa.Engine) -> None:
    with migrated.connect() as connection:
        rows = connection.execute(sa.text("SELECT id, cancel_reason FROM bookings ORDER BY id"))
        assert [tuple(row) for row in rows] == [(1, "client_unwell"), (2, None)]


def test_a_downgrade_drops_the_column(empty_database_url: URL, migrated: sa.Engine) -> None:
    migrate.downgrade(empty_database_url, "0012")
    with migrated.connect() as connection:
        columns = {c["name"] for c in sa.inspect(connection).get_columns("bookings")}
        count = connection.execute(sa.text("SELECT count(*) FROM bookings")).scalar()
    assert "cancel_reason" not in columns
    assert count == 2
