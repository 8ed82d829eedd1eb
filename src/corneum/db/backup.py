"""Back up and restore the embedded SQLite database, online and consistently.

Both go through SQLite's online backup API rather than copying files: a file copy taken while
the app writes can tear a page, and a database file copied without its write-ahead log misses
the latest commits. The API copies one consistent snapshot (WAL lets the app keep writing
meanwhile). A backup is written to a temporary file, checked with ``PRAGMA integrity_check``
and only then renamed into place, so a half-written backup never carries the final name.

PostgreSQL has its own tools for this (``pg_dump -Fc`` and ``pg_restore``).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL

from corneum.db.engine import SQLITE_BUSY_TIMEOUT_MS, create_private_file, database_url
from corneum.db.migrate import alembic_config, head_revision

SQLITE_HEADER = b"SQLite format 3\x00"
POSTGRES_HINT = (
    "for PostgreSQL use its own tools: `pg_dump -Fc` to back up and `pg_restore` to restore"
)


class BackupError(ValueError):
    """A backup or restore that cannot be done as asked; the message is one line."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    revision: str | None
    size: int


@dataclass(frozen=True)
class RestoreResult:
    database: Path
    revision: str
    kept: Path | None
    """Where the database as it was before the restore now is (none if there was none)."""

    @property
    def needs_upgrade(self) -> bool:
        return self.revision != head_revision()


def sqlite_path(url: str | URL) -> Path:
    """The file of a SQLite URL; any other database is refused with a pointer to its tools."""
    parsed = database_url(url)
    if parsed.get_backend_name() != "sqlite":
        raise BackupError(f"backup and restore work on SQLite here; {POSTGRES_HINT}")
    if not parsed.database or parsed.database == ":memory:" or parsed.database.startswith("file:"):
        raise BackupError("CORNEUM_DATABASE_URL: name a SQLite file, e.g. sqlite:///PATH")
    return Path(parsed.database)


def backup(url: str | URL, destination: Path, *, overwrite: bool = False) -> BackupResult:
    """Copy the database at ``url`` to ``destination`` (a file, or a folder to put it in)."""
    source = sqlite_path(url)
    if not source.is_file():
        raise BackupError(f"there is no database at {source} to back up")
    target = destination / backup_name() if destination.is_dir() else destination
    if target.exists() and not overwrite:
        raise BackupError(f"PATH: {target} exists; give --force to replace it")
    if not target.parent.is_dir():
        raise BackupError(f"PATH: the folder {target.parent} does not exist")
    copy_database(source, target, verify=True)
    return BackupResult(target, revision_of(target), target.stat().st_size)


def backup_name(now: datetime | None = None) -> str:
    moment = now or datetime.now().astimezone()
    return f"corneum-{moment:%Y%m%d-%H%M%S}.sqlite3"


def copy_database(source: Path, target: Path, *, verify: bool) -> None:
    """Snapshot ``source`` into a new file that then atomically takes the name ``target``."""
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(handle)
    partial = Path(name)
    try:
        with _connect(source) as src, _connect(partial) as dst:
            src.backup(dst)
            # A self-contained file: no write-ahead log beside it to lose in a copy.
            dst.execute("PRAGMA journal_mode=DELETE")
            if verify:
                _check_integrity(dst, partial)
        _fsync(partial)
        partial.replace(target)
        _fsync(target.parent)
    finally:
        partial.unlink(missing_ok=True)


def restore(url: str | URL, source: Path) -> RestoreResult:
    """Replace the database at ``url`` with the Corneum database ``source``.

    The current database, if any, is first kept beside it. The copy goes through the backup
    API into the database file itself, under SQLite's write lock, so its write-ahead log and
    anyone reading it stay consistent; still, stop the server first."""
    target = sqlite_path(url)
    if target.exists() and source.exists() and target.samefile(source):
        raise BackupError(f"PATH: {source} is the database itself")
    revision = check_restorable(source)
    kept = None
    if target.is_file():
        kept = target.with_name(f"{target.name}.before-restore-{datetime.now():%Y%m%d-%H%M%S}")
        try:
            copy_database(target, kept, verify=False)
        except sqlite3.DatabaseError as exc:
            raise BackupError(
                f"the current database cannot be read to keep a copy ({exc}); move {target} "
                "and its -wal file away by hand, then restore again"
            ) from exc
    create_private_file(target)
    with _connect(source) as src, _connect(target) as dst:
        src.backup(dst)
        _check_integrity(dst, target)
    return RestoreResult(target, revision, kept)


def check_restorable(path: Path) -> str:
    """The migration revision of ``path`` if it is an intact Corneum database at a revision this
    version knows; otherwise :class:`BackupError` saying what it is not."""
    if not path.is_file():
        raise BackupError(f"PATH: no such file: {path}")
    with path.open("rb") as file:
        if file.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise BackupError(f"PATH: {path} is not a SQLite database")
    try:
        with _connect(path, read_only=True) as connection:
            _check_integrity(connection, path)
            revision = _stored_revision(connection)
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"PATH: {path} cannot be read as a database ({exc})") from exc
    if revision is None:
        raise BackupError(f"PATH: {path} is not a Corneum database (it has no schema revision)")
    if revision not in known_revisions():
        raise BackupError(
            f"PATH: {path} is at schema revision {revision}, which this version of Corneum does "
            f"not know (its latest is {head_revision()}); restore it with a newer Corneum"
        )
    return revision


def known_revisions() -> frozenset[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return frozenset(revision.revision for revision in script.walk_revisions())


def revision_of(path: Path) -> str | None:
    with _connect(path, read_only=True) as connection:
        return _stored_revision(connection)


def _stored_revision(connection: sqlite3.Connection) -> str | None:
    table = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    if connection.execute(table).fetchone() is None:
        return None
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return None if row is None else str(row[0])


def _check_integrity(connection: sqlite3.Connection, path: Path) -> None:
    result = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    if result != ["ok"]:
        raise BackupError(f"{path} fails its integrity check: {'; '.join(result[:3])}")


@contextlib.contextmanager
def _connect(path: Path, *, read_only: bool = False) -> Iterator[sqlite3.Connection]:
    """A plain sqlite3 connection (autocommit, closed on exit; ``with`` alone would not close)."""
    target = f"{path.resolve().as_uri()}?mode=ro" if read_only else str(path)
    connection = sqlite3.connect(target, uri=read_only, isolation_level=None)
    try:
        connection.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        yield connection
    finally:
        connection.close()


def _fsync(path: Path) -> None:
    """Make a file, or a folder's entry for a renamed file, durable before reporting success."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def damage(url: str | URL) -> list[str]:
    """What SQLite's ``quick_check`` finds wrong with the database file at ``url`` (at most a
    few lines; empty when it is sound, missing, or not SQLite). Run before serving: a file with
    corrupt pages would otherwise start, answer its health check and fail request after request.
    The lines name pages and indexes, never the data in them."""
    parsed = database_url(url)
    if parsed.get_backend_name() != "sqlite":
        return []
    path = sqlite_path(parsed)
    if not path.is_file() or path.stat().st_size == 0:
        return []
    try:
        with _connect(path, read_only=True) as connection:
            rows = [str(row[0]) for row in connection.execute("PRAGMA quick_check(5)")]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [] if rows == ["ok"] else rows
