"""The sign-in limits per client address and for the whole server, shared by every server
process through the database on PostgreSQL.

The guard in memory (:mod:`corneum.records.auth.guard`) still answers first and for free, so a
flood at one process is refused before it reaches the database; these rows then hold the same
buckets for all processes together, so N of them let through what one would, not N times as
much. They are read and written inside the sign-in's own first and last transactions (no round
trip of their own): the address's row and the server's are locked (``SELECT ... FOR UPDATE``,
always in key order, so two attempts cannot deadlock) until that transaction ends. On SQLite
(one machine, one server process: ``corneum serve --workers`` refuses it) the memory is enough.
"""

from __future__ import annotations

import hashlib
import math
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from corneum.records.auth.guard import (
    ADDRESS_MEMORY,
    Bucket,
    GuardLimits,
    TooManyAttemptsError,
    backoff,
    seconds_until,
)
from corneum.records.auth.tables import SignInBucket

OVERALL = "overall"
"""The key of the whole server's bucket."""


def address_key(address: str) -> str:
    return hashlib.sha256(f"address:{address}".encode()).hexdigest()


def is_shared(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def admit(*, session: Session, address: str, now: datetime, limits: GuardLimits) -> None:
    """Take one attempt from the address's and the server's shared buckets, or raise
    :class:`TooManyAttemptsError` (the transaction's rollback then undoes the taking)."""
    if not is_shared(session):
        return
    key = address_key(address)
    capacities = {key: limits.per_address_per_minute, OVERALL: limits.per_minute}
    rows = _locked(session, capacities, now)
    own = rows[key]
    if own.next_at is not None and own.next_at > now:
        raise TooManyAttemptsError(seconds_until(own.next_at, now), "address")
    for row, scope in ((own, "address"), (rows[OVERALL], "overall")):
        bucket = Bucket(capacities[row.key], row.tokens, row.updated_at)
        wait = bucket.take(now)
        row.tokens, row.updated_at = bucket.tokens, bucket.updated
        if wait:
            raise TooManyAttemptsError(math.ceil(wait), scope)
    session.flush()


def record(
    *, session: Session, address: str, succeeded: bool, now: datetime, limits: GuardLimits
) -> None:
    """The attempt's outcome: a failure lengthens the address's wait, a success forgives it
    (and forgets addresses quiet for an hour)."""
    if not is_shared(session):
        return
    key = address_key(address)
    row = _locked(session, {key: limits.per_address_per_minute}, now)[key]
    if succeeded:
        row.failures, row.next_at = 0, None
        session.execute(delete(SignInBucket).where(SignInBucket.updated_at < now - ADDRESS_MEMORY))
    else:
        row.failures += 1
        wait = backoff(
            row.failures,
            free=limits.address_failures_before_delay,
            base=limits.delay_base,
            most=limits.delay_most,
        )
        row.next_at = now + wait if wait else None
    session.flush()


def _locked(session: Session, capacities: dict[str, int], now: datetime) -> dict[str, SignInBucket]:
    """The rows of ``capacities``' keys (made full if new, started afresh if quiet for an
    hour), locked until the transaction ends."""
    keys = sorted(capacities)
    fresh = [
        {"key": k, "tokens": float(capacities[k]), "updated_at": now, "failures": 0} for k in keys
    ]
    session.execute(postgresql.insert(SignInBucket).values(fresh).on_conflict_do_nothing())
    locked = (
        select(SignInBucket)
        .where(SignInBucket.key.in_(keys))
        .order_by(SignInBucket.key)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    rows = {row.key: row for row in session.scalars(locked)}
    for row in rows.values():
        if now - row.updated_at > ADDRESS_MEMORY:
            row.tokens, row.failures, row.next_at = float(capacities[row.key]), 0, None
            row.updated_at = now
    return rows
