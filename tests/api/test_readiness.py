"""Liveness and readiness: ``/api/ready`` runs a query, so it answers 503 while the database is
unreachable, where ``/api/health`` still answers 200; every answer carries a request id."""

from __future__ import annotations

import httpx

from corneum.app import create_app
from corneum.config import Settings
from tests.api.conftest import LiveApi, free_port, serving


def test_ready_when_the_database_answers(api: LiveApi) -> None:
    with api.client() as http:
        ready = http.get("/api/ready")
    assert (ready.status_code, ready.json()) == (200, {"status": "ready"})


def test_not_ready_while_the_database_is_unreachable_but_still_alive() -> None:
    nobody_listens = free_port()
    url = f"postgresql+psycopg://postgres@127.0.0.1:{nobody_listens}/corneum"
    app = create_app(Settings(database_url=url, mode="development"))
    with serving(app) as base_url, httpx.Client(base_url=base_url, timeout=30) as http:
        ready = http.get("/api/ready")
        health = http.get("/api/health")
    assert (ready.status_code, ready.json()) == (503, {"status": "unavailable"})
    assert health.status_code == 200


def test_each_answer_carries_a_request_id_a_proxys_when_it_is_sane(api: LiveApi) -> None:
    with api.client() as http:
        first, second = http.get("/api/health"), http.get("/api/health")
        given = http.get("/api/health", headers={"X-Request-ID": "edge-42.a_b"})
        forged = http.get("/api/health", headers={"X-Request-ID": "x\tinjected line"})
    ids = [r.headers["x-request-id"] for r in (first, second, forged)]
    assert len(set(ids)) == 3
    assert all(len(i) == 32 and int(i, 16) >= 0 for i in ids)  # new random ids
    assert given.headers["x-request-id"] == "edge-42.a_b"
