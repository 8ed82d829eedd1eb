"""The client's sign-in to the portal: her personal link, then a one-time code sent to her
e-mail on record (or, by the clinic's setting, her date of birth), then a short portal session.

A link refuses once it is unknown, expired, revoked or spent (``MAX_FAILURES`` wrong answers
given with it: a code has a million values, so guessing must stop long before). The code is
stored as a hash keyed by the link's token, which the database does not hold. A wrong answer
is not an exception: its count must be committed with the request, not rolled back."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from corneum.records.accounts.tables import Clinic, Language
from corneum.records.clients.tables import Client
from corneum.records.portal.service import (
    audit_by_client,
    client_language,
    portal_settings,
    sha256,
)
from corneum.records.portal.tables import PortalLink, PortalSession, SignInCheck
from corneum.records.reminders.tables import OutboxMessage

MAX_FAILURES = 5
CODE_LIFETIME = timedelta(minutes=10)
RESEND_AFTER = timedelta(minutes=1)
SESSION_LIFETIME = timedelta(hours=1)
CODE_MAIL: dict[Language, tuple[str, str]] = {
    "en": (
        "Your sign-in code for {clinic}",
        "Your code to sign in to {clinic}'s portal is {code}.\r\n"
        "It works for 10 minutes. If you did not ask for it, ignore this message.\r\n",
    ),
    "ru": (
        "Код для входа: {clinic}",
        "Ваш код для входа в личный кабинет {clinic}: {code}.\r\n"
        "Он действует 10 минут. Если вы его не запрашивали, просто не отвечайте.\r\n",  # noqa: RUF001
    ),
}
"""The code's e-mail in the client's language: the code and the clinic, nothing clinical."""

LinkProblem = Literal["unknown", "expired", "revoked", "spent"]
CodeOutcome = Literal["sent", "wait", "no_contact"]
SignInOutcome = Literal["signed_in", "wrong", "spent"]


class LinkRefusedError(Exception):
    """The link cannot sign anyone in (``problem`` says why, for the page to word)."""

    def __init__(self, problem: LinkProblem) -> None:
        super().__init__(f"portal link {problem}")
        self.problem = problem


@dataclass(frozen=True, slots=True)
class OpenLink:
    """A usable link: whose it is and how she must prove it is hers."""

    link: PortalLink
    client: Client
    check: SignInCheck
    language: Language
    contact: str | None
    """Her e-mail on record, masked (``v•••@example.org``); None without one."""


@dataclass(frozen=True, slots=True)
class SignIn:
    outcome: SignInOutcome
    token: str | None = None
    """The new portal session's token (signed in only)."""


def open_link(*, session: Session, token: str, now: datetime) -> OpenLink:
    """The link ``token`` names, if it can still sign in; else :class:`LinkRefusedError`."""
    row = session.scalar(select(PortalLink).where(PortalLink.token_sha256 == sha256(token)))
    if row is None:
        raise LinkRefusedError("unknown")
    if row.revoked_at is not None:
        raise LinkRefusedError("revoked")
    if row.expires_at <= now:
        raise LinkRefusedError("expired")
    if row.failures >= MAX_FAILURES:
        raise LinkRefusedError("spent")
    client = session.get_one(Client, row.client_id)
    check = portal_settings(session=session, clinic_id=client.clinic_id).sign_in_check
    language = client_language(session, client.id)
    return OpenLink(row, client, check, language, masked(client.email))


def masked(email: str | None) -> str | None:
    """An address as a page may show it to whoever holds the link."""
    if not email:
        return None
    name, _, domain = email.partition("@")
    return f"{name[:1]}•••@{domain}"


def send_code(*, session: Session, token: str, now: datetime) -> CodeOutcome:
    """A fresh one-time code to the client's e-mail on record (through the outbox); at most
    one a minute, so a link cannot flood her mailbox."""
    opened = open_link(session=session, token=token, now=now)
    row, client = opened.link, opened.client
    if client.email is None:
        return "no_contact"
    if row.code_sent_at is not None and now - row.code_sent_at < RESEND_AFTER:
        return "wait"
    code = f"{secrets.randbelow(10**6):06d}"
    row.code_sha256 = _code_hash(token, code)
    row.code_expires_at = now + CODE_LIFETIME
    row.code_sent_at = now
    _enqueue_code(session, client, opened.language, code, now)
    audit_by_client(session, client, "create", "portal_code", row.id)
    return "sent"


def _code_hash(token: str, code: str) -> str:
    return sha256(f"{token}\x00{code}")


def _enqueue_code(
    session: Session, client: Client, language: Language, code: str, now: datetime
) -> None:
    clinic = session.get_one(Clinic, client.clinic_id)
    subject, body = CODE_MAIL[language]
    session.add(
        OutboxMessage(
            clinic_id=client.clinic_id,
            booking_id=None,
            recipient=client.email,
            subject=subject.format(clinic=clinic.name),
            body=body.format(clinic=clinic.name, code=code),
            due_at=now,
            next_attempt_at=now,
        )
    )
    session.flush()


def sign_in(*, session: Session, token: str, answer: str, now: datetime) -> SignIn:
    """Check the code (or date of birth) given with the link; a right one opens a portal
    session, a wrong one is counted (and at ``MAX_FAILURES`` spends the link)."""
    opened = open_link(session=session, token=token, now=now)
    row, client = opened.link, opened.client
    if not _right(opened, token, answer.strip(), now):
        row.failures += 1
        outcome: SignInOutcome = "spent" if row.failures >= MAX_FAILURES else "wrong"
        audit_by_client(session, client, "login_failed", "portal", row.id, {"reason": outcome})
        return SignIn(outcome)
    row.failures = 0
    row.code_sha256 = row.code_expires_at = None
    session_token = secrets.token_urlsafe(32)
    session.add(
        PortalSession(
            client_id=client.id,
            link_id=row.id,
            token_sha256=sha256(session_token),
            created_at=now,
            expires_at=now + SESSION_LIFETIME,
        )
    )
    session.flush()
    audit_by_client(session, client, "login", "portal", row.id)
    return SignIn("signed_in", session_token)


def _right(opened: OpenLink, token: str, answer: str, now: datetime) -> bool:
    if opened.check == "date_of_birth":
        born = opened.client.date_of_birth
        return born is not None and hmac.compare_digest(born.isoformat(), answer)
    row = opened.link
    if row.code_sha256 is None or row.code_expires_at is None or row.code_expires_at <= now:
        return False
    return hmac.compare_digest(row.code_sha256, _code_hash(token, answer))


def signed_in_client(*, session: Session, token: str, now: datetime) -> Client | None:
    """The client whose live portal session ``token`` is, or None."""
    row = session.scalar(select(PortalSession).where(PortalSession.token_sha256 == sha256(token)))
    if row is None or row.ended_at is not None or row.expires_at <= now:
        return None
    return session.get(Client, row.client_id)


def sign_out(*, session: Session, token: str, now: datetime) -> None:
    """End the portal session ``token`` (nothing if it is not live)."""
    row = session.scalar(select(PortalSession).where(PortalSession.token_sha256 == sha256(token)))
    if row is None or row.ended_at is not None:
        return
    row.ended_at = now
    client = session.get_one(Client, row.client_id)
    audit_by_client(session, client, "logout", "portal", row.link_id)
