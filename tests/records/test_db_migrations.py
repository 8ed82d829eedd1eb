"""The migrations build the whole schema, match the tables in the code, and undo cleanly."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import URL

from corneum.db import migrate
from corneum.db.engine import make_engine
from corneum.records.tables import metadata


def table_names(url: URL) -> set[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return set(inspect(connection).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_then_downgrade_to_base_leaves_nothing(empty_database_url: URL) -> None:
    migrate.upgrade(empty_database_url)
    assert table_names(empty_database_url) == {*metadata.tables, "alembic_version"}
    migrate.downgrade(empty_database_url, "base")
    assert table_names(empty_database_url) <= {"alembic_version"}
    migrate.upgrade(empty_database_url)
    assert set(metadata.tables) <= table_names(empty_database_url)


def test_the_migrated_schema_matches_the_tables_in_the_code(migrated_database_url: URL) -> None:
    engine = make_engine(migrated_database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, metadata) == []
    finally:
        engine.dispose()


def test_a_database_behind_the_code_is_refused_until_upgraded(empty_database_url: URL) -> None:
    engine = make_engine(empty_database_url)
    try:
        with pytest.raises(migrate.DatabaseNotCurrentError, match="corneum db upgrade"):
            migrate.check_current(engine)
        migrate.upgrade(empty_database_url)
        migrate.check_current(engine)
        assert migrate.current_revision(engine) == migrate.head_revision()
    finally:
        engine.dispose()


def test_the_migration_scripts_are_found_without_an_ini_file() -> None:
    newest = max(p.name[:4] for p in (migrate.MIGRATIONS / "versions").glob("[0-9]*.py"))
    # A branch may name its revision "0017_portal": the lead renumbers when merging.
    assert (migrate.head_revision() or "")[:4] == newest
    assert (migrate.MIGRATIONS / "env.py").is_file()
