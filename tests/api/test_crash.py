"""Kill the server in the middle of writes: every acknowledged write is there, complete, and
nothing is half-written.

The real ``python -m corneum serve`` runs as a subprocess on a loopback port, over its own
database on each backend. Worker threads create clients and add a history entry to each, noting
which requests were answered 2xx; the server is then sent SIGKILL while they still write, and
the database is opened directly. Bounded: a fixed number of workers and writes, and deadlines.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from corneum.db.engine import make_engine, session_factory
from corneum.db.migrate import upgrade
from corneum.records.audit.tables import AuditEvent
from corneum.records.clients.tables import Client, HistoryEntry
from tests.api.conftest import PASSWORD, free_port, seed
from tests.conftest import BACKENDS, new_database

WORKERS = 6
KILL_AFTER = 40
"""Acknowledged clients before the kill; the workers keep writing while it happens."""
WRITES_PER_WORKER = 200
"""A hard cap, should the server outlive the test's patience."""
DEADLINE_S = 60
MARK = "Crash"


@dataclass
class Ledger:
    """What the server acknowledged: client ids with their family names, history entry ids."""

    clients: dict[int, str] = field(default_factory=dict)
    history: dict[int, int] = field(default_factory=dict)
    """History entry id -> its client's id."""
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base_url: str
    log: Path

    def wait_ready(self) -> None:
        deadline = time.monotonic() + DEADLINE_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the server exited at start: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.base_url}/api/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        pytest.fail("the server did not answer in time")


@pytest.fixture(params=BACKENDS)
def database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[URL, str]]:
    with new_database(request.param, tmp_path_factory) as url:
        upgrade(url)
        yield url, request.param


@pytest.fixture
def server(database: tuple[URL, str], tmp_path: Path) -> Iterator[Server]:
    url, _ = database
    port = free_port()
    log = tmp_path / "server.log"
    env = {
        **os.environ,
        "CORNEUM_DATABASE_URL": url.render_as_string(hide_password=False),
        "CORNEUM_MODE": "development",
    }
    command = [sys.executable, "-m", "corneum", "serve", "--host", "127.0.0.1", "--port", str(port)]
    with log.open("wb") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        yield Server(process, f"http://127.0.0.1:{port}", log)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=DEADLINE_S)


def write_until_stopped(base_url: str, token: str, ledger: Ledger) -> None:
    """Create a client, then give it a history entry; note each 2xx answer; stop at the first
    transport error (the server is gone) or when told to."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=10) as http:
        for _ in range(WRITES_PER_WORKER):
            if ledger.stop.is_set():
                return
            family = f"{MARK}-{uuid.uuid4().hex[:12]}"
            try:
                created = http.post(
                    "/api/clients", json={"given_name": MARK, "family_name": family}
                )
                if not created.is_success:
                    continue
                client_id = created.json()["id"]
                with ledger.lock:
                    ledger.clients[client_id] = family
                added = http.post(
                    f"/api/clients/{client_id}/history", json={"condition_code": "eczema"}
                )
                if added.is_success:
                    with ledger.lock:
                        ledger.history[added.json()["id"]] = client_id
            except httpx.TransportError:
                return


def sign_in(base_url: str, email: str) -> str:
    response = httpx.post(
        f"{base_url}/api/auth/token", json={"email": email, "password": PASSWORD}, timeout=30
    )
    response.raise_for_status()
    token: str = response.json()["access_token"]
    return token


def kill_mid_writes(server: Server, token: str) -> Ledger:
    ledger = Ledger()
    workers = [
        threading.Thread(target=write_until_stopped, args=(server.base_url, token, ledger))
        for _ in range(WORKERS)
    ]
    for worker in workers:
        worker.start()
    deadline = time.monotonic() + DEADLINE_S
    while len(ledger.clients) < KILL_AFTER and time.monotonic() < deadline:
        time.sleep(0.01)
    server.process.send_signal(signal.SIGKILL)
    server.process.wait(timeout=DEADLINE_S)
    ledger.stop.set()
    for worker in workers:
        worker.join(timeout=DEADLINE_S)
    return ledger


def test_every_acknowledged_write_survives_a_kill_and_none_is_half_written(
    database: tuple[URL, str], server: Server
) -> None:
    url, backend = database
    emails = seed(url, backend)
    server.wait_ready()
    ledger = kill_mid_writes(server, sign_in(server.base_url, emails["practitioner"]))

    assert server.process.returncode == -signal.SIGKILL
    assert len(ledger.clients) >= KILL_AFTER, server.log.read_text()[-2000:]
    engine = make_engine(url)
    try:
        if backend == "sqlite":
            with engine.connect() as connection:
                assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        with session_factory(engine)() as session:
            marked = select(Client.id, Client.family_name).where(Client.given_name == MARK)
            clients = {row.id: row.family_name for row in session.execute(marked)}
            entries = select(HistoryEntry.id, HistoryEntry.client_id)
            history = {row.id: row.client_id for row in session.execute(entries)}
            created = audit_counts(session, "client")
            entered = audit_counts(session, "medical_history")
    finally:
        engine.dispose()

    # Every acknowledged write is there, as acknowledged.
    assert ledger.clients.items() <= clients.items()
    assert ledger.history.items() <= history.items()
    # Nothing is half-written: each stored record has its one audit row, each entry its client.
    assert created == dict.fromkeys(map(str, clients), 1)
    assert entered == dict.fromkeys(map(str, history), 1)
    assert set(history.values()) <= set(clients)


def audit_counts(session: Session, resource: str) -> dict[str, int]:
    """How many ``create`` audit rows each record of ``resource`` has, by record id."""
    statement = (
        select(AuditEvent.resource_id, func.count())
        .where(AuditEvent.resource_type == resource, AuditEvent.action == "create")
        .group_by(AuditEvent.resource_id)
    )
    return {str(resource_id): count for resource_id, count in session.execute(statement)}
