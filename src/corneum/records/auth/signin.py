"""One sign-in, as the API and the web app both run it, cheapest refusal first:

1. the address's and the server's limits, in memory (429 with Retry-After);
2. a short write transaction that, on PostgreSQL, takes the attempt from the same limits shared
   by every server process (:mod:`corneum.records.auth.shared`), counts it against the e-mail
   address under a lock and reads the account (429 while the address must wait);
3. the Argon2 check, in the bounded hashing pool, outside any transaction (503 when the pool
   and its queue are full; an unknown address is checked against a decoy, so it costs the same);
4. a short write transaction with the outcome: the token, or the failure audited (and, on
   PostgreSQL, counted against the address for every process).

No database lock is held while a password is hashed, so a flood of sign-ins cannot stall the
staff's requests behind SQLite's single writer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from corneum.phrase import N_
from corneum.records.accounts import service as accounts
from corneum.records.accounts.passwords import check_password
from corneum.records.accounts.tables import User
from corneum.records.auth import service, shared
from corneum.records.auth.guard import (
    GuardLimits,
    HashingBusyError,
    SignInGuard,
    TooManyAttemptsError,
)
from corneum.records.auth.tables import AuthToken, TokenKind
from corneum.records.errors import InvalidInputError, NotFoundError, Problem

WRONG_PASSWORD = N_("the password is wrong")
__all__ = ["HashingBusyError", "SignInRefusedError", "SignedIn", "TooManyAttemptsError", "sign_in"]


class SignInRefusedError(Exception):
    """Wrong credentials, an inactive account, or a second factor missing or wrong.
    ``code_needed``: the password was right but the account wants its one-time code."""

    def __init__(self, *, code_needed: bool) -> None:
        super().__init__("sign-in refused")
        self.code_needed = code_needed


@dataclass(frozen=True, slots=True)
class SignedIn:
    token: str
    row: AuthToken
    user: User


@dataclass(frozen=True, slots=True)
class _Checked:
    matched: int | None
    """The id of the account whose hash the password matched, if any."""
    new_hash: str | None


async def sign_in(
    *,
    sessions: sessionmaker[Session],
    guard: SignInGuard,
    address: str,
    email: str,
    password: str,
    code: str | None,
    kind: TokenKind,
    clock: Callable[[], datetime],
    clinic: str | None = None,
) -> SignedIn:
    """A new token for valid credentials; raises :class:`TooManyAttemptsError`,
    :class:`HashingBusyError` or :class:`SignInRefusedError`. An address with accounts in
    several clinics signs in to the oldest account the password matches, or to the one in
    ``clinic`` when named."""
    guard.admit(address, clock())
    asked = _Asked(address, email, code, clinic, guard.limits)
    with guard.hashing_turn():
        attempt = await run_in_threadpool(_begin, sessions, asked, clock())
        checked = await guard.hash(lambda: _check(attempt, password))
        issued = await run_in_threadpool(_finish, sessions, asked, attempt, checked, kind, clock())
    if issued is None:
        guard.failed(address, clock())
        matched = attempt.candidate(checked.matched)
        code_needed = matched is not None and matched.second_factor == "missing"
        raise SignInRefusedError(code_needed=code_needed)
    guard.succeeded(address)
    token, row, user = issued
    return SignedIn(token, row, user)


@dataclass(frozen=True, slots=True)
class _Asked:
    """What a sign-in attempt came with, and the limits it is held to."""

    address: str
    email: str
    code: str | None
    clinic: str | None
    limits: GuardLimits


def _begin(sessions: sessionmaker[Session], asked: _Asked, now: datetime) -> service.Attempt:
    with sessions.begin() as session:
        shared.admit(session=session, address=asked.address, now=now, limits=asked.limits)
        return service.begin_attempt(
            session=session,
            email=asked.email,
            code=asked.code,
            now=now,
            limits=_account_limits(asked.limits),
            clinic=asked.clinic,
        )


def _check(attempt: service.Attempt, password: str) -> _Checked:
    if not attempt.candidates:  # an unknown address costs the same as a known one
        accounts.verify_password(accounts.decoy_hash(), password)
        return _Checked(matched=None, new_hash=None)
    for candidate in attempt.candidates:
        stored = candidate.password_hash
        if accounts.verify_password(stored, password):
            renewed = accounts.hash_password(password) if accounts.needs_rehash(stored) else None
            return _Checked(candidate.user_id, renewed)
    return _Checked(matched=None, new_hash=None)


def _finish(
    sessions: sessionmaker[Session],
    asked: _Asked,
    attempt: service.Attempt,
    checked: _Checked,
    kind: TokenKind,
    now: datetime,
) -> tuple[str, AuthToken, User] | None:
    with sessions.begin() as session:
        issued = service.finish_attempt(
            session=session,
            attempt=attempt,
            matched=checked.matched,
            new_hash=checked.new_hash,
            kind=kind,
            now=now,
        )
        shared.record(
            session=session,
            address=asked.address,
            succeeded=issued is not None,
            now=now,
            limits=asked.limits,
        )
        return issued


async def change_password(
    *,
    session: Session,
    guard: SignInGuard,
    address: str,
    user: User,
    current: str,
    new: str,
    keep_token: str | None,
    clock: Callable[[], datetime],
) -> None:
    """The signed-in user's new password, given her current one: refused (422) when the new one
    breaks a rule or the current one is wrong. The check of the current one counts as a sign-in
    attempt (the address's and the account's limits, and their waits), so a stolen session
    cannot be used to guess it faster. Her other sessions end. ``session`` must have no
    transaction open: the check runs outside one."""
    guard.admit(address, clock())
    check_password(new, email=user.email, field="new_password")
    with guard.hashing_turn():
        attempt = await run_in_threadpool(_reserve, session, user, address, clock(), guard.limits)
        own = attempt.candidate(user.id)
        stored = own.password_hash if own is not None else accounts.decoy_hash()
        right, new_hash = await guard.hash(
            lambda: (accounts.verify_password(stored, current), accounts.hash_password(new))
        )
    if not right:
        guard.failed(address, clock())
        await run_in_threadpool(_address_failed, session, address, clock(), guard.limits)
        raise InvalidInputError(
            [Problem(loc=("body", "current_password"), msg=WRONG_PASSWORD, type="wrong")]
        )
    keep = service.token_sha256(keep_token) if keep_token else None
    await run_in_threadpool(_store_password, session, user.id, new, new_hash, keep, clock())


def _account_limits(limits: GuardLimits) -> service.AccountLimits:
    return service.AccountLimits(limits.account_failures_before_delay, limits.delay_most)


def _reserve(
    session: Session, user: User, address: str, now: datetime, limits: GuardLimits
) -> service.Attempt:
    """The attempt counted in its own short transaction, committed before the hashing."""
    try:
        shared.admit(session=session, address=address, now=now, limits=limits)
        attempt = service.begin_attempt(
            session=session,
            email=user.email,
            code=None,
            now=now,
            limits=_account_limits(limits),
            user_id=user.id,
        )
    except BaseException:
        session.rollback()
        raise
    session.commit()
    return attempt


def _address_failed(session: Session, address: str, now: datetime, limits: GuardLimits) -> None:
    """A wrong current password counts against the address in every process, at once."""
    try:
        shared.record(session=session, address=address, succeeded=False, now=now, limits=limits)
    except BaseException:
        session.rollback()
        raise
    session.commit()


def _store_password(
    session: Session,
    user_id: int,
    password: str,
    password_hash: str,
    keep: str | None,
    now: datetime,
) -> None:
    user = session.get(User, user_id)
    if user is None:
        raise NotFoundError("user", user_id)
    service.clear_limit(session=session, email=user.email)
    accounts.set_password(
        session=session,
        user=user,
        password=password,
        password_hash=password_hash,
        actor=user.id,
        now=now,
        keep_sha256=keep,
    )
