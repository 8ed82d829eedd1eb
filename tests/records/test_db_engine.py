"""The engine: SQLite settings on every connection, PostgreSQL through psycopg 3."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from corneum.db.engine import SQLITE_BUSY_TIMEOUT_MS, database_url, make_engine
from corneum.records.clients.tables import Client


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'deep' / 'er' / 'corneum.sqlite3'}")
    yield engine
    engine.dispose()


def pragma(engine: Engine, name: str) -> object:
    with engine.connect() as connection:
        return connection.exec_driver_sql(f"PRAGMA {name}").scalar()


def test_the_sqlite_file_can_live_in_a_folder_not_made_yet(
    tmp_path: Path, sqlite_engine: Engine
) -> None:
    pragma(sqlite_engine, "user_version")
    assert (tmp_path / "deep" / "er" / "corneum.sqlite3").is_file()


def test_sqlite_runs_in_wal_mode(sqlite_engine: Engine) -> None:
    assert pragma(sqlite_engine, "journal_mode") == "wal"


def test_sqlite_enforces_foreign_keys_on_every_connection(sqlite_engine: Engine) -> None:
    assert pragma(sqlite_engine, "foreign_keys") == 1


def test_sqlite_waits_for_a_busy_writer(sqlite_engine: Engine) -> None:
    assert pragma(sqlite_engine, "busy_timeout") == SQLITE_BUSY_TIMEOUT_MS


def test_a_row_pointing_at_nothing_is_refused(db_session: Session) -> None:
    db_session.add(Client(clinic_id=999_999, given_name="No", family_name="Clinic"))
    with pytest.raises(IntegrityError):
        db_session.flush()


def test_a_failed_savepoint_leaves_the_transaction_usable(db_session: Session) -> None:
    with pytest.raises(IntegrityError), db_session.begin_nested():
        db_session.add(Client(clinic_id=999_999, given_name="No", family_name="Clinic"))
    assert db_session.execute(text("SELECT 1")).scalar() == 1


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_a_bare_postgresql_url_gets_psycopg_3(scheme: str) -> None:
    assert database_url(f"{scheme}://u@h/db").drivername == "postgresql+psycopg"


def test_an_explicit_driver_is_kept() -> None:
    assert database_url("sqlite:///x.sqlite3").drivername == "sqlite"
