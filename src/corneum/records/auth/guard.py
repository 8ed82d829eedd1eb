"""What stands in front of the password check: limits per client address and overall, a growing
delay for an address that keeps failing, and a bounded pool for Argon2.

Everything here is in the server process's memory and costs microseconds, so a flood is answered
429 (or 503 when every hashing slot is taken) before it touches the database or hashes anything.
An Argon2 check costs about 64 MiB and 0.1-0.2 s of a core: ``slots`` of them at once (one per
core) and a short queue behind; anything beyond is turned away at once rather than queued without
bound. A server run as several processes has these limits in each, as a cheap first filter; on
PostgreSQL the same limits are then kept for all processes together in the database
(:mod:`corneum.records.auth.shared`), as the per-account delay is
(:mod:`corneum.records.auth.service`). The hashing pool stays per process on purpose: it bounds
each process's memory (64 MiB per check), which is what it is for.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar

import anyio
import anyio.to_thread

T = TypeVar("T")
MAX_ADDRESSES = 10_000
"""Addresses remembered at once; past that the quiet ones are forgotten (then all)."""
ADDRESS_MEMORY = timedelta(hours=1)
"""An address with no attempt for this long starts afresh."""
QUEUE_PER_SLOT = 2
"""Checks that may wait for a slot, per slot; more are turned away (503)."""


class TooManyAttemptsError(Exception):
    """Sign-in is paused for this address, this account or the whole server; ``retry_after``
    seconds until it may be tried again."""

    def __init__(self, retry_after: int, scope: str) -> None:
        super().__init__(f"too many sign-in attempts; try again in {retry_after} s")
        self.retry_after = retry_after
        self.scope = scope


class HashingBusyError(Exception):
    """Every password-hashing slot and its queue are taken: try again in a second."""

    retry_after = 1

    def __init__(self) -> None:
        super().__init__("the server is busy checking passwords; try again in a second")


def backoff(failures: int, *, free: int, base: timedelta, most: timedelta) -> timedelta:
    """The wait after ``failures`` failures in a row: none for the first ``free - 1``, then
    ``base``, doubling with each further failure, never more than ``most``."""
    if failures < free:
        return timedelta(0)
    doublings = min(failures - free, 30)
    wait: timedelta = min(base * (2**doublings), most)
    return wait


def seconds_until(moment: datetime, now: datetime) -> int:
    """Whole seconds to wait for ``moment`` (at least 1), for a Retry-After header."""
    return max(1, math.ceil((moment - now).total_seconds()))


@dataclass(slots=True)
class Bucket:
    """A token bucket: ``capacity`` attempts at once, refilled evenly over a minute."""

    capacity: float
    tokens: float
    updated: datetime

    def take(self, now: datetime) -> float:
        """Take a token; 0 when taken, else the seconds until one is there."""
        elapsed = max(0.0, (now - self.updated).total_seconds())
        self.tokens = min(self.capacity, self.tokens + elapsed * self.capacity / 60)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) * 60 / self.capacity


@dataclass(slots=True)
class _Address:
    bucket: Bucket
    failures: int = 0
    next_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class GuardLimits:
    per_address_per_minute: int
    per_minute: int
    address_failures_before_delay: int
    account_failures_before_delay: int
    delay_base: timedelta
    delay_most: timedelta
    hashing_slots: int


@dataclass
class SignInGuard:
    """The process's limits on sign-in attempts and its pool for password hashing."""

    limits: GuardLimits
    _addresses: dict[str, _Address] = field(default_factory=dict)
    _overall: Bucket | None = None
    _limiter: anyio.CapacityLimiter | None = None
    _admitted: int = 0

    def admit(self, address: str, now: datetime) -> None:
        """Let one attempt from ``address`` through, or raise :class:`TooManyAttemptsError`."""
        entry = self._address(address, now)
        if entry.next_at is not None and entry.next_at > now:
            raise TooManyAttemptsError(seconds_until(entry.next_at, now), "address")
        wait = entry.bucket.take(now)
        if wait:
            raise TooManyAttemptsError(math.ceil(wait), "address")
        if self._overall is None:
            per_minute = self.limits.per_minute
            self._overall = Bucket(per_minute, per_minute, now)
        wait = self._overall.take(now)
        if wait:
            raise TooManyAttemptsError(math.ceil(wait), "overall")

    def failed(self, address: str, now: datetime) -> None:
        """An attempt from ``address`` failed: its delay grows."""
        entry = self._address(address, now)
        entry.failures += 1
        limits = self.limits
        wait = backoff(
            entry.failures,
            free=limits.address_failures_before_delay,
            base=limits.delay_base,
            most=limits.delay_most,
        )
        entry.next_at = now + wait if wait else None

    def succeeded(self, address: str) -> None:
        """A sign-in from ``address`` succeeded: its failures are forgiven."""
        entry = self._addresses.get(address)
        if entry is not None:
            entry.failures = 0
            entry.next_at = None

    def _address(self, address: str, now: datetime) -> _Address:
        entry = self._addresses.get(address)
        if entry is not None and now - entry.bucket.updated > ADDRESS_MEMORY:
            entry = None
        if entry is None:
            if len(self._addresses) >= MAX_ADDRESSES:
                self._forget_quiet(now)
            capacity = self.limits.per_address_per_minute
            entry = _Address(Bucket(capacity, capacity, now))
            self._addresses[address] = entry
        return entry

    def _forget_quiet(self, now: datetime) -> None:
        quiet = [a for a, e in self._addresses.items() if now - e.bucket.updated > ADDRESS_MEMORY]
        for address in quiet:
            del self._addresses[address]
        if len(self._addresses) >= MAX_ADDRESSES:
            self._addresses.clear()

    @contextmanager
    def hashing_turn(self) -> Iterator[None]:
        """A place in the hashing pool or its queue for the block (a sign-in, from its first
        transaction to its last), or :class:`HashingBusyError` at once when there is none: an
        attempt turned away is turned away before it is counted."""
        if self._admitted >= self.limits.hashing_slots * (1 + QUEUE_PER_SLOT):
            raise HashingBusyError
        self._admitted += 1
        try:
            yield
        finally:
            self._admitted -= 1

    async def hash(self, work: Callable[[], T]) -> T:
        """Run ``work`` (an Argon2 hash or check) in a worker thread, at most ``hashing_slots``
        at once (the others wait their turn)."""
        if self._limiter is None:  # made here: it needs the running event loop
            self._limiter = anyio.CapacityLimiter(self.limits.hashing_slots)
        return await anyio.to_thread.run_sync(work, limiter=self._limiter)


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity, where the system tells), else all."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
