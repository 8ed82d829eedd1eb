"""How long the web app's main pages take to render, over real HTTP, on the demo clinic grown to
1,000 clients, against the trivial ``GET /api/health`` of the same server in the same run.

This process builds the database first (the demo clinic as ``corneum serve --demo`` seeds it,
then invented clients added through the clients service up to ``--clients``, a calendar and a
full day of appointments for the cosmetologist), then starts ``python -m corneum serve --demo``
over it in its own process on a loopback port, signs in through the log-in form as the
cosmetologist and requests each page one after another on one keep-alive connection (only the
standard library). The pages: today, a client search, the featured client's record, wizard,
assessment, plan, outcomes, a held session's protocol runner and the plan's handout; the
cosmetologist's week calendar and one of today's bookings with the free times to move it to.
Rounds alternate between the pages; the figures are the median and 95th percentile of every
request's time, from sending it to reading the whole page. Target (issue 5): every page under
100 ms at the median.

    .venv/bin/python benchmarks/bench_web.py [--clients 1000] [--requests 100] [--rounds 5]
"""

from __future__ import annotations

import argparse
import http.client
import random
import re
import statistics
import tempfile
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from corneum.db.engine import make_engine, session_factory
from corneum.db.migrate import upgrade
from corneum.knowledge import KnowledgeBase, default_knowledge_base
from corneum.records.accounts.tables import User
from corneum.records.calendar.bookings import service as calendar
from corneum.records.calendar.bookings.schemas import BookingCreate
from corneum.records.calendar.resources import service as resources
from corneum.records.calendar.resources.schemas import (
    CalendarSettingsWrite,
    DeviceCreate,
    HoursSpan,
    HoursWrite,
    RoomCreate,
)
from corneum.records.clients.schemas import ClientCreate, HistoryEntryCreate
from corneum.records.clients.service import add_history_entry, create_client
from corneum.records.clients.tables import Client
from corneum.records.clinic_time import clinic_clock
from corneum.records.consultations.tables import Consultation
from corneum.records.demo.data import CLIENTS, DEMO_PASSWORD, STAFF
from corneum.records.demo.service import seed_demo_clinic
from corneum.records.plans.tables import TreatmentPlan
from corneum.records.sessions.tables import TreatmentSession
from corneum.web.clients.pages import PAGE_SIZE
from served import HOST, server

BASELINE = "GET /api/health (baseline)"
PRACTITIONER = STAFF[2]
"""The cosmetologist, who holds most of the demo's plans."""
TARGET_MS = 100.0
WARM_UP_REQUESTS = 20
SEED = 5
GIVEN = ("Aino", "Bram", "Cleo", "Dorian", "Elva", "Fenna", "Griet", "Hugo", "Ilse", "Joris")
FAMILY_START = ("Ash", "Brook", "Carr", "Dal", "Ell", "Fair", "Gar", "Hol", "Ire", "Kest")
FAMILY_END = ("by", "field", "ford", "ham", "ley", "mere", "ridge", "ton", "well", "wick")
DAY_BOOKINGS = 8
PROCEDURE = "atraumatic_back_cleansing"


@dataclass(frozen=True)
class Timed:
    label: str
    path: str
    shows: str
    """Text the page must hold at least ``times`` times, or the figures would time a page that
    is not what its label says (an empty day, a search finding nobody)."""
    times: int = 1


@dataclass(frozen=True)
class Clinic:
    pages: tuple[Timed, ...]
    search_matches: int


def build_clinic(url: str, clients: int, today: date) -> Clinic:
    """The demo clinic with ``clients`` clients in all and today's appointments."""
    upgrade(url)
    engine = make_engine(url)
    kb = default_knowledge_base()
    try:
        with session_factory(engine).begin() as session:
            demo = seed_demo_clinic(session=session, kb=kb, today=today)
            practitioner = staff_member(session, PRACTITIONER.email)
            word = add_clients(session, demo.clinic_id, clients - len(CLIENTS), practitioner.id)
            open_calendar(session, demo.clinic_id, kb)
            booked = book_day(session, demo.clinic_id, kb, practitioner.id)
            return pages(session, demo.clinic_id, word, booked)
    finally:
        engine.dispose()


def staff_member(session: Session, email: str) -> User:
    user = session.scalar(select(User).where(User.email == email))
    assert user is not None, email
    return user


