"""Issue, resolve and revoke tokens; count sign-in attempts per e-mail address.

A sign-in runs as two short transactions with the password check between them, outside any
transaction (see :mod:`corneum.records.auth.signin`):

1. :func:`begin_attempt` locks the address's :class:`SignInLimit` row (``SELECT ... FOR UPDATE``
   on PostgreSQL; SQLite's write lock, taken by ``BEGIN IMMEDIATE``, on SQLite), refuses when its
   delay has not passed, else counts the attempt as a failure and sets the next delay, and reads
   the account. Parallel attempts take the lock in turn, so no more are checked than the limit
   allows. A right one-time code from the account's authenticator app passes the delay: an
   attacker who knows only the address cannot keep the owner out.
2. :func:`finish_attempt` writes the outcome: on success the count is cleared, a token issued,
   and the hash renewed when its parameters are old; either way the attempt is audited.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from corneum.records.accounts import service as accounts
from corneum.records.accounts.tables import Clinic, User
from corneum.records.audit import service as audit
from corneum.records.auth.guard import TooManyAttemptsError, backoff, seconds_until
from corneum.records.auth.tables import AuthToken, SignInLimit, TokenKind

TOKEN_LIFETIME = timedelta(hours=12)
"""A clinic shift: staff sign in once a day."""
FIRST_DELAY = timedelta(seconds=30)
FORGET_AFTER = timedelta(days=1)
"""A limit row quiet for this long is deleted by the next sign-in that clears its own."""

SecondFactor = Literal["none", "passed", "missing", "wrong"]


@dataclass(frozen=True, slots=True)
class AccountLimits:
    failures_before_delay: int
    most_delay: timedelta


@dataclass(frozen=True, slots=True)
class Candidate:
    """One account the address names: the hash to check the password against and whether the
    account's second factor is satisfied."""

    user_id: int
    password_hash: str
    active: bool
    second_factor: SecondFactor


@dataclass(frozen=True, slots=True)
class Attempt:
    """What the first transaction found: the accounts the address names, oldest first (none
    for an unknown address: a decoy's hash is checked instead, in the hashing pool). An address
    may name one account in each of several clinics (a practitioner working for two clinics
    of a chain)."""

    email_sha256: str
    candidates: tuple[Candidate, ...]

    def candidate(self, user_id: int | None) -> Candidate | None:
        return next((c for c in self.candidates if c.user_id == user_id), None)


def email_key(email: str) -> str:
    return _sha256(email.strip().lower())


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def begin_attempt(
    *,
    session: Session,
    email: str,
    code: str | None,
    now: datetime,
    limits: AccountLimits,
    clinic: str | None = None,
    user_id: int | None = None,
) -> Attempt:
    """Count one attempt for ``email`` under its row's lock and find its accounts (only the
    one in the clinic named ``clinic``, or only ``user_id``, when given); raises
    :class:`TooManyAttemptsError` while the address must wait (unless ``code`` is one of its
    accounts' one-time code). Counted as a failure until :func:`finish_attempt` says
    otherwise, so a request that dies between the two still counts."""
    key = email_key(email)
    row = _locked_limit(session, key, now)
    users = _accounts(session, email, clinic, user_id)
    candidates = tuple(_candidate(user, code, now) for user in users)
    passed = any(c.second_factor == "passed" for c in candidates)
    if not passed and row.next_at is not None and row.next_at > now:
        raise TooManyAttemptsError(seconds_until(row.next_at, now), "account")
    row.failures += 1
    row.last_at = now
    wait = backoff(
        row.failures, free=limits.failures_before_delay, base=FIRST_DELAY, most=limits.most_delay
    )
    row.next_at = now + wait if wait else None
    session.flush()
    return Attempt(key, candidates)


def _accounts(session: Session, email: str, clinic: str | None, user_id: int | None) -> list[User]:
    address = email.strip().lower()
    # No account has an address with a NUL (PostgreSQL could not even compare one).
    if "\x00" in address or (clinic is not None and "\x00" in clinic):
        return []
    query = select(User).where(User.email == address).order_by(User.id)
    if user_id is not None:
        query = query.where(User.id == user_id)
    users = list(session.scalars(query))
    if clinic is None:
        return users
    wanted = accounts.loose_name(clinic)
    named = {c.id for c in session.scalars(select(Clinic)) if accounts.loose_name(c.name) == wanted}
    return [u for u in users if u.clinic_id in named]


