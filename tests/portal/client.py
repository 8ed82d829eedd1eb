"""A client's phone, for the portal's tests: her own cookies, the forms' CSRF tokens, and her
one-time codes fetched from the outbox by the real worker over a real SMTP server."""

from __future__ import annotations

import re
from email.message import Message
from typing import Any
from urllib.parse import urlsplit

import httpx

from corneum.cli.worker import run_once
from corneum.config import Settings
from corneum.db.engine import make_engine, session_factory
from tests.api import builders
from tests.api.conftest import LiveApi, free_port
from tests.cli.processes import Inbox, smtp_server

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
CODE = re.compile(r"\b(\d{6})\b")


def delivered(api: LiveApi) -> list[Message]:
    """Run the worker once against a real SMTP server on loopback; what it received."""
    port = free_port()
    settings = Settings(
        database_url=api.database_url.render_as_string(hide_password=False),
        mode="development",
        smtp_host="127.0.0.1",
        smtp_port=port,
    )
    engine = make_engine(api.database_url)
    try:
        with smtp_server(port, Inbox()) as inbox:
            run_once(session_factory(engine), settings, api.clock)
    finally:
        engine.dispose()
    return inbox.messages()


def new_link(api: LiveApi, client_id: int, who: str = "reception", **body: Any) -> dict[str, Any]:
    return builders.created(api, who, f"/api/clients/{client_id}/portal-links", body)


def codes_in(mails: list[Message], email: str) -> list[str]:
    """The one-time codes in the mails to ``email`` (her reminders may come along)."""
    found = []
    for mail in mails:
        body = mail.get_payload(decode=True)
        assert isinstance(body, bytes)
        code = CODE.search(body.decode())
        if mail["To"] == email and code is not None:
            found.append(code.group(1))
    return found


class Phone:
    """One client's browser on the portal."""

    def __init__(self, api: LiveApi) -> None:
        self.api = api
        self.http = httpx.Client(base_url=api.base_url, timeout=30, follow_redirects=False)
        self.token = ""

    def __enter__(self) -> Phone:
        return self

    def __exit__(self, *_: object) -> None:
        self.http.close()

    def open(self, url: str) -> httpx.Response:
        return self.http.get(urlsplit(url).path)

    def get(self, path: str) -> httpx.Response:
        response = self.http.get(path)
        found = CSRF.search(response.text)
        if found:
            self.token = found.group(1)
        return response

    def post(self, path: str, **data: str) -> httpx.Response:
        response = self.http.post(path, data={"csrf_token": self.token, **data})
        found = CSRF.search(response.text)
        if found:
            self.token = found.group(1)
        return response

    def ask_code(self, email: str) -> str:
        """Ask for a code on the sign-in page and read it from the e-mail sent to ``email``."""
        assert self.get("/portal/sign-in").status_code == 200
        assert self.post("/portal/code").status_code == 200
        (code,) = codes_in(delivered(self.api), email)
        return code

    def sign_in(self, url: str, email: str) -> None:
        """Open the link, get a code by e-mail, and sign in with it."""
        assert self.open(url).status_code == 303
        code = self.ask_code(email)
        signed_in = self.post("/portal/sign-in", answer=code)
        assert signed_in.status_code == 303, signed_in.text
        assert signed_in.headers["location"] == "/portal"
