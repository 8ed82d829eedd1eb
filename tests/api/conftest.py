"""A live API: the real app served by uvicorn on a loopback port, over its own migrated database
on each backend, with a clinic of every role and a second clinic next door.

Tests talk to it over real HTTP with httpx. The server commits for real, so each test creates
the records it needs rather than relying on an empty database.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy.engine import URL

from corneum.app import create_app
from corneum.config import Settings
from corneum.db.engine import make_engine, session_factory
from corneum.db.migrate import upgrade
from corneum.records.accounts.schemas import ClinicCreate, UserCreate
from corneum.records.accounts.service import create_clinic, create_user
from tests.conftest import BACKENDS, new_database

PASSWORD = "a long clinic password"
UNLIMITED_ADDRESS: dict[str, Any] = {
    "sign_in_per_address_per_minute": 1_000_000,
    "sign_in_per_minute": 1_000_000,
    "sign_in_address_failures_before_delay": 1_000_000,
}
"""Every test signs in from 127.0.0.1 under a clock that stands still: the address's and the
server's limits would soon stop them all. tests/attack tests those limits on servers of their
own; the per-account limit stays as it is."""
ROLES = ("admin", "practitioner", "reception")


class FakeClock:
    """The one thing faked: time, which a test may move forward."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@dataclass
class LiveApi:
    base_url: str
    database_url: URL
    clock: FakeClock
    emails: dict[str, str] = field(default_factory=dict)
    """Email of each seeded user: ``admin``, ``practitioner``, ``reception``, ``other``
    (a practitioner of the other clinic) and ``other_admin`` (its admin)."""
    photo_dir: Path = Path()
    """Where the server keeps photos' image files (a temporary folder per backend)."""
    _tokens: dict[str, str] = field(default_factory=dict)

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, timeout=30)

    def headers(self, who: str) -> dict[str, str]:
        """Bearer headers for a seeded user, signing in once per test run."""
        if who not in self._tokens:
            with self.client() as http:
                response = http.post(
                    "/api/auth/token", json={"email": self.emails[who], "password": PASSWORD}
                )
                response.raise_for_status()
                self._tokens[who] = response.json()["access_token"]
        return {"Authorization": f"Bearer {self._tokens[who]}"}

    def forget_tokens(self) -> None:
        """Sign in anew on the next request: after the clock moved past the tokens' life."""
        self._tokens.clear()

    def as_(self, who: str) -> httpx.Client:
        """An HTTP client signed in as a seeded user."""
        http = self.client()
        http.headers.update(self.headers(who))
        return http


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """``app`` served by uvicorn in a thread on a free loopback port; its base URL."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)


def seed(url: URL, backend: str) -> dict[str, str]:
    engine = make_engine(url)
    emails: dict[str, str] = {}
    with session_factory(engine)() as session:
        home = create_clinic(session=session, data=ClinicCreate(name=f"Home {backend}"))
        away = create_clinic(session=session, data=ClinicCreate(name=f"Away {backend}"))
        staff = [(role, role, home.id) for role in ROLES] + [
            ("other", "practitioner", away.id),
            ("other_admin", "admin", away.id),
        ]
        for who, role, clinic_id in staff:
            email = f"{who}@{backend}.example.org"
            data = UserCreate.model_validate(
                {
                    "email": email,
                    "password": PASSWORD,
                    "role": role,
                    "qualifications": ["doctor", "cosmetologist"] if role == "practitioner" else [],
                }
            )
            create_user(session=session, clinic_id=clinic_id, data=data, actor=None)
            emails[who] = email
        session.commit()
    engine.dispose()
    return emails


@pytest.fixture(scope="session", params=BACKENDS)
def live_api(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveApi]:
    with new_database(request.param, tmp_path_factory) as url:
        upgrade(url)
        emails = seed(url, request.param)
        clock = FakeClock()
        photo_dir = tmp_path_factory.mktemp(f"photos-{request.param}")
        settings = Settings(
            database_url=url.render_as_string(hide_password=False),
            mode="development",
            photo_dir=photo_dir,
            **UNLIMITED_ADDRESS,
        )
        with serving(create_app(settings, clock=clock)) as base_url:
            yield LiveApi(base_url, url, clock, emails, photo_dir=photo_dir)


@pytest.fixture
def api(live_api: LiveApi) -> Iterator[LiveApi]:
    """The live API, with the clock put back to its start after the test."""
    start = live_api.clock.now
    yield live_api
    live_api.clock.now = start
