"""``corneum worker`` as a clinic runs it: its own process, on each database, sending to a real
SMTP server on loopback.

Reminders go out once each; an SMTP server that is down is a recorded failure retried with a
doubling, capped delay while the worker keeps running; a worker killed with SIGKILL in the middle
of a batch loses none (at most the one message under way goes out twice: the guarantee is at
least once, see :mod:`corneum.records.reminders.service`).
"""

from __future__ import annotations

import signal
import subprocess
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker

from corneum.db.engine import make_engine, session_factory
from corneum.db.migrate import upgrade
from corneum.knowledge import KnowledgeBase
from corneum.records.accounts.schemas import ClinicCreate
from corneum.records.accounts.service import create_clinic
from corneum.records.reminders.service import MAX_ATTEMPTS, UNFINISHED
from corneum.records.reminders.tables import OutboxMessage
from tests.api.conftest import free_port
from tests.cli.processes import TIMEOUT_S, Inbox, environment, run, smtp_server, start, wait_for
from tests.conftest import BACKENDS, new_database
from tests.records.calendar.test_reminders import booked

FAST_RETRY = {
    "reminder_retry_seconds": "0.5",
    "reminder_retry_max_seconds": "2",
    "reminder_lease_seconds": "1",
    "smtp_timeout_seconds": "5",
}


@pytest.fixture(params=BACKENDS)
def database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[URL, sessionmaker[Session]]]:
    with new_database(request.param, tmp_path_factory) as url:
        upgrade(url)
        engine = make_engine(url)
        try:
            yield url, session_factory(engine)
        finally:
            engine.dispose()


def queue(sessions: sessionmaker[Session], count: int) -> list[str]:
    """``count`` reminders due a minute ago, each to its own address; the addresses."""
    due = datetime.now(UTC) - timedelta(minutes=1)
    addresses = [f"client{number:02d}@example.org" for number in range(count)]
    with sessions.begin() as session:
        clinic = create_clinic(session=session, data=ClinicCreate(name="Outbox Clinic"))
        for address in addresses:
            session.add(
                OutboxMessage(
                    clinic_id=clinic.id,
                    booking_id=None,
                    recipient=address,
                    subject="Your appointment at Outbox Clinic",
                    body="This is a reminder of your appointment.\r\n",
                    due_at=due,
                    next_attempt_at=due,
                )
            )
    return addresses


def rows(sessions: sessionmaker[Session]) -> list[OutboxMessage]:
    with sessions() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def stop(process: subprocess.Popen[str]) -> tuple[int, str]:
    """SIGTERM, then the exit code and everything the worker printed."""
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=TIMEOUT_S)
    return process.returncode, out + err


def test_the_installed_worker_sends_each_due_reminder_once(
    database: tuple[URL, sessionmaker[Session]], kb: KnowledgeBase
) -> None:
    url, sessions = database
    booked(sessions, kb)  # a real booking's reminder, due since 29 November 2026
    addresses = ["ana@example.org", *queue(sessions, 5)]
    port = free_port()
    env = environment(url, smtp_host="127.0.0.1", smtp_port=str(port), **FAST_RETRY)
    with smtp_server(port, Inbox()) as inbox:
        first = run(env, "worker", "--once")
        second = run(env, "worker", "--once")

    assert first.returncode == 0, first.stderr
    assert "6 sent, 0 failed" in first.stdout
    assert second.returncode == 0, second.stderr
    assert second.stdout == ""
    assert sorted(inbox.recipients()) == sorted(addresses)
    assert all(len(envelope.rcpt_tos) == 1 for envelope in inbox.received)
    assert all(row.sent_at is not None and row.attempts == 1 for row in rows(sessions))
    assert "@" not in first.stdout + first.stderr, "an address reached the output"


