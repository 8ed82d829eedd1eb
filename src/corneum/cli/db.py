"""``corneum db``: create the database or bring its schema up to date; and the unit of work the
other commands that touch the database run in.

SQLAlchemy, Alembic and the settings are imported inside the functions: at the top they would add
a third of a second to every ``corneum`` command, ``assess`` included.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer
from pydantic import ValidationError

from corneum.cli.errors import FAILURE, describe, fail

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

    from corneum.config import Settings

SETTING_NAMES = {
    "database_url": "CORNEUM_DATABASE_URL",
    "mode": "CORNEUM_MODE",
    "secret_key": "CORNEUM_SECRET_KEY",
    "smtp_username": "CORNEUM_SMTP_USERNAME",
}

db_app = typer.Typer(
    help="The database: create it, bring its schema up to date.", no_args_is_help=True
)


def load_settings() -> Settings:
    """The settings, with a usable database URL; bad ones exit naming the variable."""
    from sqlalchemy.exc import ArgumentError

    from corneum.config import get_settings
    from corneum.db.engine import database_url

    try:
        settings = get_settings()
        database_url(settings.database_url)
    except ValidationError as exc:
        fail(describe(exc, SETTING_NAMES))
    except ArgumentError:
        fail(
            "CORNEUM_DATABASE_URL: not a database URL, e.g. sqlite:///PATH or postgresql://HOST/DB"
        )
    return settings


@contextmanager
def database_errors() -> Iterator[None]:
    """Report a database that cannot be reached or opened on one line, by the error's kind only
    (a driver's message may quote data)."""
    from sqlalchemy.exc import OperationalError

    try:
        yield
    except OperationalError as exc:
        fail(f"the database cannot be used: {type(exc.orig).__name__}", FAILURE)


def open_engine(settings: Settings) -> Engine:
    """An engine on the settings' database, with every table of every area registered first
    (:mod:`corneum.records.tables`): a command that works on one area's tables still needs the
    tables they point at to be known, or its first write fails. Every command opens its engine
    here, so none depends on what else it happened to import."""
    import corneum.records.tables  # noqa: F401  (registers every table)
    from corneum.db.engine import make_engine

    return make_engine(settings.database_url, pgbouncer=settings.database_pgbouncer)


def check_current(engine: Engine) -> None:
    """Exit (code 1) naming the revisions when the schema is not the code's."""
    from corneum.db import migrate

    try:
        migrate.check_current(engine)
    except migrate.DatabaseNotCurrentError as exc:
        fail(str(exc), FAILURE)


def refuse_damaged(settings: Settings) -> None:
    """Exit (code 1) naming the problem when the SQLite file fails its quick check."""
    from corneum.db import backup

    problems = backup.damage(settings.database_url)
    if problems:
        fail(damaged_message(settings, problems), FAILURE)


def damaged_message(settings: Settings, problems: list[str]) -> str:
    from corneum.db.backup import sqlite_path

    found = "; ".join(line.replace("\n", " ") for line in problems[:3])
    return (
        f"the database {sqlite_path(settings.database_url)} is damaged (integrity check: "
        f"{found}); restore the last backup with `corneum restore PATH`"
    )


@contextmanager
def unit_of_work(settings: Settings) -> Iterator[Session]:
    """A session on an up-to-date database that commits when the block ends, or rolls back."""
    from corneum.db.engine import session_factory

    engine = open_engine(settings)
    try:
        with database_errors():
            check_current(engine)
            with session_factory(engine).begin() as session:
                yield session
    finally:
        engine.dispose()


@db_app.command("upgrade")
def upgrade_command() -> None:
    """Create the database named by CORNEUM_DATABASE_URL, or migrate it to the latest schema."""
    from corneum.db import migrate
    from corneum.db.engine import database_url

    settings = load_settings()
    with database_errors():
        done = migrate.upgrade(settings.database_url, pgbouncer=settings.database_pgbouncer)
    shown = database_url(settings.database_url).render_as_string(hide_password=True)
    if done.changed:
        typer.echo(
            f"database {shown} migrated from {done.before or 'none'} to revision {done.after}"
        )
    else:
        typer.echo(f"database {shown} is at revision {done.after}: nothing to do")


@db_app.command("revision")
def revision_command() -> None:
    """Show the database's schema revision and the one this version of Corneum needs."""
    from corneum.db import migrate

    settings = load_settings()
    engine = open_engine(settings)
    try:
        with database_errors():
            current = migrate.current_revision(engine)
    finally:
        engine.dispose()
    typer.echo(f"database: {current or 'none'}; needed: {migrate.head_revision()}")


@db_app.command("check")
def check_command() -> None:
    """Check the database: a SQLite file's pages (quick_check), that it answers, and that its
    schema is the one this version needs. Exit code 1 when something is wrong."""
    from corneum.db import migrate

    settings = load_settings()
    refuse_damaged(settings)
    engine = open_engine(settings)
    try:
        with database_errors():
            check_current(engine)
    finally:
        engine.dispose()
    typer.echo(f"database ok (schema revision {migrate.head_revision()})")
