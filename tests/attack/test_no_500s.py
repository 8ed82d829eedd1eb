"""Requests that once answered 500: each gets a clear 4xx naming the field (the API: 422 with its
path; the web: a page saying what to change), or the server refuses to start naming the problem."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image
from sqlalchemy import update
from sqlalchemy.engine import URL

from corneum.db.engine import make_engine
from corneum.db.migrate import upgrade
from corneum.records.calendar.bookings.tables import Booking
from corneum.records.sessions.tables import TreatmentSession
from tests.api import builders, calendar_builders
from tests.api.conftest import FakeClock, LiveApi, free_port, seed
from tests.api.images import png
from tests.cli.processes import TIMEOUT_S, environment, run, wait_for
from tests.conftest import BACKENDS, new_database
from tests.web.browser import Browser

FAR = ("9999-12-31", "0001-01-01")


def fields_of(response: httpx.Response) -> list[str]:
    assert response.status_code == 422, (response.status_code, response.text)
    return [problem["field"] for problem in response.json()["detail"]]


def test_a_nul_byte_in_a_client_search_is_refused_naming_the_field(api: LiveApi) -> None:
    with Browser(api) as browser:
        browser.log_in("practitioner")
        page = browser.get("/clients", params={"q": "Vera\x00"})
    assert page.status_code == 422, page.text
    assert "q" in page.text
    assert "NUL" in page.text


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/slots", {"procedure_id": "chemical_peel\x00"}, "procedure_id"),
        ("/api/audit", {"resource": "client\x00"}, "resource"),
        ("/api/clients", {"offset": "0", "note\x00": "x"}, "note\\x00"),
    ],
)
def test_a_nul_byte_anywhere_in_a_query_string_is_422_naming_the_parameter(
    api: LiveApi, path: str, params: dict[str, str], field: str
) -> None:
    with api.as_("admin") as http:
        response = http.get(path, params=params)
    assert fields_of(response) == [field]


@pytest.mark.parametrize("day", FAR)
def test_the_calendar_of_a_week_far_out_of_range_is_refused(api: LiveApi, day: str) -> None:
    calendar_builders.ensure_calendar(api)
    client_id = builders.new_client(api)
    with Browser(api) as browser:
        browser.log_in("practitioner")
        week = browser.get("/calendar", params={"week": day})
        slots = browser.get(
            "/calendar/slots",
            params={"client": str(client_id), "procedure": "chemical_peel", "day": day},
        )
    assert week.status_code == 422, week.text
    assert "Give a date between 1900 and 2999." in week.text
    assert slots.status_code == 422, slots.text
    assert "Give a date between 1900 and 2999." in slots.text
    with api.as_("reception") as http:
        bookings = http.get(
            "/api/bookings", params={"start": f"{day}T00:00:00Z", "end": "2027-01-01T00:00:00Z"}
        )
        found = http.get(
            "/api/slots",
            params={
                "procedure_id": "chemical_peel",
                "start": f"{day}T00:00:00+00:00",
                "end": f"{day}T23:00:00+00:00",
            },
        )
    assert fields_of(bookings) == ["start"]
    assert "start" in fields_of(found)


def test_sessions_and_bookings_in_the_year_9999_are_refused(api: LiveApi) -> None:
    plan_id = builders.new_plan(api, builders.new_client(api))
    body = calendar_builders.booking_body(api, plan_id, start="9999-12-31T10:00:00+00:00")
    practitioner = builders.user_id(api, "practitioner")
    with api.as_("practitioner") as http:
        session = http.post(
            f"/api/plans/{plan_id}/sessions",
            json={"practitioner_id": practitioner, "scheduled_at": "9999-12-31T10:00:00Z"},
        )
        booking = http.post("/api/bookings", json=body)
    assert fields_of(session) == ["scheduled_at"]
    assert fields_of(booking) == ["start"]


def test_working_hours_with_a_utc_offset_are_refused_naming_the_field(api: LiveApi) -> None:
    practitioner = builders.user_id(api, "practitioner")
    hours: dict[str, Any] = {
        "spans": [{"weekday": 0, "starts": "08:00+05:00", "ends": "12:00"}],
        "days_off": [],
    }
    with api.as_("admin") as http:
        response = http.put(f"/api/practitioners/{practitioner}/hours", json=hours)
    assert fields_of(response) == ["spans.0.starts"]


@pytest.mark.parametrize("at", ["9999-12-31 23:30:00+00:00", "0001-01-01 00:00:00+00:00"])
def test_the_runner_page_of_a_session_stored_at_the_end_of_time_still_opens(
    api: LiveApi, at: str
) -> None:
    """Such a session can no longer be made, but one stored before (or by hand) must not break
    the page that runs it, in a clinic whose zone (Madrid) would push it past the edge."""
    calendar_builders.ensure_calendar(api)
    session_id = builders.new_session(api, builders.new_plan(api, builders.new_client(api)))
    engine = make_engine(api.database_url)
    try:
        with engine.begin() as connection:
            connection.execute(
                update(TreatmentSession)
                .where(TreatmentSession.id == session_id)
                .values(scheduled_at=datetime.fromisoformat(at))
            )
    finally:
        engine.dispose()
    with Browser(api) as browser:
        browser.log_in("practitioner")
        page = browser.get(f"/sessions/{session_id}/run")
        today = browser.get("/")
    assert page.status_code == 200, page.text
    assert today.status_code == 200, today.text


def test_a_booking_stored_at_the_end_of_time_opens_and_runs(api: LiveApi) -> None:
    plan_id = builders.new_plan(api, builders.new_client(api))
    booking = calendar_builders.new_booking(api, plan_id)
    engine = make_engine(api.database_url)
    try:
        with engine.begin() as connection:
            connection.execute(
                update(Booking)
                .where(Booking.id == booking["id"])
                .values(
                    starts_at=datetime.fromisoformat("9999-12-31 09:00:00+00:00"),
                    ends_at=datetime.fromisoformat("9999-12-31 10:20:00+00:00"),
                )
            )
    finally:
        engine.dispose()
    with Browser(api) as browser:
        browser.log_in("practitioner")
        shown = browser.get(f"/calendar/bookings/{booking['id']}")
        ran = browser.submit(
            f"/calendar/bookings/{booking['id']}", f"/bookings/{booking['id']}/run", {}
        )
        runner = browser.get(ran.headers.get("location", "/"))
    assert shown.status_code == 200, shown.text
    assert ran.status_code in {303, 409, 422}, ran.text
    assert runner.status_code == 200, runner.text


@pytest.fixture(params=BACKENDS)
def seeded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[URL, dict[str, str]]]:
    with new_database(request.param, tmp_path_factory) as url:
        upgrade(url)
        yield url, seed(url, request.param)


def noise_png(side: int = 160) -> bytes:
    """A PNG of random pixels: it does not compress, so it takes ~75 KB on any disk."""
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(out, format="PNG")
    return out.getvalue()


def test_a_full_photo_disk_is_507_and_leaves_no_partial_file(
    seeded: tuple[URL, dict[str, str]], tmp_path: Path
) -> None:
    """The server runs in its own mount namespace with the photo folder on a 16 KiB tmpfs: a real
    disk that fills up, gone with the process."""
    url, emails = seeded
    photos = tmp_path / "photos"
    photos.mkdir()
    probe = ["unshare", "-m", "sh", "-c", f"mount -t tmpfs -o size=16k tmpfs {photos}"]
    if shutil.which("unshare") is None or subprocess.run(probe, check=False).returncode != 0:
        pytest.skip("needs unshare and mount (root): a small real disk for the photos")
    port = free_port()
    script = 'mount -t tmpfs -o size=16k tmpfs "$0" && exec "$@"'
    command = ["unshare", "-m", "sh", "-c", script, str(photos)]
    command += [sys.executable, "-m", "corneum", "serve", "--port", str(port)]
    env = environment(url, photo_dir=str(photos))
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _answers(base, server), "the server", timeout=TIMEOUT_S)
        api = LiveApi(base, url, FakeClock(), emails)
        session_id = builders.new_session(api, builders.new_plan(api, builders.new_client(api)))
        with api.as_("practitioner") as http:
            path = f"/api/sessions/{session_id}/photos"
            form = {"area": "back", "moment": "before"}
            full = http.post(path, data=form, files={"file": ("a.png", noise_png(), "image/png")})
            fits = http.post(path, data=form, files={"file": ("b.png", png(), "image/png")})
            listed = http.get(path)
        inside = subprocess.run(
            ["nsenter", "-t", str(server.pid), "-m", "ls", "-A", str(photos)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    finally:
        server.terminate()
        _, err = server.communicate(timeout=TIMEOUT_S)
    assert full.status_code == 507, full.text
    assert "full" in full.json()["detail"]
    assert fits.status_code == 201, fits.text
    assert [photo["id"] for photo in listed.json()] == [fits.json()["id"]]
    stem = inside[0].split(".")[0]  # the photo that fitted and its thumbnail, nothing else
    assert sorted(inside) == [f"{stem}.png", f"{stem}.thumb.jpg"], f"a partial file: {inside}"
    assert b"Traceback" not in err


def _answers(base: str, server: subprocess.Popen[bytes]) -> bool:
    assert server.poll() is None, "the server exited"
    try:
        return httpx.get(f"{base}/api/health", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


def corrupt(path: Path) -> None:
    """Overwrite every page but the first (the schema) with garbage, as a failing disk might."""
    page = 4096
    size = path.stat().st_size
    assert size > 4 * page, "too small a database to corrupt its pages"
    with path.open("r+b") as file:
        file.seek(page)
        file.write(b"\x55" * (size - page))


def test_serve_refuses_a_sqlite_file_with_corrupt_pages_and_db_check_names_it(
    tmp_path: Path,
) -> None:
    database = tmp_path / "clinic.sqlite3"
    url = URL.create("sqlite", database=str(database))
    upgrade(url)
    seed(url, "sqlite")
    env = environment(url)
    healthy = run(env, "db", "check")
    corrupt(database)
    checked = run(env, "db", "check")
    served = run(env, "serve", "--port", str(free_port()))

    assert healthy.returncode == 0, healthy.stderr
    assert healthy.stdout.startswith("database ok")
    for result in (checked, served):
        assert result.returncode == 1, result.stdout + result.stderr
        (line,) = result.stderr.strip().splitlines()
        assert "is damaged" in line
        assert str(database) in line
        assert "corneum restore" in line


def test_db_check_passes_a_sound_database(seeded: tuple[URL, dict[str, str]]) -> None:
    url, _ = seeded
    checked = run(environment(url), "db", "check")
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith("database ok")
