"""The sign-in limits every server process shares through PostgreSQL, under a clock moved by
hand: an address's burst and the server's, the growing wait of an address that keeps failing,
forgiveness on success, and a fresh start after an hour's quiet. On SQLite they do nothing (the
limits in memory are all there is)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from corneum.records.auth import shared
from corneum.records.auth.guard import GuardLimits, TooManyAttemptsError
from corneum.records.auth.tables import SignInBucket

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
LIMITS = GuardLimits(
    per_address_per_minute=3,
    per_minute=5,
    address_failures_before_delay=2,
    account_failures_before_delay=5,
    delay_base=timedelta(seconds=30),
    delay_most=timedelta(minutes=15),
    hashing_slots=1,
)


@pytest.fixture
def pg_session(db_session: Session) -> Session:
    if not shared.is_shared(db_session):
        pytest.skip("the shared limits are PostgreSQL's")
    return db_session


def admit(session: Session, address: str, at: datetime = NOW) -> None:
    shared.admit(session=session, address=address, now=at, limits=LIMITS)


def record(session: Session, address: str, *, succeeded: bool, at: datetime = NOW) -> None:
    shared.record(session=session, address=address, succeeded=succeeded, now=at, limits=LIMITS)


def test_an_address_has_its_burst_then_waits_for_its_share_of_the_minute(
    pg_session: Session,
) -> None:
    for _ in range(3):
        admit(pg_session, "10.0.0.1")
    with pytest.raises(TooManyAttemptsError) as caught:
        admit(pg_session, "10.0.0.1")
    assert (caught.value.scope, caught.value.retry_after) == ("address", 20)
    admit(pg_session, "10.0.0.2")  # another address is not held up
    admit(pg_session, "10.0.0.1", NOW + timedelta(seconds=20))


def test_the_whole_server_has_its_own_limit_across_addresses(pg_session: Session) -> None:
    for n in range(5):
        admit(pg_session, f"10.0.1.{n}")
    with pytest.raises(TooManyAttemptsError) as caught:
        admit(pg_session, "10.0.1.99")
    assert caught.value.scope == "overall"


def test_an_address_that_keeps_failing_waits_longer_until_it_succeeds(
    pg_session: Session,
) -> None:
    record(pg_session, "10.0.0.3", succeeded=False)
    admit(pg_session, "10.0.0.3")
    record(pg_session, "10.0.0.3", succeeded=False)
    with pytest.raises(TooManyAttemptsError) as caught:
        admit(pg_session, "10.0.0.3", NOW + timedelta(seconds=29))
    assert (caught.value.scope, caught.value.retry_after) == ("address", 1)
    record(pg_session, "10.0.0.3", succeeded=False, at=NOW + timedelta(seconds=30))
    with pytest.raises(TooManyAttemptsError) as caught:
        admit(pg_session, "10.0.0.3", NOW + timedelta(seconds=31))
    assert caught.value.retry_after == 59
    record(pg_session, "10.0.0.3", succeeded=True, at=NOW + timedelta(seconds=31))
    admit(pg_session, "10.0.0.3", NOW + timedelta(seconds=31))


def test_an_hour_of_quiet_starts_an_address_afresh_and_success_forgets_quiet_ones(
    pg_session: Session,
) -> None:
    for _ in range(3):
        admit(pg_session, "10.0.0.4")
    later = NOW + timedelta(hours=1, seconds=1)
    for _ in range(3):
        admit(pg_session, "10.0.0.4", later)
    record(pg_session, "10.0.0.5", succeeded=True, at=later + timedelta(hours=1, seconds=1))
    left = pg_session.scalar(select(func.count()).select_from(SignInBucket))
    assert left == 1, "only the address that just succeeded is remembered"


def test_the_address_is_kept_only_as_a_hash(pg_session: Session) -> None:
    admit(pg_session, "10.0.0.6")
    keys = set(pg_session.scalars(select(SignInBucket.key)))
    assert keys == {shared.OVERALL, shared.address_key("10.0.0.6")}
    assert not any("10.0.0.6" in key for key in keys)


def test_on_sqlite_nothing_is_written(db_session: Session) -> None:
    if shared.is_shared(db_session):
        pytest.skip("SQLite's case")
    admit(db_session, "10.0.0.7")
    record(db_session, "10.0.0.7", succeeded=False)
    assert db_session.scalar(select(func.count()).select_from(SignInBucket)) == 0
