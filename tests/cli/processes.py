"""The installed commands as a clinic runs them: ``python -m corneum ...`` in a process of its
own, with only its environment to go on, and a real SMTP server on loopback to send to."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy.engine import URL

TIMEOUT_S = 60


def environment(url: URL, **settings: str) -> dict[str, str]:
    """This process's environment without any CORNEUM_ setting, plus the database and
    ``settings`` (``smtp_port="2525"`` becomes ``CORNEUM_SMTP_PORT=2525``)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CORNEUM_")}
    env["CORNEUM_DATABASE_URL"] = url.render_as_string(hide_password=False)
    env["CORNEUM_MODE"] = "development"
    env.update({f"CORNEUM_{name.upper()}": value for name, value in settings.items()})
    return env


def run(
    env: dict[str, str], *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """``corneum ARGS`` to its end."""
    return subprocess.run(
        [sys.executable, "-m", "corneum", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )


def start(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    """``corneum ARGS`` left running; its output collected when it ends."""
    return subprocess.Popen(
        [sys.executable, "-m", "corneum", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


@dataclass
class Inbox:
    """An SMTP server's side: every envelope it accepted, each after ``delay`` seconds."""

    delay: float = 0.0
    received: list[Any] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        with self.lock:
            self.received.append(envelope)
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 OK"

    def recipients(self) -> list[str]:
        with self.lock:
            return [address for envelope in self.received for address in envelope.rcpt_tos]

    def messages(self) -> list[Message]:
        with self.lock:
            return [message_from_bytes(envelope.content) for envelope in self.received]


@contextmanager
def smtp_server(port: int, inbox: Inbox) -> Iterator[Inbox]:
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()
