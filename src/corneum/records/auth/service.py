"""Issue, resolve and revoke tokens; refuse sign-in after too many failures."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from corneum.records.accounts import service as accounts
from corneum.records.accounts.tables import User
from corneum.records.auth.cache import TOKENS
from corneum.records.auth.tables import AuthToken, LoginAttempt, TokenKind

TOKEN_LIFETIME = timedelta(hours=12)
"""A clinic shift: staff sign in once a day."""
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)


class TooManyAttemptsError(Exception):
    """Sign-in for this email is paused; ``retry_after`` seconds until it may be tried again."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed sign-ins; try again in {retry_after} s")
        self.retry_after = retry_after


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def sign_in(
    *, session: Session, email: str, password: str, kind: TokenKind, now: datetime
) -> tuple[str, AuthToken] | None:
    """A new token for valid credentials, None for invalid ones; raises when rate limited.

    Failures are counted per email over a sliding window, so guessing one account's password
    is slowed down without locking the clinic out when a tablet mistypes once.
    """
    key = _sha256(email.strip().lower())
    _refuse_if_limited(session, key, now)
    user = accounts.authenticate(session=session, email=email, password=password)
    if user is None:
        session.add(LoginAttempt(email_sha256=key, at=now))
        session.flush()
        return None
    session.execute(delete(LoginAttempt).where(LoginAttempt.email_sha256 == key))
    return issue_token(session=session, user=user, kind=kind, now=now)


def _refuse_if_limited(session: Session, key: str, now: datetime) -> None:
    since = now - FAILURE_WINDOW
    recent = select(func.count(), func.min(LoginAttempt.at)).where(
        LoginAttempt.email_sha256 == key, LoginAttempt.at > since
    )
    count, oldest = session.execute(recent).one()
    if count >= MAX_FAILURES and oldest is not None:
        wait = oldest + FAILURE_WINDOW - now
        raise TooManyAttemptsError(max(1, int(wait.total_seconds()) + 1))


def issue_token(
    *, session: Session, user: User, kind: TokenKind, now: datetime
) -> tuple[str, AuthToken]:
    """A fresh random token (returned once, stored only as its hash)."""
    token = secrets.token_urlsafe(32)
    row = AuthToken(
        user_id=user.id,
        token_sha256=_sha256(token),
        kind=kind,
        created_at=now,
        expires_at=now + TOKEN_LIFETIME,
    )
    session.add(row)
    session.flush()
    return token, row


def remembered_user(*, token: str, now: datetime, kind: TokenKind = "bearer") -> User | None:
    """The user of a token looked up in the last few seconds, without asking the database."""
    return TOKENS.get(f"{kind}:{_sha256(token)}", now)


def user_for_token(
    *, session: Session, token: str, now: datetime, kind: TokenKind = "bearer"
) -> User | None:
    """The active user a live, unrevoked token of ``kind`` belongs to, or None (remembered
    for a few seconds: see :mod:`corneum.records.auth.cache`)."""
    digest = _sha256(token)
    key = f"{kind}:{digest}"
    cached = TOKENS.get(key, now)
    if cached is not None:
        return cached
    row = session.scalar(
        select(AuthToken).where(AuthToken.token_sha256 == digest, AuthToken.kind == kind)
    )
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    TOKENS.put(key, user, row.expires_at, now)
    return user


def revoke(*, session: Session, token: str, now: datetime) -> None:
    digest = _sha256(token)
    for kind in ("bearer", "cookie"):
        TOKENS.forget(f"{kind}:{digest}")
    row = session.scalar(select(AuthToken).where(AuthToken.token_sha256 == digest))
    if row is not None and row.revoked_at is None:
        row.revoked_at = now
        session.flush()
