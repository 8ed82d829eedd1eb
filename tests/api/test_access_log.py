"""The request log: one line per request with the route, status and time, and nothing a caller
typed: no query string, no free text from a path, no path that matched no route."""

from __future__ import annotations

import logging
import time

import pytest

from corneum.http.access_log import ACCESS_LOGGER
from tests.api.conftest import LiveApi

TYPED = "Mia Stone"


def logged(caplog: pytest.LogCaptureFixture, last: str) -> list[str]:
    """The access lines, once one starts with ``last``: the server logs just after it answers,
    so the client may hear back before the line is written."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        lines = [r.getMessage() for r in caplog.records if r.name == ACCESS_LOGGER]
        if any(line.startswith(last) for line in lines):
            return lines
        time.sleep(0.01)
    return lines


def test_each_request_is_logged_by_route_with_ids_but_no_typed_text(
    api: LiveApi, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=ACCESS_LOGGER)
    with api.as_("practitioner") as http:
        created = http.post("/api/clients", json={"given_name": "Mia", "family_name": "Stone"})
        client_id = created.json()["id"]
        http.get(f"/api/clients/{client_id}", params={"q": TYPED})
        http.get(f"/api/procedures/{TYPED}")
        http.get(f"/nowhere/{TYPED}")
    access = logged(caplog, "GET (no route) 404")
    assert {line.rsplit(" ", 1)[0] for line in access} >= {  # the time varies
        "POST /api/clients 201",
        f"GET /api/clients/{client_id} 200",
        "GET /api/procedures/{procedure_id} 404",
        "GET (no route) 404",
    }
    assert all(line.endswith("ms") for line in access)
    assert not [line for line in access if "Mia" in line or "Stone" in line or "q=" in line]
