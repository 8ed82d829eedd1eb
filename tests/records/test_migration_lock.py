"""``corneum db upgrade`` twice at once on one PostgreSQL database, as two deployments (or two
hosts' start scripts) might: the advisory lock lets one migrate while the other waits, and the
other then finds the schema current and does nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL

from corneum.db import migrate
from corneum.db.engine import make_engine
from tests.conftest import new_database

WAIT_S = 30
WAITING = text(
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
    "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
)


@pytest.fixture
def empty_postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[URL]:
    with new_database("postgresql", tmp_path_factory) as url:
        yield url


def upgrade_process(url: URL) -> subprocess.Popen[str]:
    env = {**os.environ, "CORNEUM_DATABASE_URL": url.render_as_string(hide_password=False)}
    return subprocess.Popen(
        [sys.executable, "-m", "corneum", "db", "upgrade"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def waiting_for_the_lock(url: URL) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(WAITING).scalar_one())
    finally:
        engine.dispose()


def test_two_upgrades_at_once_one_migrates_the_other_waits_and_finds_nothing_to_do(
    empty_postgres: URL,
) -> None:
    holder = make_engine(empty_postgres)
    try:
        with holder.connect() as connection, connection.begin():
            # Hold the lock, so both processes are surely waiting for it at the same time.
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": migrate.MIGRATION_LOCK}
            )
            processes = [upgrade_process(empty_postgres) for _ in range(2)]
            deadline = time.monotonic() + WAIT_S
            while waiting_for_the_lock(empty_postgres) < 2:
                assert time.monotonic() < deadline, "the upgrades never queued for the lock"
                assert all(p.poll() is None for p in processes), "an upgrade did not wait"
                time.sleep(0.1)
        outputs = [p.communicate(timeout=WAIT_S)[0] for p in processes]
    finally:
        holder.dispose()
    assert [p.returncode for p in processes] == [0, 0], outputs
    head = migrate.head_revision()
    migrated = [o for o in outputs if f"migrated from none to revision {head}" in o]
    idle = [o for o in outputs if f"is at revision {head}: nothing to do" in o]
    assert (len(migrated), len(idle)) == (1, 1), outputs
    engine = make_engine(empty_postgres)
    try:
        assert migrate.current_revision(engine) == head
    finally:
        engine.dispose()