def _candidate(user: User, code: str | None, now: datetime) -> Candidate:
    second_factor: SecondFactor = "none"
    if user.totp_enabled:
        if not code:
            second_factor = "missing"
        elif accounts.accept_code(user, code, now):
            second_factor = "passed"
        else:
            second_factor = "wrong"
    return Candidate(user.id, user.password_hash, user.active, second_factor)


def clear_limit(*, session: Session, email: str) -> None:
    """Forget the address's failures (its owner has just proven her password)."""
    session.execute(delete(SignInLimit).where(SignInLimit.email_sha256 == email_key(email)))


def _locked_limit(session: Session, key: str, now: datetime) -> SignInLimit:
    """The address's limit row, created if new, locked until the transaction ends."""
    values = {"email_sha256": key, "failures": 0, "next_at": None, "last_at": now}
    if session.get_bind().dialect.name == "postgresql":
        session.execute(postgresql.insert(SignInLimit).values(values).on_conflict_do_nothing())
    else:
        session.execute(sqlite.insert(SignInLimit).values(values).on_conflict_do_nothing())
    locked = select(SignInLimit).where(SignInLimit.email_sha256 == key).with_for_update()
    return session.scalars(locked.execution_options(populate_existing=True)).one()


def finish_attempt(
    *,
    session: Session,
    attempt: Attempt,
    matched: int | None,
    new_hash: str | None,
    kind: TokenKind,
    now: datetime,
) -> tuple[str, AuthToken, User] | None:
    """Record how the attempt ended: a token (and the user) when the password matched an
    account (``matched``, its id) that is active and whose second factor passed or is not
    needed; else None."""
    chosen = attempt.candidate(matched)
    if chosen is None and attempt.candidates:
        chosen = attempt.candidates[0]  # the failure is audited on the oldest account
    user = session.get(User, chosen.user_id) if chosen is not None else None
    refusal = _refusal(chosen, user, matched is not None)
    if user is None:
        _audit_failure(session, None, "unknown_email")
        return None
    if refusal is not None:
        _audit_failure(session, user, refusal)
        return None
    session.execute(
        delete(SignInLimit).where(
            (SignInLimit.email_sha256 == attempt.email_sha256)
            | (SignInLimit.last_at < now - FORGET_AFTER)
        )
    )
    if new_hash is not None:
        user.password_hash = new_hash
    _audit_user(session, user, "login", None)
    token, row = issue_token(session=session, user=user, kind=kind, now=now)
    return token, row, user


def _refusal(chosen: Candidate | None, user: User | None, password_right: bool) -> str | None:
    if chosen is None or user is None:
        return "unknown_email"
    if not password_right:
        return "wrong_password"
    if not user.active:
        return "inactive"
    if chosen.second_factor in {"missing", "wrong"}:
        return f"second_factor_{chosen.second_factor}"
    return None


def _audit_failure(session: Session, user: User | None, reason: str) -> None:
    if user is None:
        audit.record(
            session=session,
            actor_id=None,
            action="login_failed",
            resource="user",
            resource_id=None,
            client_id=None,
            clinic_id=None,
            detail={"reason": reason},
        )
        return
    _audit_user(session, user, "login_failed", {"reason": reason})


def _audit_user(
    session: Session,
    user: User,
    action: Literal["login", "login_failed"],
    detail: audit.Detail | None,
) -> None:
    audit.record(
        session=session,
        actor_id=user.id,
        action=action,
        resource="user",
        resource_id=user.id,
        client_id=None,
        clinic_id=user.clinic_id,
        detail=detail,
    )


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


def token_sha256(token: str) -> str:
    return _sha256(token)


def user_for_token(
    *, session: Session, token: str, now: datetime, kind: TokenKind = "bearer"
) -> User | None:
    """The active user a live, unrevoked token of ``kind`` belongs to, or None.

    Asked of the database on every request, in one query by the token's unique hash: nothing
    is remembered in the process, so a token revoked or a user deactivated through any server
    process is refused by every other at once."""
    statement = (
        select(User)
        .join(AuthToken, AuthToken.user_id == User.id)
        .where(
            AuthToken.token_sha256 == _sha256(token),
            AuthToken.kind == kind,
            AuthToken.revoked_at.is_(None),
            AuthToken.expires_at > now,
            User.active,
        )
    )
    user: User | None = session.scalar(statement)
    return user


def revoke(*, session: Session, token: str, now: datetime) -> None:
    row = session.scalar(select(AuthToken).where(AuthToken.token_sha256 == _sha256(token)))
    if row is not None and row.revoked_at is None:
        row.revoked_at = now
        session.flush()