def add_clients(session: Session, clinic_id: int, count: int, actor: int) -> str:
    """Invented clients with contact details, skin and (for some) a condition; the most common
    of their given names, to search for."""
    rng = random.Random(SEED)
    names: Counter[str] = Counter()
    for n in range(count):
        given = rng.choice(GIVEN)
        names[given] += 1
        data = ClientCreate(
            given_name=given,
            family_name=rng.choice(FAMILY_START) + rng.choice(FAMILY_END),
            email=f"client{n}@example.com",
            phone=f"+44 20 7946 {n % 1000:04d}",
            date_of_birth=date(
                1960 + rng.randrange(45), 1 + rng.randrange(12), 1 + rng.randrange(28)
            ),
            skin_type=rng.choice(("oily", "combination", "dry", "normal", "sensitive")),
            phototype=1 + rng.randrange(6),
        )
        client = create_client(session=session, clinic_id=clinic_id, data=data, actor=actor)
        if rng.random() < 0.3:
            entry = HistoryEntryCreate(
                condition_code=rng.choice(("rosacea", "psoriasis", "eczema"))
            )
            add_history_entry(
                session=session, clinic_id=clinic_id, client_id=client.id, data=entry, actor=actor
            )
    return names.most_common(1)[0][0]


def open_calendar(session: Session, clinic_id: int, kb: KnowledgeBase) -> None:
    """A time zone, a room, a unit of every scheduled device, practitioners working 08-20."""
    zone = CalendarSettingsWrite(timezone="Europe/Madrid")
    resources.put_settings(session=session, clinic_id=clinic_id, data=zone)
    resources.create_room(session=session, clinic_id=clinic_id, data=RoomCreate(name="Room 1"))
    for kind in (equipment.code for equipment in kb.vocabulary.equipment if equipment.scheduled):
        device = DeviceCreate(kind=kind, name=f"{kind} 1")
        resources.create_device(session=session, clinic_id=clinic_id, data=device)
    spans = [
        HoursSpan.model_validate({"weekday": d, "starts": "08:00", "ends": "20:00"})
        for d in range(7)
    ]
    for spec in STAFF:
        if spec.role == "practitioner":
            user = staff_member(session, spec.email)
            resources.put_hours(
                session=session,
                clinic_id=clinic_id,
                practitioner_id=user.id,
                data=HoursWrite(spans=spans),
            )


def book_day(
    session: Session, clinic_id: int, kb: KnowledgeBase, practitioner_id: int
) -> list[int]:
    """The practitioner's day (the clinic's today) filled with back cleansings for the added
    clients, from its first free place on; the bookings' ids."""
    wall = clinic_clock(session, clinic_id)
    today = wall.local(datetime.now(UTC)).date()
    start = wall.utc(datetime.combine(today, datetime.min.time()))
    clients = session.scalars(
        select(Client.id).where(Client.clinic_id == clinic_id).order_by(Client.id.desc())
    ).all()
    booked: list[int] = []
    for client_id in clients[:DAY_BOOKINGS]:
        found = calendar.search_slots(
            session=session,
            clinic_id=clinic_id,
            kb=kb,
            procedure_id=PROCEDURE,
            start=start,
            end=start + timedelta(days=1),
            count=1,
            practitioner_id=practitioner_id,
        )
        if not found:
            break
        data = BookingCreate(
            client_id=client_id,
            procedure_id=PROCEDURE,
            start=wall.utc(found[0][0].start),
            practitioner_id=practitioner_id,
        )
        row = calendar.book(
            session=session, clinic_id=clinic_id, kb=kb, data=data, actor=None, now=start
        )
        booked.append(row.id)
    return booked


