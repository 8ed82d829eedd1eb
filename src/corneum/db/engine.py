"""Engines and sessions for SQLite (the embedded default) and PostgreSQL (psycopg 3)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 5000
"""How long a SQLite writer waits for another to finish before failing with 'database is locked'."""
SQLITE_IMMEDIATE = "corneum_sqlite_immediate"
"""Execution option: on SQLite, open the transaction with ``BEGIN IMMEDIATE`` (the write lock
taken at once, waiting up to the busy timeout) so check-then-write sequences are serialised."""


def database_url(url: str | URL) -> URL:
    """Parse a URL; a bare ``postgresql://`` URL is given the psycopg 3 driver."""
    parsed = make_url(url)
    if parsed.drivername in {"postgresql", "postgres"}:
        return parsed.set(drivername="postgresql+psycopg")
    return parsed


def make_engine(url: str | URL, *, pgbouncer: bool = False, **options: Any) -> Engine:
    """An engine for ``url``; for SQLite with WAL, foreign keys and a busy timeout on.

    ``pgbouncer``: the URL names a pgbouncer in transaction pool mode, where each transaction may
    run on another server connection, so psycopg must prepare no statements on the server
    (``prepare_threshold=None``). Nothing else Corneum does keeps state in a connection beyond
    its transaction: the migration's advisory lock is transaction-level, and it sets nothing.

    Bound parameters are hidden from error messages and logs (``hide_parameters``): they are
    the searched names, emails and notes a failed statement carried. A new SQLite file is made
    readable by its owner only, in a folder only its owner can enter (SQLite gives its -wal and
    -shm files the database file's permissions).
    """
    parsed = database_url(url)
    options.setdefault("hide_parameters", True)
    if parsed.get_backend_name() != "sqlite":
        if pgbouncer:
            options["connect_args"] = {**options.get("connect_args", {}), "prepare_threshold": None}
        return create_engine(parsed, pool_pre_ping=True, **options)
    _create_sqlite_file(parsed)
    engine = create_engine(parsed, **options)
    event.listen(engine, "connect", _configure_sqlite)
    event.listen(engine, "begin", _begin_sqlite)
    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions bound to ``engine``. Objects stay readable after the commit at the request's end."""
    return sessionmaker(bind=engine, expire_on_commit=False)


def request_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions for the app's requests. On SQLite each opens its transaction with ``BEGIN
    IMMEDIATE``: nearly every request writes (an audit row for every read of client data), and
    a plain ``BEGIN`` that reads first and writes later fails at once with 'database is locked'
    when another request has committed meanwhile, where the busy timeout cannot help. Taking the
    write lock at the start makes concurrent requests wait their turn instead."""
    if engine.dialect.name != "sqlite":
        return session_factory(engine)
    return sessionmaker(
        bind=engine.execution_options(**{SQLITE_IMMEDIATE: True}), expire_on_commit=False
    )


def take_write_lock(session: Session) -> None:
    """Take SQLite's write lock before a check that a write depends on reads anything, so the
    check and the write are one step no other writer can get between: a fresh session begins
    its transaction with ``BEGIN IMMEDIATE``; one already reading takes the lock with an empty
    write. PostgreSQL needs neither (its constraints and row locks refuse what a concurrent
    writer made stale). With :func:`request_session_factory` this is the one place that
    decides SQLite's write lock."""
    if session.get_bind().dialect.name != "sqlite":
        return
    if not session.in_transaction():
        session.connection(execution_options={SQLITE_IMMEDIATE: True})
    else:
        session.execute(text("DELETE FROM booking_holds WHERE 0"))


PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600


def _create_sqlite_file(url: URL) -> None:
    if url.database and url.database != ":memory:" and not url.database.startswith("file:"):
        create_private_file(Path(url.database))


def create_private_file(path: Path) -> None:
    """Make ``path`` (if it is not there) readable and writable by its owner only, and any
    missing folder above it for its owner only."""
    _private_folders(path.parent)
    # An empty file is an empty SQLite database; made here, it has the mode we choose.
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))


def _private_folders(folder: Path) -> None:
    """Make ``folder`` and any missing parents, each new one for its owner only."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for new in reversed(missing):
        try:
            new.mkdir(mode=PRIVATE_FOLDER)
        except FileExistsError:
            continue
        new.chmod(PRIVATE_FOLDER)  # mkdir's mode is filtered by the umask; this is not


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # The sqlite3 module opens transactions itself, late and without SAVEPOINT support; turn that
    # off and let SQLAlchemy emit BEGIN (see _begin_sqlite). PRAGMAs must run outside a transaction.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


def _begin_sqlite(connection: Any) -> None:
    immediate = connection.get_execution_options().get(SQLITE_IMMEDIATE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
