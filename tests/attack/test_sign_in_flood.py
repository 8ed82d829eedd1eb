"""A flood of sign-ins with made-up e-mail addresses, while the staff work.

Forty sign-ins at once from forty loopback addresses (127.0.0.2 and up: each its own client to
the server), then forty at once from one address, against ``corneum serve`` with its default
limits. Meanwhile a member of staff creates and lists clients, and a monitor asks the health
check. The server must answer every sign-in with a refusal it means (401, 429 or 503, the last
two with Retry-After), never a 500; the staff's requests must all succeed; the health check must
stay fast; and the server's memory must stay bounded (each Argon2 check takes 64 MiB: before the
limits, forty of them at once took the server to 1.3 GB).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from statistics import quantiles

import httpx
import pytest

from tests.attack.server import Served, corneum_serve
from tests.conftest import BACKENDS, new_database

FLOOD = 40
DEADLINE_S = 90
HEALTH_MOST_S = 2.5
HEALTH_P90_S = 1.0
"""The health check's slowest answer, and nine in ten of them, while the flood runs (before the
limits: 5 s). Generous, for a shared two-core machine: the flood's own clients run on it too."""
SLOTS = 2
"""The hashing pool, one check per core of this two-core machine (the default), set here so the
memory bound below holds on a machine with more cores too."""
MEMORY_MOST_MIB = SLOTS * 64 + 220
"""Growth allowed over the idle server: the hashing pool's checks (64 MiB each) and the requests'
own memory, far below forty checks at once (2.5 GiB)."""


@pytest.fixture(params=BACKENDS)
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> Iterator[Served]:
    with (
        new_database(request.param, tmp_path_factory) as url,
        corneum_serve(
            url, request.param, tmp_path, {"CORNEUM_HASHING_SLOTS": str(SLOTS)}
        ) as server,
    ):
        yield server


@dataclass
class Watch:
    """What the monitors saw while the flood ran."""

    stop: threading.Event = field(default_factory=threading.Event)
    rss_mib: list[float] = field(default_factory=list)
    health_s: list[float] = field(default_factory=list)
    health_statuses: list[int] = field(default_factory=list)
    staff_statuses: list[int] = field(default_factory=list)


def watch_memory(served: Served, watch: Watch) -> None:
    while not watch.stop.is_set():
        watch.rss_mib.append(served.rss_mib())
        time.sleep(0.02)


def watch_health(served: Served, watch: Watch) -> None:
    with httpx.Client(base_url=served.base_url, timeout=10) as http:
        while not watch.stop.is_set():
            began = time.monotonic()
            watch.health_statuses.append(http.get("/api/health").status_code)
            watch.health_s.append(time.monotonic() - began)
            time.sleep(0.05)


def work_as_staff(served: Served, token: str, watch: Watch) -> None:
    """A receptionist's day, sped up: add a client, look the list up, again."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=served.base_url, headers=headers, timeout=30) as http:
        while not watch.stop.is_set():
            family = f"Flood-{uuid.uuid4().hex[:8]}"
            created = http.post("/api/clients", json={"given_name": "Ada", "family_name": family})
            watch.staff_statuses.append(created.status_code)
            watch.staff_statuses.append(http.get("/api/clients").status_code)


def made_up_sign_in(served: Served, address: str) -> httpx.Response:
    transport = httpx.HTTPTransport(local_address=address)
    with httpx.Client(base_url=served.base_url, transport=transport, timeout=60) as http:
        email = f"nobody-{uuid.uuid4().hex[:10]}@example.net"
        return http.post("/api/auth/token", json={"email": email, "password": "guessing-1234"})


def flood(served: Served, addresses: list[str]) -> list[httpx.Response]:
    with ThreadPoolExecutor(max_workers=len(addresses)) as pool:
        return list(pool.map(lambda address: made_up_sign_in(served, address), addresses))


def watched(
    served: Served, token: str, attack: Callable[[], list[httpx.Response]]
) -> tuple[list[httpx.Response], Watch]:
    watch = Watch()
    monitors = [
        threading.Thread(target=watch_memory, args=(served, watch)),
        threading.Thread(target=watch_health, args=(served, watch)),
        threading.Thread(target=work_as_staff, args=(served, token, watch)),
    ]
    for monitor in monitors:
        monitor.start()
    try:
        time.sleep(0.3)  # the staff and the monitors are at work before the flood comes
        responses = attack()
        time.sleep(0.3)
    finally:
        watch.stop.set()
        for monitor in monitors:
            monitor.join(timeout=DEADLINE_S)
    return responses, watch


def test_a_flood_of_made_up_sign_ins_is_refused_cheaply_while_the_staff_work(
    served: Served,
) -> None:
    began = time.monotonic()
    token = served.token("reception")
    idle = served.rss_mib()
    many = [f"127.0.0.{n}" for n in range(2, 2 + FLOOD)]
    spread, during_spread = watched(served, token, lambda: flood(served, many))
    one, during_one = watched(served, token, lambda: flood(served, ["127.0.0.1"] * FLOOD))

    for responses in (spread, one):
        statuses = [response.status_code for response in responses]
        assert set(statuses) <= {401, 429, 503}, statuses
        for response in responses:
            if response.status_code in {429, 503}:
                assert int(response.headers["Retry-After"]) >= 1
    # From one address, past its 20 a minute, the rest are 429 before any work.
    assert [r.status_code for r in one].count(429) >= FLOOD - 20
    for watch in (during_spread, during_one):
        assert watch.staff_statuses, "the staff got no answer at all"
        assert set(watch.staff_statuses) <= {200, 201}, watch.staff_statuses
        assert set(watch.health_statuses) == {200}
        assert max(watch.health_s) < HEALTH_MOST_S, max(watch.health_s)
        assert quantiles(watch.health_s, n=10)[-1] < HEALTH_P90_S, watch.health_s
        assert max(watch.rss_mib) - idle < MEMORY_MOST_MIB, (idle, max(watch.rss_mib))
    assert "Traceback" not in served.log_text()
    assert time.monotonic() - began < DEADLINE_S
    print(  # the figures for the record (pytest -s shows them)
        f"\nidle {idle:.0f} MiB; peak {max(during_spread.rss_mib):.0f} MiB (40 addresses), "
        f"{max(during_one.rss_mib):.0f} MiB (one address); health at most "
        f"{max(during_spread.health_s + during_one.health_s) * 1000:.0f} ms (nine in ten under "
        f"{quantiles(during_spread.health_s + during_one.health_s, n=10)[-1] * 1000:.0f} ms); "
        f"statuses "
        f"{sorted((s, [r.status_code for r in spread].count(s)) for s in {401, 429, 503})} and "
        f"{sorted((s, [r.status_code for r in one].count(s)) for s in {401, 429, 503})}; "
        f"staff requests {len(during_spread.staff_statuses) + len(during_one.staff_statuses)}"
    )
