"""The calendar over real HTTP: booking and its conflicts, 50 requests racing for one slot,
courses, and the iCalendar feeds parsed by an independent parser."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime

import httpx
import icalendar
from sqlalchemy import func, select

from corneum.db.engine import make_engine, session_factory
from corneum.records.calendar.bookings.tables import Booking, BookingEvent, BookingHold
from tests.api import builders, calendar_builders
from tests.api.conftest import LiveApi

RACERS = 50


def test_fifty_requests_for_one_slot_make_exactly_one_booking(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    plan_id = builders.new_plan(api, client_id)
    body = calendar_builders.booking_body(api, plan_id, start="2027-03-01T10:00:00+01:00")
    body["practitioner_id"] = builders.user_id(api, "practitioner")
    headers = api.headers("reception")
    gate = threading.Barrier(RACERS, timeout=30)

    def race(_: int) -> httpx.Response:
        with httpx.Client(base_url=api.base_url, headers=headers, timeout=60) as http:
            gate.wait()
            return http.post("/api/bookings", json=body)

    with ThreadPoolExecutor(RACERS) as pool:
        responses = list(pool.map(race, range(RACERS)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * (RACERS - 1), statuses
    refusal = next(r.json() for r in responses if r.status_code == 409)
    assert "2027-03-01 10:00" in refusal["detail"], refusal
    assert "practitioner" in refusal["detail"] or "room" in refusal["detail"], refusal
    engine = make_engine(api.database_url)
    try:
        with session_factory(engine)() as session:
            ids = list(session.scalars(select(Booking.id).where(Booking.plan_id == plan_id)))
            assert len(ids) == 1
            holds = select(func.count()).where(BookingHold.booking_id == ids[0])
            events = select(func.count()).where(BookingEvent.booking_id == ids[0])
            assert (session.scalar(holds), session.scalar(events)) == (2, 1)
    finally:
        engine.dispose()


def test_reception_books_moves_and_cancels_with_history(api: LiveApi) -> None:
    plan_id = builders.new_plan(api, builders.new_client(api))
    made = calendar_builders.new_booking(api, plan_id)
    assert (made["status"], made["version"], made["device_ids"]) == ("booked", 1, {})
    later = calendar_builders.unique_start()
    with api.as_("reception") as http:
        moved = http.post(f"/api/bookings/{made['id']}/reschedule", json={"start": later})
        assert moved.status_code == 200, moved.text
        stale = http.post(f"/api/bookings/{made['id']}/cancel", json={"version": 1})
        assert stale.status_code == 409
        assert stale.json()["field"] == "version"
        cancelled = http.post(f"/api/bookings/{made['id']}/cancel", json={"version": 2})
        assert cancelled.json()["status"] == "cancelled"
        detail = http.get(f"/api/bookings/{made['id']}").json()
    assert [e["action"] for e in detail["history"]] == ["create", "reschedule", "cancel"]
    assert datetime.fromisoformat(detail["history"][1]["new_starts_at"]) == datetime.fromisoformat(
        later
    )


def test_a_taken_slot_is_409_naming_the_practitioner_and_time(api: LiveApi) -> None:
    plan_id = builders.new_plan(api, builders.new_client(api))
    first = calendar_builders.new_booking(api, plan_id)
    body = {
        "plan_id": plan_id,
        "start": first["start"],
        "practitioner_id": first["practitioner_id"],
    }
    with api.as_("reception") as http:
        response = http.post("/api/bookings", json=body)
    assert response.status_code == 409
    assert f"{first['practitioner_name']} is held at" in response.json()["detail"]


def test_slots_and_a_proposed_course_are_in_the_clinics_time(api: LiveApi) -> None:
    plan_id = builders.new_plan(api, builders.new_client(api))
    calendar_builders.ensure_calendar(api)
    query = {
        "procedure_id": builders.ACNE_PROCEDURE,
        "start": "2029-03-05T00:00:00+01:00",
        "end": "2029-03-06T00:00:00+01:00",
        "count": 2,
    }
    slots = builders.fetched(api, "reception", "/api/slots", **query)
    assert [s["local_start"] for s in slots] == ["2029-03-05T07:00:00", "2029-03-05T07:15:00"]
    assert slots[0]["start"] == "2029-03-05T06:00:00Z"
    body = {"first_day": "2029-04-02"}
    with api.as_("reception") as http:
        answer = http.post(f"/api/plans/{plan_id}/schedule", json=body).json()
    assert answer["rule"] == {"sessions": 4, "min_days": 7, "max_days": 28, "source": "ASDS"}
    assert [s["local_start"][:10] for s in answer["sessions"]] == [
        "2029-04-02",
        "2029-04-09",
        "2029-04-16",
        "2029-04-23",
    ]
    assert answer["booked"] == []
    assert answer["advice"] == []  # acid cleansing has no season to avoid (S1)


def test_the_feeds_are_valid_icalendar(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    plan_id = builders.new_plan(api, client_id)
    within_a_year = calendar_builders.unique_start(date(2027, 6, 7))
    body = calendar_builders.booking_body(api, plan_id, within_a_year)
    made = builders.created(api, "reception", "/api/bookings", body)
    with api.as_("reception") as http:
        response = http.get(f"/api/clients/{client_id}/calendar.ics")
        practitioner = http.get(f"/api/practitioners/{made['practitioner_id']}/calendar.ics")
    assert response.headers["content-type"].startswith("text/calendar")
    assert response.content.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in response.content.replace(b"\r\n", b"")
    calendar = icalendar.Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"booking-{made['id']}@corneum"
    assert event.decoded("DTSTART") == datetime.fromisoformat(made["start"])
    assert str(event["STATUS"]) == "CONFIRMED"
    feed = icalendar.Calendar.from_ical(practitioner.content)
    uids = {str(e["UID"]) for e in feed.walk("VEVENT")}
    assert f"booking-{made['id']}@corneum" in uids
    assert b"Lopez" not in practitioner.content  # no client names in a practitioner's feed


def test_a_cancel_reason_is_kept_on_the_booking_and_the_first_one_stays(api: LiveApi) -> None:
    made = calendar_builders.new_booking(api, builders.new_plan(api, builders.new_client(api)))
    with api.as_("reception") as http:
        wrong = http.post(f"/api/bookings/{made['id']}/cancel", json={"reason": "bored"})
        first = http.post(f"/api/bookings/{made['id']}/cancel", json={"reason": "client_unwell"})
        again = http.post(f"/api/bookings/{made['id']}/cancel", json={"reason": "other"})
        read = http.get(f"/api/bookings/{made['id']}").json()
    assert wrong.status_code == 422
    assert wrong.json()["detail"][0]["field"] == "reason"
    assert first.json()["cancel_reason"] == again.json()["cancel_reason"] == "client_unwell"
    assert read["cancel_reason"] == "client_unwell"


def test_a_cancelled_booking_cannot_be_moved(api: LiveApi) -> None:
    made = calendar_builders.new_booking(api, builders.new_plan(api, builders.new_client(api)))
    with api.as_("reception") as http:
        http.post(f"/api/bookings/{made['id']}/cancel", json={})
        for check_only in (True, False):
            body = {"start": calendar_builders.unique_start(), "check_only": check_only}
            moved = http.post(f"/api/bookings/{made['id']}/reschedule", json=body)
            assert moved.status_code == 409
            assert moved.json()["detail"] == f"booking {made['id']} is cancelled"


def test_a_booking_becomes_the_session_the_practitioner_runs(api: LiveApi) -> None:
    plan_id = builders.new_plan(api, builders.new_client(api))
    made = calendar_builders.new_booking(api, plan_id)
    with api.as_("practitioner") as http:
        first = http.post(f"/api/bookings/{made['id']}/session")
        again = http.post(f"/api/bookings/{made['id']}/session")
    assert first.status_code == again.status_code == 200, first.text
    visit = first.json()
    assert again.json()["id"] == visit["id"]  # a double tap finds the same session
    assert (visit["booking_id"], visit["plan_id"], visit["status"]) == (
        made["id"],
        plan_id,
        "scheduled",
    )
    assert visit["practitioner_id"] == made["practitioner_id"]
    assert datetime.fromisoformat(visit["scheduled_at"]) == datetime.fromisoformat(made["start"])
    later = calendar_builders.unique_start()
    with api.as_("reception") as http:
        http.post(
            f"/api/bookings/{made['id']}/reschedule", json={"start": later}
        ).raise_for_status()
    with api.as_("practitioner") as http:
        moved = http.get(f"/api/sessions/{visit['id']}").json()
        assert datetime.fromisoformat(moved["scheduled_at"]) == datetime.fromisoformat(later)
        http.post(f"/api/bookings/{made['id']}/cancel", json={}).raise_for_status()
        assert http.get(f"/api/sessions/{visit['id']}").json()["status"] == "cancelled"


def test_a_booking_outside_a_plan_has_no_session_to_run(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    body = {
        "client_id": client_id,
        "procedure_id": builders.ACNE_PROCEDURE,
        "start": calendar_builders.unique_start(),
    }
    calendar_builders.ensure_calendar(api)
    with api.as_("reception") as http:
        made = http.post("/api/bookings", json=body)
        assert made.status_code == 201, made.text
    with api.as_("practitioner") as http:
        refused = http.post(f"/api/bookings/{made.json()['id']}/session")
    assert refused.status_code == 409
    assert "plan" in refused.text


def test_a_withdrawn_maintenance_window_frees_the_device(api: LiveApi) -> None:
    calendar_builders.ensure_calendar(api)
    with api.as_("admin") as http:
        http.post("/api/devices", json={"kind": "laser", "name": "Laser M"}).raise_for_status()
        lasers = [d["id"] for d in http.get("/api/devices").json() if d["kind"] == "laser"]
    window = {"starts_at": "2030-03-04T06:00:00Z", "ends_at": "2030-03-04T20:00:00Z"}
    query: dict[str, str | int] = {
        "procedure_id": "laser_back_resurfacing",
        "start": "2030-03-04T08:00:00+01:00",
        "end": "2030-03-04T20:00:00+01:00",
        "count": 1,
    }

    def options() -> list[dict[str, object]]:
        with api.as_("reception") as http:
            found = http.get("/api/slots", params=query)
            assert found.status_code == 200, found.text
            slots: list[dict[str, object]] = found.json()
            return slots

    assert options() != []
    with api.as_("admin") as http:
        made = [
            http.post(f"/api/devices/{laser}/maintenance", json=window).json()["id"]
            for laser in lasers
        ]
    assert options() == []  # every laser is out of service all day
    with api.as_("admin") as http:
        for laser, maintenance_id in zip(lasers, made, strict=True):
            gone = http.delete(f"/api/devices/{laser}/maintenance/{maintenance_id}")
            assert gone.status_code == 204
            again = http.delete(f"/api/devices/{laser}/maintenance/{maintenance_id}")
            assert again.status_code == 404
    assert options() != []
