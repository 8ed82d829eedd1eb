"""A pgbouncer in transaction pool mode on a free loopback port, in front of the test
PostgreSQL server: what the tests run the API through to show Corneum relies on no session
state. Debian's ``pgbouncer`` package (``scripts/test`` installs it, as it installs chromium);
without it the tests that need it skip, saying so, and nothing is installed at run time."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError

from corneum.db.engine import make_engine
from tests.api.conftest import free_port

PGBOUNCER = "/usr/sbin/pgbouncer"
START_S = 20
CONFIG = """[databases]
* = host={host} port={port}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {listen}
unix_socket_dir =
auth_type = trust
auth_file = {folder}/userlist.txt
pool_mode = transaction
default_pool_size = 3
max_client_conn = 200
ignore_startup_parameters = extra_float_digits,options
"""


def pgbouncer_binary() -> str:
    found = shutil.which("pgbouncer") or (PGBOUNCER if Path(PGBOUNCER).exists() else None)
    if found is None:
        pytest.skip("pgbouncer is not installed (scripts/test installs Debian's package)")
    return found


@contextmanager
def pgbouncer(database: URL) -> Iterator[URL]:
    """``database``'s URL through a new pgbouncer in transaction mode; stopped at the end."""
    binary = pgbouncer_binary()
    folder = Path(tempfile.mkdtemp(prefix="corneum-pgbouncer-"))
    folder.chmod(0o755)  # run as root it drops to the postgres user, who must read the config
    user = database.username or "postgres"
    (folder / "userlist.txt").write_text(f'"{user}" ""\n')
    listen = free_port()
    config = folder / "pgbouncer.ini"
    config.write_text(
        CONFIG.format(host=database.host, port=database.port or 5432, listen=listen, folder=folder)
    )
    for path in folder.iterdir():
        path.chmod(0o644)
    command = [binary, str(config)]
    if os.geteuid() == 0:  # pgbouncer refuses to run as root
        command[1:1] = ["-u", _unprivileged()]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    through = database.set(host="127.0.0.1", port=listen)
    try:
        _wait_ready(through, process)
        yield through
    finally:
        process.terminate()
        process.wait(timeout=START_S)
        shutil.rmtree(folder, ignore_errors=True)


def _unprivileged() -> str:
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    pytest.skip("no unprivileged user to run pgbouncer as")


def _wait_ready(url: URL, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_S
    engine = make_engine(url, pgbouncer=True)
    try:
        while True:
            if process.poll() is not None:
                output = process.stdout.read().decode(errors="replace") if process.stdout else ""
                pytest.fail(f"pgbouncer exited: {output[-2000:]}")
            try:
                with engine.connect() as connection:
                    connection.exec_driver_sql("SELECT 1")
                return
            except OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
    finally:
        engine.dispose()
