"""``corneum serve``: the real command in its own process on a loopback port.

``--demo`` needs nothing set up: it makes its own database in the user's data directory, seeds
the demo clinic and says how to sign in. Requests are logged without their query strings.
Outside demo and development mode a missing secret stops it before it starts.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from corneum.cli.main import app
from corneum.db import migrate
from corneum.db.engine import make_engine
from corneum.records.demo.data import DEMO_PASSWORD, STAFF
from tests.api.conftest import free_port

START_TIMEOUT_S = 60
SECRET_QUERY = "email=mia.stone@example.org"


@pytest.fixture
def demo_server(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``corneum serve --demo`` with only a fresh data directory: no database URL, no secret."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CORNEUM_")}
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    command = [sys.executable, "-m", "corneum", "serve", "--demo", "--port", str(port)]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base_url, process)
        yield base_url, process
    finally:
        process.terminate()
        process.wait(timeout=START_TIMEOUT_S)


def wait_until_up(base_url: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read() if process.stdout else ""
        try:
            httpx.get(f"{base_url}/api/health", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    pytest.fail("corneum serve --demo did not answer in time")


def test_serve_demo_seeds_its_own_database_says_how_to_sign_in_and_logs_no_query(
    demo_server: tuple[str, subprocess.Popen[str]], tmp_path: Path
) -> None:
    base_url, process = demo_server
    login_page = httpx.get(f"{base_url}/login", timeout=30)
    assert login_page.status_code == 200
    assert 'name="password"' in login_page.text
    doctor = next(s.email for s in STAFF if "doctor" in s.qualifications)
    signed_in = httpx.post(
        f"{base_url}/api/auth/token",
        json={"email": doctor, "password": DEMO_PASSWORD},
        timeout=30,
    )
    assert signed_in.status_code == 200, signed_in.text
    token = signed_in.json()["access_token"]
    clients = httpx.get(
        f"{base_url}/api/clients?{SECRET_QUERY}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert clients.status_code == 200
    assert clients.json()["total"] == 8
    process.terminate()
    output, _ = process.communicate(timeout=START_TIMEOUT_S)

    assert (tmp_path / "data" / "corneum" / "corneum-demo.sqlite3").is_file()
    assert f"{base_url}/docs" in output
    assert_sign_in_first_then_the_api(output, base_url)
    assert "GET /api/clients 200" in output
    assert "mia.stone" not in output, "a query string reached the log"
    assert '"GET /api/clients' not in output, "uvicorn's access log is on"


def assert_sign_in_first_then_the_api(output: str, base_url: str) -> None:
    """The log-in page's address, then every demo account, then the password, and only then the
    API's token route: a person reads the web app's way in first."""
    order = [
        f"Sign in at {base_url}/login",
        *(staff.email for staff in STAFF),
        f"Password for all of them: {DEMO_PASSWORD}",
        f"POST {base_url}/api/auth/token",
    ]
    places = [output.find(text) for text in order]
    assert all(place >= 0 for place in places), list(zip(order, places, strict=True))
    assert places == sorted(places), list(zip(order, places, strict=True))


def test_serve_refuses_production_without_a_secret_key(tmp_path: Path) -> None:
    env = {
        "CORNEUM_MODE": "production",
        "CORNEUM_SECRET_KEY": None,
        "CORNEUM_DATABASE_URL": f"sqlite:///{tmp_path / 'never.sqlite3'}",
    }
    result = CliRunner().invoke(app, ["serve"], env=env)
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.strip().splitlines()
    assert "CORNEUM_SECRET_KEY" in line
    assert not (tmp_path / "never.sqlite3").exists(), "it refused before touching the database"


def test_serve_in_production_refuses_an_outdated_schema_and_never_migrates(
    tmp_path: Path,
) -> None:
    database = tmp_path / "old.sqlite3"
    url = f"sqlite:///{database}"
    migrate.upgrade(url, "0012")
    env = {
        "CORNEUM_MODE": "production",
        "CORNEUM_SECRET_KEY": "k" * 40,
        "CORNEUM_DATABASE_URL": url,
    }
    result = CliRunner().invoke(app, ["serve"], env=env)
    assert result.exit_code == 1, result.output
    (line,) = result.stderr.strip().splitlines()
    assert "revision 0012" in line
    assert "run `corneum db upgrade`" in line
    engine = make_engine(url)
    try:
        assert migrate.current_revision(engine) == "0012", "serve migrated by itself"
    finally:
        engine.dispose()


def test_serve_refuses_several_processes_on_sqlite(tmp_path: Path) -> None:
    env = {"CORNEUM_MODE": "development", "CORNEUM_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    result = CliRunner().invoke(app, ["serve", "--workers", "2"], env=env)
    assert result.exit_code == 2, result.output
    assert "--workers" in result.stderr
    assert "PostgreSQL" in result.stderr
    assert not (tmp_path / "x.db").exists()
