"""Alembic, run from code: the migration scripts ship inside the package, no alembic.ini needed.

On PostgreSQL a migration runs under a transaction-level advisory lock
(``pg_advisory_xact_lock``, released by the commit, so it holds through pgbouncer in transaction
mode too): two ``corneum db upgrade`` at once take turns, and the second finds the schema
current and does nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import URL

from corneum.db.engine import make_engine

MIGRATIONS = Path(__file__).parent / "migrations"

Step = Callable[[Config], None]
MIGRATION_LOCK = 0x636F726E65756D  # "corneum": the advisory lock's key, the same in every process


@dataclass(frozen=True, slots=True)
class Upgraded:
    """The revision the database was at before an upgrade, and the one it is at after."""

    before: str | None
    after: str | None

    @property
    def changed(self) -> bool:
        return self.before != self.after


class DatabaseNotCurrentError(RuntimeError):
    """The database schema is behind the code: run ``corneum db upgrade``."""


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration for the shipped scripts, optionally bound to a connection."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(url: str | URL, revision: str = "head", *, pgbouncer: bool = False) -> Upgraded:
    """Migrate the database at ``url`` up to ``revision``, in one transaction (on PostgreSQL
    under the migration lock: a concurrent upgrade waits, then finds nothing to do)."""
    seen: list[str | None] = []

    def step(config: Config) -> None:
        connection: Connection = config.attributes["connection"]
        seen.append(MigrationContext.configure(connection).get_current_revision())
        command.upgrade(config, revision)
        seen.append(MigrationContext.configure(connection).get_current_revision())

    _run(url, step, pgbouncer=pgbouncer)
    return Upgraded(seen[0], seen[1])


def downgrade(url: str | URL, revision: str) -> None:
    """Migrate the database at ``url`` down to ``revision`` (``base`` drops everything)."""
    _run(url, lambda config: command.downgrade(config, revision))


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def check_current(engine: Engine) -> None:
    """Refuse to work on a database whose schema is not at the code's head revision."""
    current, head = current_revision(engine), head_revision()
    if current != head:
        raise DatabaseNotCurrentError(
            f"the database is at revision {current or 'none'}, the code needs {head}; "
            "run `corneum db upgrade`"
        )


def _run(url: str | URL, step: Step, *, pgbouncer: bool = False) -> None:
    engine = make_engine(url, pgbouncer=pgbouncer)
    try:
        with engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                _without_foreign_keys(connection, step)
            else:
                with connection.begin():
                    connection.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK}
                    )
                    step(alembic_config(connection))
    finally:
        engine.dispose()


def _without_foreign_keys(connection: Connection, step: Step) -> None:
    """SQLite's own procedure for changing a table others reference (sqlite.org/lang_altertable,
    "making other kinds of table schema changes"): batch mode copies the table, and dropping the
    original would trip the other tables' foreign keys, so they are off while the steps run (the
    pragma works only outside a transaction) and checked as a whole before the commit."""
    raw = connection.connection.driver_connection
    assert raw is not None
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        with connection.begin():
            step(alembic_config(connection))
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"the migration broke {len(broken)} foreign key(s)")
    finally:
        raw.execute("PRAGMA foreign_keys=ON")
