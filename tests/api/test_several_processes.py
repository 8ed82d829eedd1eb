"""Two server processes on one PostgreSQL database, as behind a load balancer: ``corneum serve
--workers 2`` (A) and a plain ``corneum serve`` (B). Nothing one process knows may be stale in
the other: a token signed out or a user deactivated through A is refused by B at once; the
sign-in limit of a client address counts attempts at both; and two bookings of one slot, one
through each, give one booking and one refusal."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import URL

from corneum.db.migrate import upgrade
from tests.api import builders
from tests.api.calendar_builders import booking_body, unique_start
from tests.api.conftest import PASSWORD, FakeClock, LiveApi, free_port, seed
from tests.attack.server import Served, wait_ready
from tests.conftest import new_database

PER_ADDRESS = 8


@dataclass
class Pair:
    a: LiveApi
    b: LiveApi


def start(url: URL, tmp_path: Path, *extra: str) -> Served:
    port = free_port()
    log = tmp_path / f"server-{port}.log"
    env = {
        **os.environ,
        "CORNEUM_DATABASE_URL": url.render_as_string(hide_password=False),
        "CORNEUM_MODE": "development",
        "CORNEUM_PHOTO_DIR": str(tmp_path / "photos"),
        "CORNEUM_SIGN_IN_PER_ADDRESS_PER_MINUTE": str(PER_ADDRESS),
    }
    command = [sys.executable, "-m", "corneum", "serve", "--port", str(port), *extra]
    with log.open("wb") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    served = Served(process, f"http://127.0.0.1:{port}", port, log, url)
    wait_ready(served)
    return served


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    if not os.environ.get("CORNEUM_TEST_POSTGRES_URL"):
        pytest.skip("CORNEUM_TEST_POSTGRES_URL is not set")
    tmp_path = tmp_path_factory.mktemp("pair")
    with new_database("postgresql", tmp_path_factory) as url, ExitStack() as stack:
        upgrade(url)
        emails = seed(url, "postgresql")
        servers = [start(url, tmp_path, "--workers", "2"), start(url, tmp_path)]
        for served in servers:
            stack.callback(stop, served)
        a, b = (LiveApi(s.base_url, url, FakeClock(), emails) for s in servers)
        yield Pair(a, b)


def stop(served: Served) -> None:
    served.process.terminate()
    served.process.wait(timeout=30)


def sign_in(
    api: LiveApi, email: str, password: str = PASSWORD, address: str = "127.0.0.1"
) -> httpx.Response:
    transport = httpx.HTTPTransport(local_address=address)
    with httpx.Client(base_url=api.base_url, transport=transport, timeout=30) as http:
        return http.post("/api/auth/token", json={"email": email, "password": password})


def me(api: LiveApi, token: str) -> int:
    with api.client() as http:
        return http.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code


def test_a_token_signed_out_through_one_process_is_refused_by_the_other_at_once(
    pair: Pair,
) -> None:
    token = sign_in(pair.a, pair.a.emails["practitioner"]).json()["access_token"]
    assert me(pair.b, token) == 200
    with pair.a.client() as http:
        out = http.post("/api/auth/logout", headers={"Authorization": f"Bearer {token}"})
    assert out.status_code == 204
    assert me(pair.b, token) == 401
    assert me(pair.a, token) == 401


def test_a_user_deactivated_through_one_process_is_refused_by_the_other_at_once(
    pair: Pair,
) -> None:
    user = builders.created(pair.a, "admin", "/api/users", builders.new_user_body())
    token = sign_in(pair.b, user["email"]).json()["access_token"]
    assert me(pair.b, token) == 200
    with pair.a.as_("admin") as admin:
        assert admin.patch(f"/api/users/{user['id']}", json={"active": False}).status_code == 200
    assert me(pair.b, token) == 401


def test_an_address_sign_in_limit_counts_attempts_at_both_processes(pair: Pair) -> None:
    address = "127.0.0.77"
    email = pair.a.emails["reception"]
    tries = [pair.a, pair.b] * (PER_ADDRESS // 2)  # the limit's burst, spread over both
    statuses = [sign_in(api, email, address=address).status_code for api in tries]
    assert statuses == [200] * PER_ADDRESS
    refused = sign_in(pair.b, email, address=address)  # B itself has seen only half of them
    assert refused.status_code == 429, refused.text
    assert int(refused.headers["Retry-After"]) >= 1
    assert sign_in(pair.b, email, address="127.0.0.78").status_code == 200


def test_one_slot_booked_through_both_processes_at_once_has_one_winner(pair: Pair) -> None:
    plans = [builders.new_plan(pair.a, builders.new_client(pair.a)) for _ in range(2)]
    start_at = unique_start(first=date(2029, 3, 5))
    bodies = [booking_body(pair.a, plan_id, start_at) for plan_id in plans]

    def book(api: LiveApi, body: dict[str, object]) -> int:
        with api.as_("reception") as http:
            return http.post("/api/bookings", json=body).status_code

    with ThreadPoolExecutor(max_workers=2) as pool:
        statuses = sorted(pool.map(book, [pair.a, pair.b], bodies))
    assert statuses == [201, 409]
