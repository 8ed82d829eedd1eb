"""``corneum serve --demo`` in its own process on a free loopback port, for the benchmarks that
load it over real HTTP from theirs (bench_api.py, bench_web.py)."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HOST = "127.0.0.1"
START_TIMEOUT_S = 120


@contextmanager
def server(folder: Path, database_url: str) -> Iterator[int]:
    """The demo server over ``database_url``, its log in ``folder``; its port. Stopped after."""
    port = free_port()
    env = {**os.environ, "CORNEUM_DATABASE_URL": database_url}
    command = [sys.executable, "-m", "corneum", "serve", "--demo", "--host", HOST]
    with (folder / "server.log").open("wb") as log:
        process = subprocess.Popen([*command, "--port", str(port)], env=env, stdout=log, stderr=log)
    try:
        wait_until_up(port, process)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_up(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("the server exited at start; see its log")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=1)
            connection.request("GET", "/api/health")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not answer in time")
