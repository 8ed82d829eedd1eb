"""``corneum backup`` and ``corneum restore`` on real SQLite files, with a real writer thread."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.engine import URL
from typer.testing import CliRunner, Result

from corneum.cli.main import app
from corneum.db import backup, migrate
from corneum.db.engine import make_engine, session_factory
from corneum.records.accounts.tables import Clinic

WRITES_BEFORE_BACKUP = 40
WRITER_LIMIT = 5000
"""The writer stops by itself after this many rows, whatever happens to the test."""


def run(url: URL | str, *args: str) -> Result:
    shown = url.render_as_string(hide_password=False) if isinstance(url, URL) else url
    return CliRunner().invoke(app, list(args), env={"CORNEUM_DATABASE_URL": shown})


def one_line_error(result: Result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0]


@pytest.fixture
def sqlite_url(tmp_path: Path) -> URL:
    url = URL.create("sqlite", database=str(tmp_path / "live" / "clinic.sqlite3"))
    migrate.upgrade(url)
    return url


@pytest.fixture
def engine(sqlite_url: URL) -> Iterator[Engine]:
    engine = make_engine(sqlite_url)
    yield engine
    engine.dispose()


def add_clinic(engine: Engine, name: str) -> int:
    with session_factory(engine).begin() as session:
        clinic = Clinic(name=name)
        session.add(clinic)
        session.flush()
        return clinic.id


def clinic_names(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT name FROM clinics ORDER BY id").fetchall()
    return [name for (name,) in rows]


class Writer(threading.Thread):
    """Commits one clinic per transaction, as fast as it can, until told to stop."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(daemon=True)
        self.engine = engine
        self.committed: list[str] = []
        self.stop = threading.Event()

    def run(self) -> None:
        for number in range(WRITER_LIMIT):
            if self.stop.is_set():
                return
            name = f"Clinic {number:05d}"
            add_clinic(self.engine, name)
            self.committed.append(name)

    def wait_for(self, count: int) -> None:
        deadline = time.monotonic() + 30
        while len(self.committed) < count:
            assert time.monotonic() < deadline, "the writer made no progress"
            time.sleep(0.005)


def test_a_backup_taken_while_the_app_writes_holds_every_earlier_commit(
    engine: Engine, sqlite_url: URL, tmp_path: Path
) -> None:
    writer = Writer(engine)
    writer.start()
    try:
        writer.wait_for(WRITES_BEFORE_BACKUP)
        committed_before = list(writer.committed)
        result = backup.backup(sqlite_url, tmp_path / "backup.sqlite3")
        writer.wait_for(len(committed_before) + 10)  # and the app went on writing
    finally:
        writer.stop.set()
        writer.join(timeout=30)
    names = clinic_names(result.path)
    assert names[: len(committed_before)] == committed_before
    assert names == writer.committed[: len(names)], "the backup is one consistent snapshot"
    assert result.revision == migrate.head_revision()
    with sqlite3.connect(result.path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert not list(tmp_path.glob("*.partial")), "no temporary file is left behind"


def test_restore_brings_back_the_backup_and_keeps_the_database_it_replaced(
    engine: Engine, sqlite_url: URL, tmp_path: Path
) -> None:
    add_clinic(engine, "Before the backup")
    saved = tmp_path / "saved.sqlite3"
    assert run(sqlite_url, "backup", str(saved)).exit_code == 0
    add_clinic(engine, "After the backup")
    engine.dispose()

    result = run(sqlite_url, "restore", str(saved))

    assert result.exit_code == 0, result.output
    database = backup.sqlite_path(sqlite_url)
    assert clinic_names(database) == ["Before the backup"]
    (kept,) = database.parent.glob("clinic.sqlite3.before-restore-*")
    assert clinic_names(kept) == ["Before the backup", "After the backup"]
    assert str(kept) in result.stdout
    migrate.check_current(engine)
    with session_factory(engine)() as session:
        assert session.scalars(select(Clinic.name)).all() == ["Before the backup"]


def test_restore_onto_a_new_machine_needs_no_database_yet(
    engine: Engine, sqlite_url: URL, tmp_path: Path
) -> None:
    add_clinic(engine, "Moved")
    saved = backup.backup(sqlite_url, tmp_path).path
    assert saved.parent == tmp_path
    fresh = URL.create("sqlite", database=str(tmp_path / "new" / "corneum.sqlite3"))
    restored = backup.restore(fresh, saved)
    assert restored.kept is None
    assert not restored.needs_upgrade
    assert clinic_names(restored.database) == ["Moved"]


def test_restore_refuses_a_file_that_is_not_a_sqlite_database(
    sqlite_url: URL, tmp_path: Path
) -> None:
    noise = tmp_path / "noise.bin"
    noise.write_bytes(os.urandom(4096))
    one_line_error(run(sqlite_url, "restore", str(noise)), "not a SQLite database")
    assert clinic_names(backup.sqlite_path(sqlite_url)) == []


def test_restore_refuses_a_sqlite_database_that_is_not_corneums(
    sqlite_url: URL, tmp_path: Path
) -> None:
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")
    one_line_error(run(sqlite_url, "restore", str(other)), "not a Corneum database")


def test_restore_refuses_a_schema_revision_it_does_not_know(
    sqlite_url: URL, tmp_path: Path
) -> None:
    future = backup.backup(sqlite_url, tmp_path / "future.sqlite3").path
    with sqlite3.connect(future) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    one_line_error(run(sqlite_url, "restore", str(future)), "9999_from_the_future", "newer")


def test_backup_will_not_overwrite_a_file_unless_forced(sqlite_url: URL, tmp_path: Path) -> None:
    target = tmp_path / "nightly.sqlite3"
    target.write_text("yesterday")
    one_line_error(run(sqlite_url, "backup", str(target)), "--force")
    assert target.read_text() == "yesterday"
    assert run(sqlite_url, "backup", str(target), "--force").exit_code == 0
    assert backup.check_restorable(target) == migrate.head_revision()


@pytest.mark.parametrize("command", ["backup", "restore"])
def test_postgresql_is_pointed_to_pg_dump_and_pg_restore(command: str, tmp_path: Path) -> None:
    url = "postgresql://corneum@127.0.0.1:1/never_contacted"
    one_line_error(run(url, command, str(tmp_path / "x")), "pg_dump -Fc", "pg_restore")
