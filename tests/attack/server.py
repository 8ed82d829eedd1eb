"""A ``corneum serve`` process to attack: its own migrated database with a seeded clinic, a free
loopback port, settings by environment variables, its memory read from ``/proc``."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import URL

from corneum.db.migrate import upgrade
from tests.api.conftest import PASSWORD, free_port, seed

START_DEADLINE_S = 60


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    base_url: str
    port: int
    log: Path
    database_url: URL
    emails: dict[str, str] = field(default_factory=dict)

    def rss_mib(self) -> float:
        """The server process's resident memory now, in MiB."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        line = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
        return int(line.split()[1]) / 1024

    def token(self, who: str) -> str:
        response = httpx.post(
            f"{self.base_url}/api/auth/token",
            json={"email": self.emails[who], "password": PASSWORD},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        token: str = response.json()["access_token"]
        return token

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


@contextmanager
def corneum_serve(
    url: URL, backend: str, tmp_path: Path, settings: Mapping[str, str] | None = None
) -> Iterator[Served]:
    """``python -m corneum serve`` on a free loopback port over ``url`` (seeded with the clinic
    of tests.api.conftest.seed), with ``CORNEUM_*`` ``settings``; killed at the end."""
    upgrade(url)
    emails = seed(url, backend)
    port = free_port()
    log = tmp_path / f"server-{port}.log"
    env = {
        **os.environ,
        "CORNEUM_DATABASE_URL": url.render_as_string(hide_password=False),
        "CORNEUM_MODE": "development",
        "CORNEUM_PHOTO_DIR": str(tmp_path / "photos"),
        **(settings or {}),
    }
    command = [sys.executable, "-m", "corneum", "serve", "--host", "127.0.0.1", "--port", str(port)]
    with log.open("wb") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    served = Served(process, f"http://127.0.0.1:{port}", port, log, url, emails)
    try:
        wait_ready(served)
        yield served
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=START_DEADLINE_S)


def wait_ready(served: Served) -> None:
    deadline = time.monotonic() + START_DEADLINE_S
    while time.monotonic() < deadline:
        if served.process.poll() is not None:
            pytest.fail(f"the server exited at start: {served.log_text()[-2000:]}")
        try:
            if httpx.get(f"{served.base_url}/api/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail("the server did not answer in time")
