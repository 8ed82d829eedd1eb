"""A clinic's first day with the installed commands, each in a process of its own, on each
database: ``db upgrade``, ``db revision``, ``user add``, ``worker --once``, ``serve`` (sign in as
the new admin), ``backup``. Only the environment connects them, as on a clinic's server."""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import URL

from corneum.db import migrate
from tests.api.conftest import free_port
from tests.cli.processes import TIMEOUT_S, environment, run, start, wait_for
from tests.conftest import BACKENDS, new_database

PASSWORD = "a long enough passphrase"
EMAIL = "boss@clear-skin.example.org"


@pytest.fixture(params=BACKENDS)
def empty_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[URL]:
    with new_database(request.param, tmp_path_factory) as url:
        yield url


def test_a_clinic_sets_up_and_serves_with_the_installed_commands(
    empty_url: URL, tmp_path: Path
) -> None:
    env = environment(empty_url, photo_dir=str(tmp_path / "photos"))
    before = run(env, "db", "revision")
    upgraded = run(env, "db", "upgrade")
    after = run(env, "db", "revision")
    added = run(
        env,
        "user", "add", "--email", EMAIL, "--role", "admin",
        "--clinic", "Clear Skin", "--new-clinic", "--password-stdin",
        stdin=PASSWORD,
    )  # fmt: skip
    worker = run(env, "worker", "--once")

    assert before.returncode == 0, before.stderr
    assert before.stdout.startswith("database: none;")
    assert upgraded.returncode == 0, upgraded.stderr
    assert (
        after.stdout.strip()
        == f"database: {migrate.head_revision()}; needed: {migrate.head_revision()}"
    )
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("user 1 (admin) added to clinic 1 (Clear Skin)")
    assert EMAIL not in added.stdout + added.stderr
    assert worker.returncode == 0, worker.stderr

    port = free_port()
    server = start(env, "serve", "--port", str(port))
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _answers(base, server), "corneum serve to answer", timeout=TIMEOUT_S)
        signed_in = httpx.post(
            f"{base}/api/auth/token", json={"email": EMAIL, "password": PASSWORD}, timeout=30
        )
        me = httpx.get(
            f"{base}/api/users",
            headers={"Authorization": f"Bearer {signed_in.json()['access_token']}"},
            timeout=30,
        )
    finally:
        server.terminate()
        out, err = server.communicate(timeout=TIMEOUT_S)
    assert signed_in.status_code == 200, signed_in.text
    assert me.status_code == 200, me.text
    assert EMAIL not in out + err, "an email reached the server's log"

    backup = run(env, "backup", str(tmp_path / "backup.sqlite3"))
    if empty_url.get_backend_name() == "sqlite":
        assert backup.returncode == 0, backup.stderr
        mode = stat.S_IMODE(os.stat(tmp_path / "backup.sqlite3").st_mode)
        assert mode == 0o600
    else:
        assert backup.returncode == 2
        assert "pg_dump -Fc" in backup.stderr


def _answers(base: str, server: subprocess.Popen[str]) -> bool:
    assert server.poll() is None, "corneum serve exited"
    try:
        return httpx.get(f"{base}/api/health", timeout=1).status_code == 200
    except httpx.TransportError:
        return False
