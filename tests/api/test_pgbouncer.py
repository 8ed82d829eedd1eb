"""The API through pgbouncer in transaction pool mode (``CORNEUM_DATABASE_PGBOUNCER=true``):
each transaction may run on another server connection, so anything kept in a connection
between transactions (a prepared statement, a session-level lock, a ``SET``) would fail or leak.
Sign-in, clients, a consultation, a plan and bookings, several at once, all answer as they do
directly; the schema is migrated through it too."""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from corneum.app import create_app
from corneum.config import Settings
from corneum.db import migrate
from tests.api import builders
from tests.api.calendar_builders import booking_body
from tests.api.conftest import UNLIMITED_ADDRESS, FakeClock, LiveApi, seed, serving
from tests.conftest import new_database
from tests.pgbouncer import pgbouncer, pgbouncer_binary

ROUNDS = 8
"""More than psycopg's default prepare threshold (5): a prepared statement would be made."""


@pytest.fixture(scope="module")
def bounced_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApi]:
    pgbouncer_binary()
    if not os.environ.get("CORNEUM_TEST_POSTGRES_URL"):
        pytest.skip("CORNEUM_TEST_POSTGRES_URL is not set")
    with new_database("postgresql", tmp_path_factory) as direct, pgbouncer(direct) as url:
        done = migrate.upgrade(url, pgbouncer=True)
        assert done.after == migrate.head_revision()
        emails = seed(direct, "postgresql")
        clock = FakeClock()
        photo_dir: Path = tmp_path_factory.mktemp("photos-pgbouncer")
        settings = Settings(
            database_url=url.render_as_string(hide_password=False),
            database_pgbouncer=True,
            mode="development",
            photo_dir=photo_dir,
            **UNLIMITED_ADDRESS,
        )
        with serving(create_app(settings, clock=clock)) as base_url:
            yield LiveApi(base_url, url, clock, emails, photo_dir=photo_dir)


def test_sign_in_and_the_signed_in_requests_work_through_pgbouncer(bounced_api: LiveApi) -> None:
    for _ in range(ROUNDS):
        bounced_api.forget_tokens()
        with bounced_api.as_("practitioner") as http:
            assert http.get("/api/auth/me").json()["email"] == bounced_api.emails["practitioner"]


def test_clients_consultations_plans_and_bookings_work_through_pgbouncer_at_once(
    bounced_api: LiveApi,
) -> None:
    def pathway(n: int) -> int:
        client_id = builders.new_client(bounced_api, family_name=f"Bounced{n}")
        consultation = builders.new_consultation(bounced_api, client_id)
        assert consultation["client_id"] == client_id
        plan_id = builders.new_plan(bounced_api, client_id)
        booked = builders.created(
            bounced_api, "reception", "/api/bookings", booking_body(bounced_api, plan_id)
        )
        assert booked["plan_id"] == plan_id
        return client_id

    booking_body(bounced_api, 0)  # the calendar set up once, before the threads
    with ThreadPoolExecutor(max_workers=4) as pool:
        client_ids = list(pool.map(pathway, range(ROUNDS)))
    assert len(set(client_ids)) == ROUNDS
    listed = builders.fetched(bounced_api, "reception", "/api/clients", family_name="Bounced")
    assert listed["total"] >= ROUNDS
