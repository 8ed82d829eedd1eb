"""Booking throughput on PostgreSQL, through the service with real transactions, as a ratio to
pgbench's simple-update TPS on the same server in the same run.

    CORNEUM_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test \\
        .venv/bin/python benchmarks/bench_booking.py [--rounds 3] [--bookings 300]

Each round books ``--bookings`` sessions one after another (one transaction each: checks,
booking, holds, history, audit, reminder) into a fresh database; pgbench runs
``-N -T 10 -c 2`` on its own throwaway database. Medians are printed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.conftest import throwaway_postgres_database

from corneum.db.engine import make_engine, session_factory
from corneum.db.migrate import upgrade
from corneum.knowledge import default_knowledge_base
from corneum.records.accounts.schemas import ClinicCreate, UserCreate
from corneum.records.accounts.service import create_clinic, create_user
from corneum.records.calendar.bookings import service
from corneum.records.calendar.bookings.schemas import BookingCreate
from corneum.records.calendar.resources import service as resources
from corneum.records.calendar.resources.schemas import HoursSpan, HoursWrite, RoomCreate
from corneum.records.clients.schemas import ClientCreate
from corneum.records.clients.service import create_client

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
PRACTITIONERS = 20
ROOMS = 10


def seed(url: str) -> tuple[int, int]:
    """A clinic of 20 practitioners on 08:00-20:00 every day, 10 rooms, one client."""
    sessions = session_factory(make_engine(url))
    with sessions() as session, session.begin():
        clinic = create_clinic(session=session, data=ClinicCreate(name="Bench"))
        hours = HoursWrite(
            spans=[HoursSpan(weekday=d, starts="08:00", ends="20:00") for d in range(7)]
        )
        for n in range(PRACTITIONERS):
            user = create_user(
                session=session,
                clinic_id=clinic.id,
                data=UserCreate.model_validate(
                    {
                        "email": f"p{n}@bench.example.org",
                        "password": "a long bench password",
                        "role": "practitioner",
                        "qualifications": ["cosmetologist", "doctor"],
                    }
                ),
                actor=None,
            )
            resources.put_hours(
                session=session, clinic_id=clinic.id, practitioner_id=user.id, data=hours
            )
        for n in range(ROOMS):
            resources.create_room(
                session=session, clinic_id=clinic.id, data=RoomCreate(name=f"R{n}")
            )
        client = create_client(
            session=session,
            clinic_id=clinic.id,
            data=ClientCreate(given_name="A", family_name="B", email="a@example.org"),
            actor=None,
        )
        return clinic.id, client.id


def bookings_per_second(server: str, count: int) -> float:
    kb = default_knowledge_base()
    with throwaway_postgres_database(server) as url:
        upgrade(url)
        clinic_id, client_id = seed(url.render_as_string(hide_password=False))
        engine = make_engine(url)
        sessions = session_factory(engine)
        start = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
        began = time.perf_counter()
        for n in range(count):
            day, slot = divmod(n, 8 * ROOMS)
            at = start + timedelta(days=day, minutes=45 * (slot // ROOMS))
            with sessions() as session, session.begin():
                service.book(
                    session=session,
                    clinic_id=clinic_id,
                    kb=kb,
                    data=BookingCreate(client_id=client_id, procedure_id="chemical_peel", start=at),
                    actor=None,
                    now=NOW,
                )
        elapsed = time.perf_counter() - began
        engine.dispose()
        return count / elapsed


def pgbench_tps(server: str) -> float | None:
    if shutil.which("pgbench") is None:
        return None
    with throwaway_postgres_database(server) as url:
        target = url.set(drivername="postgresql").render_as_string(hide_password=False)
        run = {"check": True, "capture_output": True, "text": True}
        subprocess.run(["pgbench", "-i", "-q", target], **run)  # type: ignore[call-overload]
        done = subprocess.run(["pgbench", "-N", "-T", "10", "-c", "2", target], **run)  # type: ignore[call-overload]
        match = re.search(r"tps = ([0-9.]+)", done.stdout)
        return float(match[1]) if match else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--bookings", type=int, default=300)
    args = parser.parse_args()
    server = os.environ.get("CORNEUM_TEST_POSTGRES_URL")
    if not server:
        sys.exit("set CORNEUM_TEST_POSTGRES_URL to a PostgreSQL server")
    ours = statistics.median(bookings_per_second(server, args.bookings) for _ in range(args.rounds))
    print(f"bookings/s through the service (median of {args.rounds}): {ours:.1f}")
    tps = pgbench_tps(server)
    if tps is None:
        print("pgbench is missing (or gave no TPS): only our figure is shown")
        return
    print(f"pgbench -N -T 10 -c 2 TPS: {tps:.1f}")
    print(f"ratio: {ours / tps:.3f}")


if __name__ == "__main__":
    main()
