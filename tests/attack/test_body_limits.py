"""Oversized and unauthenticated request bodies are refused before the server reads them.

Each request is written by hand on a socket, so the test controls what is declared and what is
actually sent, and sees how much of the body the server had taken when it answered: a server
that reads the body before refusing takes all of it (and holds it in memory, or spools a file
upload to its temporary folder); one that refuses first answers while most of it is unsent.
"""

from __future__ import annotations

import select
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.attack.server import Served, corneum_serve
from tests.conftest import BACKENDS, new_database

MIB = 1024 * 1024
FILE_PART = (
    b"--xyz\r\n"
    b'Content-Disposition: form-data; name="file"; filename="skin.png"\r\n'
    b"Content-Type: image/png\r\n\r\n"
)
"""The start of a multipart body whose file part the filler then makes as long as asked."""
MULTIPART = "multipart/form-data; boundary=xyz"
CHUNK = 64 * 1024
PHOTO_MAX = 2 * MIB
ANSWER_DEADLINE_S = 10
UNREAD = 8 * MIB
"""A refusal before reading comes while at most this much of a larger body has been pushed into
the sockets' buffers; a server that reads first takes every byte before answering."""


@pytest.fixture(scope="module", params=BACKENDS)
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    tmp = tmp_path_factory.mktemp(f"bodies-{request.param}")
    spool = tmp / "spool"
    spool.mkdir()
    settings = {"CORNEUM_PHOTO_MAX_BYTES": str(PHOTO_MAX), "TMPDIR": str(spool)}
    with (
        new_database(request.param, tmp_path_factory) as url,
        corneum_serve(url, request.param, tmp, settings) as server,
    ):
        yield server


@dataclass
class Answer:
    status: int
    sent: int
    """Body bytes written before the answer came (or all of them)."""
    seconds: float


def send(
    served: Served,
    method: str,
    path: str,
    *,
    size: int,
    declared: int | None,
    headers: dict[str, str] | None = None,
    start: bytes = b"",
) -> Answer:
    """Send a body of ``size`` bytes, ``start`` then filler (chunked when ``declared`` is None,
    else with that Content-Length), stopping as soon as the server answers; its status and what
    was sent."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{served.port}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    chunked = declared is None
    lines.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {declared}")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode()
    began = time.monotonic()
    sent = 0
    with socket.create_connection(("127.0.0.1", served.port), timeout=ANSWER_DEADLINE_S) as sock:
        sock.sendall(head)
        try:
            while sent < size and not _readable(sock):
                piece = (start if sent == 0 else b"") + b"x" * min(CHUNK, size - sent)
                sock.sendall(f"{len(piece):x}\r\n".encode() + piece + b"\r\n" if chunked else piece)
                sent += len(piece)
            if chunked and sent >= size:
                sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass  # the server stopped reading and closed: its answer is waiting
        status = _status(sock)
    return Answer(status, sent, time.monotonic() - began)


def _readable(sock: socket.socket) -> bool:
    return bool(select.select([sock], [], [], 0)[0])


def _status(sock: socket.socket) -> int:
    data = b""
    deadline = time.monotonic() + ANSWER_DEADLINE_S
    while b"\r\n" not in data and time.monotonic() < deadline:
        piece = sock.recv(4096)
        if not piece:
            break
        data += piece
    assert data.startswith(b"HTTP/1.1 "), f"no answer: {data[:200]!r}"
    return int(data.split()[1])


def bearer(served: Served, who: str = "practitioner") -> dict[str, str]:
    return {"Authorization": f"Bearer {served.token(who)}", "Content-Type": "application/json"}


def test_a_500_mb_body_declared_is_refused_413_at_once(served: Served) -> None:
    before = served.rss_mib()
    for headers in ({"Content-Type": "application/json"}, bearer(served)):
        answer = send(
            served, "POST", "/api/clients", size=CHUNK, declared=500 * MIB, headers=headers
        )
        assert answer.status == 413
        assert answer.sent <= CHUNK
        assert answer.seconds < 5
    assert served.rss_mib() - before < 20


def test_a_streamed_body_past_the_limit_is_refused_413_before_it_is_all_read(
    served: Served,
) -> None:
    before = served.rss_mib()
    answer = send(
        served, "POST", "/api/clients", size=64 * MIB, declared=None, headers=bearer(served)
    )
    assert answer.status == 413
    assert answer.sent < UNREAD
    assert served.rss_mib() - before < 40


def test_an_api_write_without_a_token_is_401_before_its_body_is_read(served: Served) -> None:
    headers = {"Content-Type": "application/json"}
    answer = send(served, "POST", "/api/clients", size=32 * MIB, declared=None, headers=headers)
    assert answer.status == 401
    assert answer.sent < UNREAD


@pytest.mark.parametrize("path", ["/api/sessions/1/photos", "/sessions/1/photos"])
def test_an_upload_without_a_session_is_refused_before_it_is_spooled(
    served: Served, path: str
) -> None:
    headers = {"Content-Type": MULTIPART}
    answer = send(
        served, "POST", path, size=32 * MIB, declared=None, headers=headers, start=FILE_PART
    )
    assert answer.status in {401, 303}
    assert answer.sent < UNREAD
    assert spooled(served) == []


def test_a_web_upload_without_its_csrf_token_is_refused_before_it_is_spooled(
    served: Served,
) -> None:
    with httpx.Client(base_url=served.base_url, timeout=30) as http:
        http.get("/login")
        signed_in = http.post(
            "/api/auth/session",
            json={"email": served.emails["practitioner"], "password": "a long clinic password"},
        )
        assert signed_in.status_code == 204
        cookies = "; ".join(f"{name}={value}" for name, value in http.cookies.items())
    assert "corneum_session" in cookies
    assert "corneum_csrf" in cookies
    headers = {"Content-Type": MULTIPART, "Cookie": cookies}
    answer = send(
        served,
        "POST",
        "/sessions/1/photos",
        size=32 * MIB,
        declared=None,
        headers=headers,
        start=FILE_PART,
    )
    assert answer.status == 403
    assert answer.sent < UNREAD
    assert spooled(served) == []


def test_a_photo_upload_may_be_larger_than_other_bodies_but_not_than_its_limit(
    served: Served,
) -> None:
    headers = {**bearer(served), "Content-Type": MULTIPART}
    middling = int(1.5 * MIB)
    photo = send(
        served,
        "POST",
        "/api/sessions/1/photos",
        size=middling,
        declared=middling,
        headers=headers,
        start=FILE_PART,
    )
    other = send(
        served, "POST", "/api/clients", size=middling, declared=middling, headers=bearer(served)
    )
    too_big = send(
        served,
        "POST",
        "/api/sessions/1/photos",
        size=32 * MIB,
        declared=None,
        headers=headers,
        start=FILE_PART,
    )
    assert photo.status not in {413, 500}
    assert photo.sent == middling
    assert other.status == 413
    assert too_big.status == 413
    assert too_big.sent < UNREAD


def spooled(served: Served) -> list[Path]:
    """Files in the server's temporary folder (``TMPDIR``)."""
    return list((served.log.parent / "spool").iterdir())
