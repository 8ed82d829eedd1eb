"""Signing in within one test session: the two transactions of a sign-in, and the password
check between them, run in the session the test rolls back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from corneum.records.accounts import service as accounts
from corneum.records.accounts.tables import User
from corneum.records.auth import service as auth

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
LIMITS = auth.AccountLimits(failures_before_delay=5, most_delay=timedelta(minutes=15))


def authenticate(
    *, session: Session, email: str, password: str, code: str | None = None, now: datetime = NOW
) -> User | None:
    """The user signed in with these credentials, or None."""
    attempt = auth.begin_attempt(session=session, email=email, code=code, now=now, limits=LIMITS)
    matched = next(
        (
            c.user_id
            for c in attempt.candidates
            if accounts.verify_password(c.password_hash, password)
        ),
        None,
    )
    issued = auth.finish_attempt(
        session=session,
        attempt=attempt,
        matched=matched,
        new_hash=None,
        kind="bearer",
        now=now,
    )
    return issued[2] if issued else None
