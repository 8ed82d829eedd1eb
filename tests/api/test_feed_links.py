"""Secret calendar feed addresses: issued and revoked by staff, read by a calendar app with no
sign-in, each showing only its own person's appointments; the feeds parsed back with icalendar."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import httpx
import icalendar

from tests.api import builders, calendar_builders
from tests.api.conftest import LiveApi


def issue(api: LiveApi, who: str, path: str) -> str:
    made = builders.created(api, who, path, {})
    url: str = made["url"]
    assert url.startswith(api.base_url + "/api/feeds/")
    assert url.endswith(".ics")
    return url


def subscribe(url: str) -> httpx.Response:
    """What a calendar app does: a plain GET of the address, no token, no cookie."""
    with httpx.Client(timeout=30) as http:
        return http.get(url)


def booked(api: LiveApi, client_id: int, day: date, **extra: Any) -> dict[str, Any]:
    plan_id = builders.new_plan(api, client_id)
    start = calendar_builders.unique_start(day)
    body = {**calendar_builders.booking_body(api, plan_id, start), **extra}
    return builders.created(api, "reception", "/api/bookings", body)


def uids(response: httpx.Response) -> set[str]:
    assert response.status_code == 200, response.text
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["UID"]) for event in calendar.walk("VEVENT")}


def test_a_client_feed_opens_without_sign_in_and_holds_only_her_appointments(
    api: LiveApi,
) -> None:
    ana, bea = builders.new_client(api), builders.new_client(api, given_name="Bea")
    hers = booked(api, ana, date(2027, 2, 1))
    other = booked(api, bea, date(2027, 2, 1))
    ana_url = issue(api, "reception", f"/api/clients/{ana}/feed-link")
    bea_url = issue(api, "practitioner", f"/api/clients/{bea}/feed-link")
    feed = subscribe(ana_url)
    assert feed.headers["content-type"].startswith("text/calendar")
    assert uids(feed) == {f"booking-{hers['id']}@corneum"}
    assert uids(subscribe(bea_url)) == {f"booking-{other['id']}@corneum"}
    assert b"Lopez" not in feed.content  # her own name is not needed in her own calendar


def test_a_revoked_or_replaced_address_is_not_found(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    first = issue(api, "reception", f"/api/clients/{client_id}/feed-link")
    second = issue(api, "reception", f"/api/clients/{client_id}/feed-link")
    assert subscribe(first).status_code == 404  # issuing anew revokes the old address
    assert subscribe(second).status_code == 200
    with api.as_("reception") as http:
        assert http.delete(f"/api/clients/{client_id}/feed-link").status_code == 204
        again = http.delete(f"/api/clients/{client_id}/feed-link")
    assert again.status_code == 204  # nothing left to revoke is no error
    assert subscribe(second).status_code == 404
    assert subscribe(second.replace(".ics", "x.ics")).status_code == 404
    assert subscribe(f"{api.base_url}/api/feeds/guess.ics").status_code == 404


def test_a_practitioners_feed_has_her_bookings_without_client_names(api: LiveApi) -> None:
    client_id = builders.new_client(api, family_name="Zamorano")
    made = booked(api, client_id, date(2027, 3, 1))
    practitioner = builders.user_id(api, "practitioner")
    url = issue(api, "practitioner", f"/api/practitioners/{practitioner}/feed-link")
    feed = subscribe(url)
    assert f"booking-{made['id']}@corneum" in uids(feed)
    assert b"Zamorano" not in feed.content
    with api.as_("admin") as http:  # an admin may revoke a practitioner's address
        assert http.delete(f"/api/practitioners/{practitioner}/feed-link").status_code == 204
    assert subscribe(url).status_code == 404


def test_a_practitioner_cannot_issue_another_practitioners_address(api: LiveApi) -> None:
    body = builders.new_user_body("practitioner", qualifications=["doctor"])
    colleague = builders.created(api, "admin", "/api/users", body)
    with api.as_("practitioner") as http:
        refused = http.post(f"/api/practitioners/{colleague['id']}/feed-link", json={})
    assert refused.status_code == 404
    with api.as_("other") as http:  # another clinic's practitioner: not found either
        own = builders.user_id(api, "practitioner")
        assert http.post(f"/api/practitioners/{own}/feed-link", json={}).status_code == 404


def test_issuing_revoking_and_reading_are_audited(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    url = issue(api, "reception", f"/api/clients/{client_id}/feed-link")
    subscribe(url)
    with api.as_("reception") as http:
        http.delete(f"/api/clients/{client_id}/feed-link").raise_for_status()
    events = builders.fetched(api, "admin", "/api/audit", client_id=client_id, limit=10)["items"]
    seen = [(e["action"], e["resource_type"], e["actor_id"]) for e in events]
    reception = builders.user_id(api, "reception")
    assert ("create", "calendar_feed_link", reception) in seen
    assert ("delete", "calendar_feed_link", reception) in seen
    assert ("read", "calendar_feed", None) in seen
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert all(token not in str(e) for e in events)  # the secret is never written down


def test_the_feed_is_rfc_5545_with_a_zone_an_alarm_escaping_and_folding(api: LiveApi) -> None:
    calendar_builders.ensure_calendar(api)
    name = "Suite 3; east wing, upstairs\nby the lift " + "ж" * 40
    room = builders.created(api, "admin", "/api/rooms", {"name": name})
    client_id = builders.new_client(api)
    made = booked(api, client_id, date(2027, 4, 5), room_id=room["id"])
    feed = subscribe(issue(api, "reception", f"/api/clients/{client_id}/feed-link"))
    lines = feed.content.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75  # octets, folded
    assert any(line.startswith(b" ") for line in lines)  # the long location was folded
    assert rb"Suite 3\; east wing\, upstairs\nby the lift" in feed.content.replace(b"\r\n ", b"")
    calendar = icalendar.Calendar.from_ical(feed.content)
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Madrid"
    (event,) = calendar.walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "Europe/Madrid"
    start = event.decoded("DTSTART")
    assert start.utcoffset() == timedelta(hours=2)  # Madrid summer time on 5 April 2027
    assert start == datetime.fromisoformat(made["start"])
    assert str(event["LOCATION"]).endswith(name)
    (alarm,) = event.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == -timedelta(hours=2)


def test_a_cancelled_appointment_stays_cancelled_without_an_alarm(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    made = booked(api, client_id, date(2027, 5, 3))
    with api.as_("reception") as http:
        http.post(f"/api/bookings/{made['id']}/cancel", json={}).raise_for_status()
    feed = subscribe(issue(api, "reception", f"/api/clients/{client_id}/feed-link"))
    (event,) = icalendar.Calendar.from_ical(feed.content).walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"
    assert event.walk("VALARM") == []
