"""Guessing one practitioner's password in parallel, and trying to lock her out of her day.

Thirty wrong passwords for her address at the same moment (released together by a barrier)
against ``corneum serve``, with the address limits opened wide so only the account's own limit
stands. At most the limit's five may be checked: each attempt is counted under a lock on the
address's row before its password is checked. The rest are refused 429 with the wait, which
grows (30 s, then doubling) rather than a flat lock. The owner has her authenticator app: her
password with its current code gets her in at once all the same; her password alone does not,
nor does a code used before.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pyotp
import pytest
from sqlalchemy import select

from corneum.db.engine import make_engine, session_factory
from corneum.records.audit.tables import AuditEvent
from corneum.records.auth.service import email_key
from corneum.records.auth.tables import SignInLimit
from tests.api.conftest import PASSWORD
from tests.attack.server import Served, corneum_serve
from tests.conftest import BACKENDS, new_database

PARALLEL = 30
LIMIT = 5
OPEN_ADDRESS = {
    "CORNEUM_SIGN_IN_PER_ADDRESS_PER_MINUTE": "1000",
    "CORNEUM_SIGN_IN_ADDRESS_FAILURES_BEFORE_DELAY": "1000",
    "CORNEUM_SIGN_IN_FAILURES_BEFORE_DELAY": str(LIMIT),
    "CORNEUM_HASHING_SLOTS": str(PARALLEL // 3),
}
"""Only the account's limit stands, and the hashing pool (with its queue) takes all thirty, so
no attempt is turned away (503) before it is counted."""


@pytest.fixture(params=BACKENDS)
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> Iterator[Served]:
    with (
        new_database(request.param, tmp_path_factory) as url,
        corneum_serve(url, request.param, tmp_path, OPEN_ADDRESS) as server,
    ):
        yield server


def enrol_second_factor(served: Served, token: str) -> str:
    """The practitioner sets up her authenticator app (signed in on her tablet); its secret."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=served.base_url, headers=headers, timeout=30) as http:
        setup = http.post("/api/auth/second-factor")
        assert setup.status_code == 200, setup.text
        secret: str = setup.json()["secret"]
        assert setup.json()["otpauth_uri"].startswith("otpauth://totp/Corneum:")
        confirmed = http.post("/api/auth/second-factor/confirm", json={"code": code(secret)})
        assert confirmed.status_code == 200, confirmed.text
        assert confirmed.json()["second_factor"] is True
    return secret


def code(secret: str, offset_steps: int = 0) -> str:
    return pyotp.TOTP(secret).at(datetime.now(UTC).timestamp() + 30 * offset_steps)


def sign_in(served: Served, password: str, one_time_code: str | None = None) -> httpx.Response:
    body = {"email": served.emails["practitioner"], "password": password}
    if one_time_code is not None:
        body["code"] = one_time_code
    return httpx.post(f"{served.base_url}/api/auth/token", json=body, timeout=60)


def race(served: Served) -> list[httpx.Response]:
    start = threading.Barrier(PARALLEL)

    def guess(n: int) -> httpx.Response:
        start.wait(timeout=30)
        return sign_in(served, f"wrong guess number {n}")

    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        return list(pool.map(guess, range(PARALLEL)))


def checked_in_database(served: Served) -> tuple[int, int]:
    """Wrong passwords audited for the practitioner, and her address's counted failures."""
    engine = make_engine(served.database_url)
    try:
        with session_factory(engine)() as session:
            wrong = session.scalars(
                select(AuditEvent).where(AuditEvent.action == "login_failed")
            ).all()
            limit = session.get(SignInLimit, email_key(served.emails["practitioner"]))
            failures = limit.failures if limit is not None else 0
            return sum(e.detail == {"reason": "wrong_password"} for e in wrong), failures
    finally:
        engine.dispose()


def test_thirty_parallel_guesses_check_at_most_five_and_the_owner_still_gets_in(
    served: Served,
) -> None:
    tablet = served.token("practitioner")  # she signed in this morning
    began = time.monotonic()
    statuses = [response.status_code for response in race(served)]

    assert set(statuses) <= {401, 429}, statuses
    assert statuses.count(401) <= LIMIT
    assert statuses.count(429) >= PARALLEL - LIMIT
    assert checked_in_database(served) == (statuses.count(401), statuses.count(401))
    waits = [int(r.headers["Retry-After"]) for r in (sign_in(served, PASSWORD),)]
    assert 1 <= waits[0] <= 31, "a growing delay, starting at 30 s: not a 15-minute lock"

    # Her password alone waits like everyone's; with a code from her app she is in at once.
    assert sign_in(served, PASSWORD).status_code == 429
    secret = enrol_second_factor(served, tablet)
    used = code(secret, 1)  # the next step's: this one's went on confirming the set-up
    owner = sign_in(served, PASSWORD, used)
    assert owner.status_code == 200, owner.text
    assert owner.json()["access_token"]
    # A code is good once: the same one again is refused, even with the right password.
    replayed = sign_in(served, PASSWORD, used)
    assert replayed.status_code == 401
    assert time.monotonic() - began < 60
