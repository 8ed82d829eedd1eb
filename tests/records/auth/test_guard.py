"""The in-memory limits in front of sign-in, under a clock moved by hand: per address, overall,
the growing wait of an address that keeps failing, and the hashing pool's bound."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime, timedelta

import pytest

from corneum.records.auth.guard import (
    GuardLimits,
    HashingBusyError,
    SignInGuard,
    TooManyAttemptsError,
    backoff,
)

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def guard(**changes: int) -> SignInGuard:
    limits = {
        "per_address_per_minute": 3,
        "per_minute": 5,
        "address_failures_before_delay": 2,
        "account_failures_before_delay": 5,
        "hashing_slots": 1,
        **changes,
    }
    return SignInGuard(
        GuardLimits(delay_base=timedelta(seconds=30), delay_most=timedelta(minutes=15), **limits)
    )


@pytest.mark.parametrize(
    ("failures", "seconds"),
    [(0, 0), (4, 0), (5, 30), (6, 60), (7, 120), (9, 480), (10, 900), (60, 900)],
)
def test_the_wait_doubles_from_30_s_up_to_15_minutes(failures: int, seconds: int) -> None:
    wait = backoff(failures, free=5, base=timedelta(seconds=30), most=timedelta(minutes=15))
    assert wait == timedelta(seconds=seconds)


def test_an_address_has_its_burst_then_waits_for_its_share_of_the_minute() -> None:
    limits = guard()
    for _ in range(3):
        limits.admit("10.0.0.1", NOW)
    with pytest.raises(TooManyAttemptsError) as caught:
        limits.admit("10.0.0.1", NOW)
    assert (caught.value.scope, caught.value.retry_after) == ("address", 20)
    limits.admit("10.0.0.2", NOW)  # another address is not held up
    limits.admit("10.0.0.1", NOW + timedelta(seconds=20))


def test_the_whole_server_has_its_own_limit_across_addresses() -> None:
    limits = guard(per_minute=5)
    for n in range(5):
        limits.admit(f"10.0.1.{n}", NOW)
    with pytest.raises(TooManyAttemptsError) as caught:
        limits.admit("10.0.1.99", NOW)
    assert caught.value.scope == "overall"


def test_an_address_that_keeps_failing_waits_longer_each_time_until_it_succeeds() -> None:
    limits = guard(per_address_per_minute=100)
    limits.failed("10.0.0.3", NOW)
    limits.admit("10.0.0.3", NOW)
    limits.failed("10.0.0.3", NOW)
    with pytest.raises(TooManyAttemptsError) as caught:
        limits.admit("10.0.0.3", NOW + timedelta(seconds=29))
    assert caught.value.retry_after == 1
    limits.failed("10.0.0.3", NOW + timedelta(seconds=30))
    with pytest.raises(TooManyAttemptsError) as caught:
        limits.admit("10.0.0.3", NOW + timedelta(seconds=31))
    assert caught.value.retry_after == 59
    limits.succeeded("10.0.0.3")
    limits.admit("10.0.0.3", NOW + timedelta(seconds=31))


def test_the_hashing_pool_runs_its_slots_queues_a_few_and_turns_the_rest_away() -> None:
    limits = guard(hashing_slots=1)
    release = threading.Event()
    running: list[int] = []

    def work(n: int) -> int:
        running.append(n)
        release.wait(5)
        return n

    async def check(n: int) -> int:
        with limits.hashing_turn():
            return await limits.hash(lambda: work(n))

    async def flood() -> list[int | BaseException]:
        tasks = [asyncio.ensure_future(check(n)) for n in range(5)]
        await asyncio.sleep(0.2)
        assert len(running) == 1, "one slot: one check at a time"
        release.set()
        return await asyncio.gather(*tasks, return_exceptions=True)

    results = asyncio.run(flood())
    assert results[:3] == [0, 1, 2]  # the slot and its queue of two
    assert all(isinstance(result, HashingBusyError) for result in results[3:])
