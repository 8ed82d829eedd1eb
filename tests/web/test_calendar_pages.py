"""The week calendar, slot picking, moving and cancelling, over real HTTP."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from corneum.knowledge import default_knowledge_base
from corneum.records.calendar.bookings.service import CANCEL_REASONS
from corneum.web.calendar.texts import CANCEL_REASONS as REASON_LABELS
from corneum.web.i18n import day_in
from tests.api import builders, calendar_builders
from tests.api.conftest import LiveApi
from tests.web.browser import Browser
from tests.web.schedule import booking_ids, ensure_device, proposed_starts, schedule_course

DEVICE_PROCEDURE = "ultrasonic_back_cleansing"
"""A procedure whose stages hold a scheduled device (the ultrasonic peeling device)."""


def course_bookings(api: LiveApi, browser: Browser, first_day: str) -> list[dict[str, Any]]:
    """A four-session course booked through the plan page; its bookings, by time."""
    plan_id = builders.new_plan(api, builders.new_client(api))
    response = schedule_course(api, browser, plan_id, first_day)[1]
    assert response.status_code == 303, response.text
    ids = booking_ids(browser.get(f"/plans/{plan_id}").text)
    with api.as_("reception") as http:
        return [http.get(f"/api/bookings/{bid}").json() for bid in ids]


def slot_forms(html: str, action: str) -> list[dict[str, str]]:
    """The hidden fields of each form posting to ``action``, in page order, as the confirm
    page posts them again (without the review step its button asks for)."""
    forms = re.findall(
        rf'<form method="post" action="{re.escape(action)}">(.*?)</form>', html, re.S
    )
    return [
        {
            name: value
            for name, value in re.findall(r'name="(\w+)" value="([^"]*)"', form)
            if name not in ("csrf_token", "step")
        }
        for form in forms
    ]


def local_day(booking: dict[str, Any]) -> date:
    """The booking's day in the test clinic's time (Madrid; UTC+1 in March)."""
    return (datetime.fromisoformat(booking["start"]) + timedelta(hours=1)).date()


def test_a_booked_course_shows_on_its_practitioners_and_rooms_weeks(api: LiveApi) -> None:
    with Browser(api) as browser:
        browser.log_in("reception")
        bookings = course_bookings(api, browser, "2034-03-06")
        first, second = bookings[0], bookings[1]
        week = local_day(first).isoformat()
        mine = browser.get(f"/calendar?week={week}&practitioner={first['practitioner_id']}")
        room = browser.get(f"/calendar?week={week}&room={first['room_id']}")
        later = browser.get(f"/calendar?week={local_day(second)}&room={second['room_id']}")
    assert mine.status_code == room.status_code == later.status_code == 200
    assert first["id"] in booking_ids(mine.text)
    assert first["id"] in booking_ids(room.text)
    assert second["id"] not in booking_ids(room.text)  # a week later
    assert second["id"] in booking_ids(later.text)
    assert first["id"] not in booking_ids(later.text)


def test_the_device_calendar_shows_what_holds_the_device(api: LiveApi) -> None:
    device_id = ensure_device(api, "ultrasonic_device")
    calendar_builders.ensure_calendar(api)
    body = {
        "client_id": builders.new_client(api),
        "procedure_id": DEVICE_PROCEDURE,
        "start": "2035-03-06T10:00:00+01:00",
    }
    made = builders.created(api, "reception", "/api/bookings", body)
    plain = calendar_builders.new_booking(api, builders.new_plan(api, builders.new_client(api)))
    with Browser(api) as browser:
        browser.log_in("practitioner")
        device = browser.get(f"/calendar?week=2035-03-05&device={device_id}")
        detail = browser.page(f"/calendar/bookings/{made['id']}").visible_text()
    assert made["device_ids"] == {"ultrasonic_device": device_id}
    assert booking_ids(device.text) == [made["id"]]
    assert plain["id"] not in booking_ids(device.text)
    kb = default_knowledge_base()
    label = kb.label("ultrasonic_device")
    assert f"practitioner, {label}" in detail  # the ultrasonic stage holds both
    assert "waiting" not in detail  # every stage of this procedure is attended


def test_a_session_moves_when_the_course_stays_valid_and_the_history_shows_it(
    api: LiveApi,
) -> None:
    with Browser(api) as browser:
        browser.log_in("reception")
        last = course_bookings(api, browser, "2036-03-03")[-1]
        page = f"/calendar/bookings/{last['id']}"
        day = local_day(last) + timedelta(days=1)
        action = f"{page}/move"
        slot = slot_forms(browser.get(f"{page}?day={day}").text, action)[0]
        response = browser.submit(page, action, slot)
        assert response.status_code == 303, response.text
        text = browser.page(page).visible_text()
    with api.as_("reception") as http:
        moved = http.get(f"/api/bookings/{last['id']}").json()
    assert moved["start"] == slot["start"].replace("+00:00", "Z")
    assert [event["action"] for event in moved["history"]] == ["create", "reschedule"]
    assert "Moved" in text
    assert f"to {day_in('en', day)}" in text


def test_a_move_that_breaks_the_course_names_the_conflict_and_changes_nothing(
    api: LiveApi,
) -> None:
    with Browser(api) as browser:
        browser.log_in("reception")
        second = course_bookings(api, browser, "2036-06-02")[1]
        page = f"/calendar/bookings/{second['id']}"
        day = local_day(second) + timedelta(days=1)  # six days before session 3
        action = f"{page}/move"
        slot = slot_forms(browser.get(f"{page}?day={day}").text, action)[0]
        response = browser.submit(page, action, slot)
    assert response.status_code == 409
    assert "session 3 is 6 days after session 2; at least 7 are needed" in response.text
    assert 'class="notice conflict"' in response.text
    with api.as_("reception") as http:
        assert http.get(f"/api/bookings/{second['id']}").json()["start"] == second["start"]


def test_cancelling_keeps_the_reason_and_frees_the_calendar(api: LiveApi) -> None:
    with Browser(api) as browser:
        browser.log_in("reception")
        booking = course_bookings(api, browser, "2037-03-02")[0]
        page = f"/calendar/bookings/{booking['id']}"
        week = f"/calendar?week={local_day(booking)}&room={booking['room_id']}"
        assert booking["id"] in booking_ids(browser.get(week).text)
        no_reason = browser.submit(page, f"{page}/cancel", {"version": "1"})
        assert no_reason.status_code == 422
        assert 'id="reason-error"' in no_reason.text
        response = browser.submit(
            page, f"{page}/cancel", {"version": "1", "reason": "client_unwell"}
        )
        assert response.status_code == 303, response.text
        text = browser.page(page).visible_text()
        after = browser.get(week).text
    with api.as_("reception") as http:
        cancelled = http.get(f"/api/bookings/{booking['id']}").json()
    assert cancelled["status"] == "cancelled"
    assert [event["action"] for event in cancelled["history"]] == ["create", "cancel"]
    assert f"reason: {REASON_LABELS['client_unwell']}" in text
    assert "Move to another time" not in text
    assert booking["id"] not in booking_ids(after)


def test_a_slot_taken_meanwhile_is_refused_with_the_conflict_named(api: LiveApi) -> None:
    calendar_builders.ensure_calendar(api)
    client_id = builders.new_client(api)
    query = f"client={client_id}&procedure={builders.ACNE_PROCEDURE}&day=2038-03-01"
    with Browser(api) as browser:
        browser.log_in("reception")
        picker = browser.get(f"/calendar/slots?{query}")
        assert proposed_starts(picker.text)[0] == "2038-03-01T07:00:00"
        slot = slot_forms(picker.text, "/calendar/bookings")[0]
        first = browser.submit(f"/calendar/slots?{query}", "/calendar/bookings", slot)
        again = browser.submit(f"/calendar/slots?{query}", "/calendar/bookings", slot)
    assert first.status_code == 303, first.text
    assert again.status_code == 409
    assert "Not booked:" in again.text
    assert "is held at 2038-03-01 07:00" in again.text
    assert "2038-03-01T07:00:00" not in proposed_starts(again.text)  # fresh times listed
    with api.as_("reception") as http:
        start, end = "2038-03-01T00:00:00+01:00", "2038-03-02T00:00:00+01:00"
        rows = http.get("/api/bookings", params={"start": start, "end": end}).json()
    assert [row["client_id"] for row in rows] == [client_id]


def test_the_cancel_reasons_have_labels() -> None:
    assert set(REASON_LABELS) == set(CANCEL_REASONS)


@pytest.mark.parametrize("path", ["/calendar", "/calendar/slots?client={client}"])
def test_an_administrator_sees_no_bookings(api: LiveApi, path: str) -> None:
    client_id = builders.new_client(api)
    with Browser(api) as browser:
        assert browser.get(path.format(client=client_id)).status_code == 303  # sign in first
        browser.log_in("admin")
        assert browser.get(path.format(client=client_id)).status_code == 403


def test_booking_pages_need_a_csrf_token_and_the_clinic(api: LiveApi) -> None:
    made = calendar_builders.new_booking(api, builders.new_plan(api, builders.new_client(api)))
    page = f"/calendar/bookings/{made['id']}"
    with Browser(api) as browser:
        browser.log_in("reception")
        browser.get(page)  # the CSRF cookie, but no token in the post
        later = calendar_builders.unique_start()
        forged = [
            browser.http.post(f"{page}/cancel", data={"reason": "other"}),
            browser.http.post(f"{page}/move", data={"start": later}),
            browser.http.post("/calendar/bookings", data={"plan": made["plan_id"], "start": later}),
        ]
        assert [response.status_code for response in forged] == [403, 403, 403]
    with Browser(api) as browser:
        browser.log_in("other")
        assert browser.get(page).status_code == 404
    with api.as_("reception") as http:
        kept = http.get(f"/api/bookings/{made['id']}").json()
        end = datetime.fromisoformat(later) + timedelta(hours=1)  # the next start is 2 h on
        window = {"start": later, "end": end.isoformat()}
        at_later = http.get("/api/bookings", params=window).json()
    assert (kept["status"], kept["start"]) == ("booked", made["start"])
    assert at_later == []  # neither moved nor booked there


def pages_with_forms(api: LiveApi) -> list[str]:
    client_id = builders.new_client(api)
    plan_id = builders.new_plan(api, client_id)
    made = calendar_builders.new_booking(api, plan_id)
    return [
        "/calendar",
        f"/calendar/slots?client={client_id}",
        f"/calendar/slots?plan={plan_id}",
        f"/calendar/bookings/{made['id']}",
        f"/plans/{plan_id}",
    ]


@pytest.mark.parametrize("who", ["practitioner", "reception"])
def test_every_field_of_the_calendar_pages_has_a_label(api: LiveApi, who: str) -> None:
    with Browser(api) as browser:
        browser.log_in(who)
        for path in pages_with_forms(api):
            page = browser.page(path)
            assert page.fields, path
            assert page.unlabelled() == [], path


def test_the_calendar_pages_are_in_russian(api: LiveApi) -> None:
    made = calendar_builders.new_booking(api, builders.new_plan(api, builders.new_client(api)))
    with Browser(api) as browser:
        browser.log_in("reception")
        browser.submit("/", "/language", {"language": "ru", "next": "/"})
        week = browser.get("/calendar").text
        booking = browser.get(f"/calendar/bookings/{made['id']}").text
        browser.submit("/", "/language", {"language": "en", "next": "/"})
    assert "Календарь" in week
    assert "Previous week" not in week
    assert "Cancel the booking" not in booking
    assert "Отменить запись" in booking


def test_a_week_that_is_not_a_date_is_shown_beside_its_field(api: LiveApi) -> None:
    calendar_builders.ensure_calendar(api)
    with Browser(api) as browser:
        browser.log_in("reception")
        response = browser.get("/calendar", params={"week": "next"})
        unknown = browser.get("/calendar", params={"room": 999999})
    assert response.status_code == 422
    assert 'id="week-error"' in response.text
    assert "Nothing to show" in unknown.text


def test_a_practitioner_runs_a_booked_session_from_its_booking_page(api: LiveApi) -> None:
    with Browser(api) as reception:
        reception.log_in("reception")
        first = course_bookings(api, reception, "2036-05-05")[0]
        page = f"/calendar/bookings/{first['id']}"
        assert "Run the session" not in reception.page(page).visible_text()
    with Browser(api) as practitioner:
        practitioner.log_in("practitioner")
        assert "Run the session" in practitioner.page(page).visible_text()
        response = practitioner.submit(page, f"/bookings/{first['id']}/run", {})
        assert response.status_code == 303
        runner = response.headers["location"]
        assert re.fullmatch(r"/sessions/\d+/run", runner)
        assert practitioner.get(runner).status_code == 200
