"""Reminders over SMTP with STARTTLS or TLS and credentials, against a real SMTP server on
loopback (aiosmtpd) holding a certificate from a throwaway CA (trustme): the mail arrives only
after the certificate checked out, and the credentials are the ones configured."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from pydantic import ValidationError

from corneum.cli.worker import smtp_sender
from corneum.config import Settings
from tests.records.calendar.test_reminders import Inbox, free_port

USER, PASSWORD = "clinic-mailer", "s3cret mail password"


class Server:
    def __init__(self, inbox: Inbox, port: int, ca_file: Path, security: str) -> None:
        self.inbox, self.port, self.ca_file, self.security = inbox, port, ca_file, security
        self.logins: list[tuple[bytes, bytes]] = []

    def authenticate(self, *args: Any) -> AuthResult:
        data = args[-1]
        assert isinstance(data, LoginPassword)
        self.logins.append((data.login, data.password))
        ok = (data.login, data.password) == (USER.encode(), PASSWORD.encode())
        return AuthResult(success=ok, handled=False)  # False: the server answers 535 itself


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def ca_file(ca: trustme.CA, tmp_path: Path) -> Path:
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return path


def server_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


@pytest.fixture(params=["starttls", "tls"])
def server(request: pytest.FixtureRequest, ca: trustme.CA, ca_file: Path) -> Iterator[Server]:
    inbox, port = Inbox(), free_port()
    made = Server(inbox, port, ca_file, request.param)
    context = server_context(ca)
    # aiosmtpd does not count an implicit-TLS connection as TLS for auth_require_tls (it
    # tracks STARTTLS only), so only the STARTTLS server needs that switch: TLS is all it speaks.
    options: dict[str, Any] = (
        {"tls_context": context, "require_starttls": True, "auth_require_tls": True}
        if request.param == "starttls"
        else {"ssl_context": context, "auth_require_tls": False}
    )
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=made.authenticate,
        **options,
    )
    controller.start()
    try:
        yield made
    finally:
        controller.stop()


def settings(server: Server, **changes: Any) -> Settings:
    values: dict[str, Any] = {
        "smtp_host": "127.0.0.1",
        "smtp_port": server.port,
        "smtp_security": server.security,
        "smtp_ca_file": server.ca_file,
        "smtp_username": USER,
        "smtp_password": PASSWORD,
        "smtp_timeout_seconds": 10,
    }
    return Settings(**(values | changes))


def reminder() -> EmailMessage:
    message = EmailMessage()
    message["From"] = "corneum@localhost"
    message["To"] = "ana@example.org"
    message["Subject"] = "Your appointment"
    message.set_content("See you on Monday.")
    return message


def test_a_reminder_goes_over_tls_with_the_credentials(server: Server) -> None:
    smtp_sender(settings(server))(reminder(), "ana@example.org")
    (envelope,) = server.inbox.received
    assert envelope.rcpt_tos == ["ana@example.org"]
    assert b"See you on Monday." in envelope.content
    assert server.logins == [(USER.encode(), PASSWORD.encode())]


def test_a_server_whose_certificate_is_not_trusted_gets_nothing(server: Server) -> None:
    untrusted = settings(server, smtp_ca_file=None)  # the system's CAs: not our throwaway one
    with pytest.raises(ssl.SSLCertVerificationError):
        smtp_sender(untrusted)(reminder(), "ana@example.org")
    assert server.inbox.received == []
    assert server.logins == []  # the password never went out


def test_wrong_credentials_are_refused(server: Server) -> None:
    import smtplib

    with pytest.raises(smtplib.SMTPAuthenticationError):
        smtp_sender(settings(server, smtp_password="wrong"))(reminder(), "ana@example.org")
    assert server.inbox.received == []


def test_credentials_are_not_sent_in_the_clear_to_another_machine() -> None:
    with pytest.raises(ValidationError) as caught:
        Settings(smtp_host="mail.example.org", smtp_username=USER, smtp_security="none")
    assert [error["loc"] for error in caught.value.errors()] == [("smtp_username",)]
    local = Settings(smtp_host="127.0.0.1", smtp_username=USER, smtp_security="none")
    assert local.smtp_username == USER  # a relay on this machine is not the network
