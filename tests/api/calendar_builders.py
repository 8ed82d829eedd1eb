"""The calendar the API tests book into: the home clinic in Madrid, its practitioner working
07:00-21:00 every day, one room; and start times no two bookings of a test run share."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

from tests.api import builders
from tests.api.conftest import LiveApi

HOURS: dict[str, Any] = {
    "spans": [{"weekday": day, "starts": "07:00", "ends": "21:00"} for day in range(7)],
    "days_off": [],
}
SETTINGS = {"timezone": "Europe/Madrid", "step_minutes": 15}
_starts = itertools.count()


def ensure_calendar(api: LiveApi) -> int:
    """Set the calendar up once per live server; the id of its first room."""
    rooms = builders.fetched(api, "admin", "/api/rooms")
    if rooms:
        room_id: int = rooms[0]["id"]
        return room_id
    practitioner = builders.user_id(api, "practitioner")
    with api.as_("admin") as http:
        assert http.put("/api/calendar/settings", json=SETTINGS).status_code == 200
        assert http.put(f"/api/practitioners/{practitioner}/hours", json=HOURS).status_code == 200
    created: int = builders.created(api, "admin", "/api/rooms", {"name": "Room 1"})["id"]
    return created


def unique_start(first: date = date(2028, 1, 3)) -> str:
    """A start no other call in this test run gets: five a day (08:00 to 16:00, Madrid winter
    time), so an 80-minute session with its cleaning never touches the next."""
    n = next(_starts)
    day = first + timedelta(days=n // 5)
    return f"{day.isoformat()}T{8 + 2 * (n % 5):02d}:00:00+01:00"


def booking_body(api: LiveApi, plan_id: int, start: str | None = None) -> dict[str, Any]:
    ensure_calendar(api)
    return {"plan_id": plan_id, "start": start or unique_start()}


def new_booking(api: LiveApi, plan_id: int, who: str = "reception") -> dict[str, Any]:
    return builders.created(api, who, "/api/bookings", booking_body(api, plan_id))


def cancel(api: LiveApi, booking_id: int) -> None:
    """Cancel the booking as reception, insisting it is cancelled."""
    with api.as_("reception") as http:
        response = http.post(f"/api/bookings/{booking_id}/cancel", json={})
    assert (response.status_code, response.json()["status"]) == (200, "cancelled"), response.text
