"""Alembic's entry point: binds the migration context to a connection and to the tables' metadata.

Run from code (:mod:`corneum.db.migrate`), the connection comes in ``config.attributes``; run with
the ``alembic`` command from a checkout, the URL comes from ``CORNEUM_DATABASE_URL``.
"""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection

from corneum.config import get_settings
from corneum.db.engine import database_url, make_engine
from corneum.db.types import UTCDateTime
from corneum.records.tables import metadata


def render_item(kind: str, obj: Any, _context: AutogenContext) -> str | Literal[False]:
    """Write UTCDateTime columns as plain timestamps: a migration must not import app code."""
    if kind == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_on(connection: Connection) -> None:
    # SQLite cannot ALTER most things in place; batch mode copies the table instead.
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_offline() -> None:
    context.configure(
        url=database_url(get_settings().database_url),
        target_metadata=metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        run_on(connection)
        return
    engine = make_engine(get_settings().database_url)
    try:
        with engine.begin() as own_connection:
            run_on(own_connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