def test_smtp_down_is_recorded_and_retried_with_a_capped_doubling_delay(
    database: tuple[URL, sessionmaker[Session]],
) -> None:
    url, sessions = database
    (address,) = queue(sessions, 1)
    port = free_port()  # nobody listens there yet
    env = environment(url, smtp_host="127.0.0.1", smtp_port=str(port), **FAST_RETRY)
    worker = start(env, "worker", "--interval", "0.1")
    try:
        seen: dict[int, datetime] = {}

        def failures_noted() -> bool:
            (row,) = rows(sessions)
            assert worker.poll() is None, "the worker exited while SMTP was down"
            if row.last_error not in (None, UNFINISHED):
                assert row.last_error == "ConnectionRefusedError"
                seen[row.attempts] = row.next_attempt_at
            return len(seen) >= 4

        wait_for(failures_noted, "four failed attempts")
        waits = [(seen[n + 1] - seen[n]).total_seconds() for n in (1, 2, 3)]
        # Each try comes no sooner than the last one allowed, then waits 1 s, 2 s, 2 s (the cap).
        assert waits[0] >= 1.0
        assert waits[1] >= 2.0
        assert 2.0 <= waits[2] < 3.5, "the delay went past its cap"

        with smtp_server(port, Inbox()) as inbox:
            wait_for(lambda: rows(sessions)[0].sent_at is not None, "the retry after SMTP is up")
        code, output = stop(worker)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()

    assert code == 0, output
    assert inbox.recipients() == [address]
    (row,) = rows(sessions)
    assert row.last_error is None
    assert row.attempts >= 5
    assert "Traceback" not in output
    assert "@" not in output, "an address reached the output"


def test_a_worker_killed_mid_batch_loses_no_reminder(
    database: tuple[URL, sessionmaker[Session]],
) -> None:
    url, sessions = database
    addresses = queue(sessions, 10)
    port = free_port()
    env = environment(url, smtp_host="127.0.0.1", smtp_port=str(port), **FAST_RETRY)
    with smtp_server(port, Inbox(delay=0.3)) as inbox:
        first = start(env, "worker", "--interval", "0.1")
        try:
            wait_for(lambda: len(inbox.received) >= 3, "the first reminders")
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=TIMEOUT_S)
        finally:
            if first.poll() is None:
                first.kill()
        unsent = [row for row in rows(sessions) if row.sent_at is None]
        assert unsent, "the batch was over before the kill: nothing was tested"

        second = start(env, "worker", "--interval", "0.1")
        try:
            wait_for(
                lambda: all(row.sent_at is not None for row in rows(sessions)),
                "every reminder to be sent after the restart",
            )
            code, output = stop(second)
        finally:
            if second.poll() is None:
                second.kill()
                second.wait()

    assert code == 0, output
    received = Counter(inbox.recipients())
    assert set(received) == set(addresses), "a reminder was lost"
    twice = [address for address, count in received.items() if count > 1]
    assert len(twice) <= 1, f"more than the one message under way went out twice: {twice}"
    assert all(row.attempts < MAX_ATTEMPTS for row in rows(sessions))


def test_a_stored_recipient_that_is_not_one_address_is_given_up_not_split(
    database: tuple[URL, sessionmaker[Session]],
) -> None:
    """A row written before addresses were validated may hold two; the worker sends to nobody
    rather than to both, and leaves it for a person (attempts at the maximum)."""
    url, sessions = database
    (address,) = queue(sessions, 1)
    with sessions.begin() as session:
        row = session.scalars(select(OutboxMessage)).one()
        row.recipient = f"{address},eve@example.org"
    port = free_port()
    env = environment(url, smtp_host="127.0.0.1", smtp_port=str(port), **FAST_RETRY)
    with smtp_server(port, Inbox()) as inbox:
        first = run(env, "worker", "--once")
        second = run(env, "worker", "--once")
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    assert inbox.received == []
    (row,) = rows(sessions)
    assert (row.sent_at, row.attempts, row.last_error) == (None, MAX_ATTEMPTS, "InvalidRecipient")
