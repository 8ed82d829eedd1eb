"""Files and logs keep secrets: the database and its folder are the server user's alone, and no
searched name, email or other bound value reaches an error text or a log line, whatever fails."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import Request
from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from corneum.app import create_app
from corneum.config import Settings
from corneum.db.engine import make_engine
from corneum.db.migrate import upgrade
from tests.api.conftest import PASSWORD, free_port, seed, serving
from tests.cli.processes import TIMEOUT_S, environment, wait_for
from tests.conftest import BACKENDS, new_database

SECRET = "mia.stone@example.org"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_default_database_its_folder_and_its_log_files_are_private(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CORNEUM_")}
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    done = subprocess.run(
        [sys.executable, "-m", "corneum", "db", "upgrade"],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
        preexec_fn=lambda: os.umask(0o002),  # a lax umask: the modes must not depend on it
    )
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "data" / "corneum"
    database = folder / "corneum.sqlite3"
    assert mode(folder) == 0o700
    assert mode(database) == 0o600
    engine = make_engine(f"sqlite:///{database}")
    try:
        with engine.begin() as connection:  # a write makes the -wal and -shm files
            connection.execute(text("CREATE TABLE scratch (x INTEGER)"))
            wal, shm = (database.with_name(database.name + suffix) for suffix in ("-wal", "-shm"))
            assert (mode(wal), mode(shm)) == (0o600, 0o600)
    finally:
        engine.dispose()


@pytest.fixture(params=BACKENDS)
def database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[URL]:
    with new_database(request.param, tmp_path_factory) as url:
        upgrade(url)
        yield url


def test_a_failed_statement_never_shows_its_bound_values(database: URL) -> None:
    engine = make_engine(database)
    try:
        with pytest.raises(DBAPIError) as caught, engine.connect() as connection:
            connection.execute(
                text("SELECT * FROM no_such_table WHERE x = :email"), {"email": SECRET}
            )
    finally:
        engine.dispose()
    assert "no_such_table" in str(caught.value)
    assert SECRET not in str(caught.value)


def test_an_unexpected_error_is_logged_by_its_kind_never_its_message(
    database: URL, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A statement whose driver error quotes the value (PostgreSQL: ``invalid input syntax for
    type integer: "mia.stone@..."``), or an exception that carries it, answers 500 and logs its
    class, SQLSTATE and frames only."""
    settings = Settings(
        database_url=database.render_as_string(hide_password=False),
        mode="development",
        photo_dir=tmp_path / "photos",
    )
    app = create_app(settings)

    @app.get("/api/fails")
    def fails(request: Request) -> None:
        with request.app.state.sessions() as session:
            if session.bind.dialect.name == "postgresql":
                session.execute(text("SELECT CAST(:value AS integer)"), {"value": SECRET})
            raise ValueError(f"cannot use {SECRET}")

    caplog.set_level(logging.INFO)
    with serving(app) as base_url:
        response = httpx.get(f"{base_url}/api/fails", timeout=30)
    assert response.status_code == 500
    assert SECRET not in response.text
    assert SECRET not in caplog.text
    kind = (
        "DataError (SQLSTATE 22P02)"
        if database.get_backend_name() == "postgresql"
        else "ValueError"
    )
    assert f"unhandled {kind} in GET /api/fails" in caplog.text


def test_the_server_logs_nothing_personal_on_its_error_paths(database: URL, tmp_path: Path) -> None:
    emails = seed(database, database.get_backend_name())
    port = free_port()
    env = environment(database, photo_dir=str(tmp_path / "photos"))
    server = subprocess.Popen(
        [sys.executable, "-m", "corneum", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        assert server.poll() is None, "the server exited"
        try:
            return httpx.get(f"{base}/api/health", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    try:
        wait_for(up, "the server", timeout=TIMEOUT_S)
        with httpx.Client(base_url=base, timeout=30) as http:
            token = http.post(
                "/api/auth/token", json={"email": emails["practitioner"], "password": PASSWORD}
            ).json()["access_token"]
            answers = [
                http.post("/api/auth/token", json={"email": SECRET, "password": "wrong " * 3}),
                http.get(f"/api/clients/{SECRET}"),
                http.get(f"/no/such/{SECRET}"),
                http.get("/clients", params={"q": SECRET}),
                http.get("/api/slots", params={"procedure_id": f"{SECRET}\x00"}),
                http.post(
                    "/api/clients",
                    headers={"Authorization": f"Bearer {token}"},
                    json={"given_name": SECRET, "family_name": "Stone", "email": f"{SECRET},x"},
                ),
            ]
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=TIMEOUT_S)
    assert [a.status_code for a in answers] == [401, 401, 404, 303, 422, 422]
    assert "POST /api/auth/token 401" in output
    assert SECRET not in output
    assert emails["practitioner"] not in output
