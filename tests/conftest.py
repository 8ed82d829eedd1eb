"""Fixtures shared by the whole suite.

Databases, built by the real migrations: SQLite always; PostgreSQL too when
CORNEUM_TEST_POSTGRES_URL names a server (each test session makes its own throw-away database
there and drops it after). In CI (``CI`` set) that variable must be set: a PostgreSQL test then
fails rather than skips.

- ``migrated_database_url``: a migrated database, one per backend, shared by the test session.
- ``engine``: an engine on it.
- ``db_session``: a session inside a transaction that is rolled back after the test.
- ``empty_database_url``: a fresh database with no tables, one per test (for migration tests).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any
from uuid import uuid4

import pytest
from hypothesis import settings
from sqlalchemy import Engine
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from corneum.assessment import Assessment, Profile, assess, validate_profile
from corneum.db.engine import database_url, make_engine
from corneum.db.migrate import upgrade
from corneum.knowledge import KnowledgeBase, default_knowledge_base

ASSESSED_ON = date(2026, 11, 23)

# In CI every hypothesis test (the schema run included) draws the same examples each time, so a
# submission's result does not depend on luck; developers' runs keep exploring new ones.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return default_knowledge_base()


def profile_data(**overrides: Any) -> dict[str, Any]:
    """A healthy adult with oily back skin and blackheads; override any field."""
    data: dict[str, Any] = {
        "age": 29,
        "skin_type": "oily",
        "fitzpatrick": 3,
        "area": "back",
        "concerns": ["blackheads"],
        "conditions": [],
        "medications": [],
    }
    data.update(overrides)
    return data


@pytest.fixture
def make_profile(kb: KnowledgeBase) -> Callable[..., Profile]:
    def make(**overrides: Any) -> Profile:
        return validate_profile(profile_data(**overrides), kb)

    return make


@pytest.fixture
def assess_with(kb: KnowledgeBase) -> Callable[..., Assessment]:
    """Assess a profile built from the defaults plus ``overrides`` on a fixed date."""

    def run(**overrides: Any) -> Assessment:
        return assess(validate_profile(profile_data(**overrides), kb), kb, assessed_on=ASSESSED_ON)

    return run


BACKENDS = ("sqlite", "postgresql")
POSTGRES_VARIABLE = "CORNEUM_TEST_POSTGRES_URL"


@contextmanager
def throwaway_postgres_database(server_url: str) -> Iterator[URL]:
    """A new, uniquely named database on the server, dropped (connections and all) after use."""
    server = database_url(server_url)
    name = f"corneum_test_{uuid4().hex[:12]}"
    admin = make_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield server.set(database=name)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@contextmanager
def new_database(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[URL]:
    if backend == "sqlite":
        yield database_url(f"sqlite:///{tmp_path_factory.mktemp('db') / 'corneum.sqlite3'}")
        return
    server_url = os.environ.get(POSTGRES_VARIABLE)
    if not server_url:
        if os.environ.get("CI"):
            pytest.fail(f"{POSTGRES_VARIABLE} is not set in CI: the PostgreSQL tests cannot run")
        pytest.skip(f"{POSTGRES_VARIABLE} is not set")
    with throwaway_postgres_database(server_url) as url:
        yield url


@pytest.fixture(scope="session", params=BACKENDS)
def migrated_database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[URL]:
    with new_database(request.param, tmp_path_factory) as url:
        upgrade(url)
        yield url


@pytest.fixture(scope="session")
def engine(migrated_database_url: URL) -> Iterator[Engine]:
    engine = make_engine(migrated_database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def db_session(engine: Engine) -> Iterator[Session]:
    """Whatever the test writes, even through a commit, is undone when it ends: the session works
    in savepoints inside one outer transaction that is rolled back."""
    with engine.connect() as connection:
        transaction = connection.begin()
        session = Session(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        try:
            yield session
        finally:
            session.close()
            transaction.rollback()


@pytest.fixture(params=BACKENDS)
def empty_database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[URL]:
    with new_database(request.param, tmp_path_factory) as url:
        yield url
