"""``corneum serve`` configured by a ``.env`` file in its working directory to write JSON log
lines: each line one object with the request's id, and nothing a caller typed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from tests.api.conftest import free_port
from tests.api.test_serve import START_TIMEOUT_S, wait_until_up

TYPED = "mia.stone@example.org"


def served_log(tmp_path: Path, requests: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    """Serve the demo with a .env asking for JSON logs, send ``requests``; the log's lines and
    the request ids the server answered with."""
    (tmp_path / ".env").write_text("CORNEUM_LOG_FORMAT=json\nCORNEUM_LOG_LEVEL=INFO\n")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CORNEUM_")}
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    command = [sys.executable, "-m", "corneum", "serve", "--demo", "--port", str(port)]
    process = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base_url, process)
        answered = [httpx.get(base_url + r["path"], **r["options"]) for r in requests]
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=START_TIMEOUT_S)
    return errors.splitlines(), [a.headers["x-request-id"] for a in answered]


def test_json_log_lines_carry_the_request_id_and_nothing_typed(tmp_path: Path) -> None:
    requests: list[dict[str, Any]] = [
        {"path": f"/api/clients?email={TYPED}", "options": {}},
        {"path": "/api/health", "options": {"headers": {"X-Request-ID": "proxy-7"}}},
    ]
    lines, ids = served_log(tmp_path, requests)
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    assert all(set(r) >= {"time", "level", "logger", "message", "request_id"} for r in records), (
        records
    )
    access = {r["request_id"]: r["message"] for r in records if r["logger"] == "corneum.access"}
    assert ids[1] == "proxy-7"
    assert access[ids[0]].startswith("GET /api/clients 401")
    assert access["proxy-7"].startswith("GET /api/health 200")
    assert not [line for line in lines if "mia.stone" in line or "example.org" in line]
