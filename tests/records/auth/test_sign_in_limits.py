"""The per-address count of sign-in attempts, in the service itself: parallel attempts, each in
its own transaction on its own connection, take the address's row lock in turn, so exactly the
limit's number pass before the wait starts, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from uuid import uuid4

from sqlalchemy import Engine

from corneum.db.engine import request_session_factory
from corneum.records.auth import service
from corneum.records.auth.guard import TooManyAttemptsError

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
LIMITS = service.AccountLimits(failures_before_delay=5, most_delay=timedelta(minutes=15))
PARALLEL = 20


def test_parallel_attempts_pass_the_count_one_at_a_time(engine: Engine) -> None:
    email = f"{uuid4().hex[:12]}@nowhere.example"
    sessions = request_session_factory(engine)  # as the app's: BEGIN IMMEDIATE on SQLite
    start = threading.Barrier(PARALLEL)

    def attempt(_: int) -> str:
        start.wait(timeout=30)
        try:
            with sessions.begin() as session:
                service.begin_attempt(
                    session=session, email=email, code=None, now=NOW, limits=LIMITS
                )
        except TooManyAttemptsError as exc:
            return f"wait {exc.retry_after}"
        return "counted"

    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        outcomes = list(pool.map(attempt, range(PARALLEL)))

    assert outcomes.count("counted") == 5
    assert outcomes.count("wait 30") == PARALLEL - 5