def pages(session: Session, clinic_id: int, word: str, booked: list[int]) -> Clinic:
    """The pages to time: the demo's longest-serving client's record, wizard, assessment,
    plan, session and outcomes; the practitioner's week and one of today's bookings."""
    featured = CLIENTS[0]
    client = session.scalar(
        select(Client).where(
            Client.clinic_id == clinic_id,
            Client.given_name == featured.given_name,
            Client.family_name == featured.family_name,
        )
    )
    assert client is not None
    consultation = session.scalar(
        select(Consultation.id).where(Consultation.client_id == client.id)
    )
    plan = session.scalar(select(TreatmentPlan).where(TreatmentPlan.client_id == client.id))
    held = session.scalar(
        select(TreatmentSession.id)
        .where(TreatmentSession.client_id == client.id, TreatmentSession.status == "completed")
        .order_by(TreatmentSession.id.desc())
    )
    assert plan is not None
    assert held is not None
    count = len(session.scalars(select(Client.id).where(Client.given_name == word)).all())
    record = f"/clients/{client.id}"
    shown = min(count, PAGE_SIZE)
    timed = (
        Timed(f"today ({len(booked)} appointments)", "/", 'href="/clients/', len(booked)),
        Timed(f"client search ({shown} shown)", f"/clients?q={word}", "<tr data-client-id=", shown),
        Timed("client record", record, f'href="{record}/consultations/new"'),
        Timed("consultation wizard", f"{record}/consultations/new", 'type="checkbox"', 20),
        Timed("assessment", f"/consultations/{consultation}", "<cite>", 10),
        Timed("plan", f"/plans/{plan.id}", 'name="first_day"'),
        Timed(
            f"calendar week ({len(booked)} booked)",
            "/calendar",
            'class="booking-block"',
            len(booked),
        ),
        Timed("booking (free times to move to)", f"/calendar/bookings/{booked[0]}", "Move here"),
        Timed("protocol runner", f"/sessions/{held}/run", 'class="lot"'),
        Timed("outcomes (charts, table)", f"{record}/outcomes", 'class="chart-point"', 3),
        Timed("handout of the plan", f"/plans/{plan.id}/handout", "<cite>", 5),
    )
    return Clinic(timed, count)


class Visitor:
    """One browser's worth of HTTP: a keep-alive connection and the cookies it was given."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection(HOST, port, timeout=30)
        self.cookies: dict[str, str] = {}

    def send(self, method: str, path: str, body: str | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";")[0].partition("=")
            self.cookies[name] = value
        return response.status, text

    def log_in(self, email: str, password: str) -> None:
        _, form = self.send("GET", "/login")
        found = re.search(r'name="csrf_token" value="([^"]+)"', form)
        assert found is not None, "the log-in page has no CSRF token"
        fields = {"csrf_token": found[1], "email": email, "password": password, "next": "/"}
        status, _ = self.send("POST", "/login", urllib.parse.urlencode(fields))
        if status != 303:
            raise SystemExit(f"signing in answered {status}")

    def time_ms(self, path: str) -> float:
        start = time.perf_counter()
        status, _ = self.send("GET", path)
        elapsed = (time.perf_counter() - start) * 1000
        if status != 200:
            raise SystemExit(f"GET {path} answered {status}")
        return elapsed


def check(visitor: Visitor, page: Timed) -> None:
    status, text = visitor.send("GET", page.path)
    if status != 200 or text.count(page.shows) < page.times:
        raise SystemExit(f"{page.label}: {page.path} does not show {page.shows!r} x{page.times}")


def measure(visitor: Visitor, clinic: Clinic, args: argparse.Namespace) -> None:
    for page in clinic.pages:
        check(visitor, page)
    timed = {BASELINE: "/api/health"} | {page.label: page.path for page in clinic.pages}
    samples: dict[str, list[float]] = {label: [] for label in timed}
    for path in timed.values():
        for _ in range(WARM_UP_REQUESTS):
            visitor.time_ms(path)
    for _ in range(args.rounds):
        for label, path in timed.items():
            samples[label] += [visitor.time_ms(path) for _ in range(args.requests)]
    print(
        f"{args.rounds} rounds of {args.requests} requests per page, one after another on one "
        f"keep-alive connection; {args.clients} clients, the search matching "
        f"{clinic.search_matches} (the page shows at most 50)"
    )
    base = statistics.median(samples[BASELINE])
    slowest = 0.0
    for label, times in samples.items():
        median = statistics.median(times)
        p95 = statistics.quantiles(times, n=20)[18]
        print(f"  {label:<34} median {median:6.2f} ms   p95 {p95:6.2f} ms   x{median / base:5.1f}")
        if label != BASELINE:
            slowest = max(slowest, median)
    verdict = "met" if slowest < TARGET_MS else "MISSED"
    print(f"  slowest page median {slowest:.1f} ms  (target < {TARGET_MS:.0f} ms: {verdict})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=1000, help="clients in the clinic")
    parser.add_argument("--requests", type=int, default=100, help="per page and round")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="corneum-bench-") as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        clinic = build_clinic(url, args.clients, datetime.now(UTC).date())
        with server(Path(folder), url) as port:
            print(f"server: python -m corneum serve --demo on {HOST}:{port} (SQLite, one process)")
            visitor = Visitor(port)
            visitor.log_in(PRACTITIONER.email, DEMO_PASSWORD)
            measure(visitor, clinic, args)


if __name__ == "__main__":
    main()
