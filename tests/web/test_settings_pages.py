"""The administrator's /settings over real HTTP: each form saves through the API's schemas and
services, refuses with the reason beside its field (422 invalid, 409 conflict), in English and
Russian; other roles are refused the pages."""

from __future__ import annotations

from uuid import uuid4

import pytest

from tests.api import builders
from tests.api.calendar_builders import SETTINGS
from tests.api.conftest import PASSWORD, LiveApi
from tests.web.browser import Browser
from tests.web.staff import log_in_as
from tests.web.test_pages_in_russian import russian_staff

PAGES = (
    "/settings",
    "/settings/clinic",
    "/settings/staff",
    "/settings/resources",
    "/settings/procedures",
    "/settings/consents",
)


def admin(api: LiveApi) -> Browser:
    browser = Browser(api)
    browser.log_in("admin")
    return browser


@pytest.mark.parametrize("role", ["practitioner", "reception"])
def test_only_an_administrator_gets_the_settings(api: LiveApi, role: str) -> None:
    with Browser(api) as browser:
        browser.log_in(role)
        assert [browser.get(path).status_code for path in PAGES] == [403] * len(PAGES)
        assert 'href="/settings"' not in browser.get("/").text


def test_an_administrators_navigation_offers_the_settings(api: LiveApi) -> None:
    with admin(api) as browser:
        assert 'href="/settings"' in browser.get("/account").text
        for path in PAGES:
            assert browser.get(path).status_code == 200, path


def test_the_clinic_form_saves_and_refuses_an_unknown_time_zone(api: LiveApi) -> None:
    form = {**SETTINGS, "address": "Calle Mayor 1", "phone": "+34 600 000 000"}
    with admin(api) as browser:
        saved = browser.submit("/settings/clinic", "/settings/clinic", form)
        assert (saved.status_code, saved.headers["location"]) == (303, "/settings/clinic?saved=1")
        assert 'value="Calle Mayor 1"' in browser.get("/settings/clinic").text
        refused = browser.submit("/settings/clinic", "/settings/clinic", {"timezone": "Mars/Base"})
        assert refused.status_code == 422
        assert 'id="timezone-error"' in refused.text
        assert "unknown time zone" in refused.text
    assert builders.fetched(api, "admin", "/api/calendar/settings")["timezone"] == "Europe/Madrid"


def test_a_staff_member_is_added_with_a_first_password_and_named(api: LiveApi) -> None:
    email = f"ashby-{uuid4().hex[:8]}@example.org"
    body = {
        "full_name": "Dr Ann Ashby", "email": email, "password": PASSWORD,
        "role": "practitioner", "qualifications": "doctor", "colour": "#aa3355",
    }  # fmt: skip
    with admin(api) as browser:
        added = browser.submit("/settings/staff", "/settings/staff", body)
        assert added.status_code == 303
        person = browser.get(added.headers["location"]).text
        assert "Dr Ann Ashby" in person
        assert 'value="#aa3355"' in person
        again = browser.submit("/settings/staff", "/settings/staff", body)
        assert again.status_code == 409
        assert 'id="email-error"' in again.text
        assert "Dr Ann Ashby" in browser.get("/settings/staff").text
    with Browser(api) as browser:  # she signs in with the first password
        response = browser.submit("/login", "/login", {"email": email, "password": PASSWORD})
        assert response.status_code == 303


def test_working_hours_with_a_break_are_saved_and_a_reversed_span_refused(api: LiveApi) -> None:
    person = builders.user_id(api, "practitioner")
    path = f"/settings/staff/{person}"
    week = {"starts_0": "07:00", "break_starts_0": "13:00", "break_ends_0": "14:00"}
    week |= {
        "ends_0": "21:00",
        **{f"{p}_{d}": t for d in range(1, 7) for p, t in (("starts", "07:00"), ("ends", "21:00"))},
    }
    with admin(api) as browser:
        saved = browser.submit(path, f"{path}/hours", week)
        assert saved.status_code == 303
        hours = builders.fetched(api, "admin", f"/api/practitioners/{person}/hours")
        assert hours["spans"][:2] == [
            {"weekday": 0, "starts": "07:00:00", "ends": "13:00:00"},
            {"weekday": 0, "starts": "14:00:00", "ends": "21:00:00"},
        ]
        refused = browser.submit(path, f"{path}/hours", {"starts_0": "12:00", "ends_0": "09:00"})
        assert refused.status_code == 422
        assert "ends must be after starts" in refused.text
        restore = {
            f"{p}_{d}": t for d in range(7) for p, t in (("starts", "07:00"), ("ends", "21:00"))
        }
        assert browser.submit(path, f"{path}/hours", restore).status_code == 303


def test_rooms_and_devices_are_added_and_an_empty_name_refused(api: LiveApi) -> None:
    name = f"Room {uuid4().hex[:6]}"
    with admin(api) as browser:
        added = browser.submit("/settings/resources", "/settings/rooms", {"name": name})
        assert added.status_code == 303
        assert name in browser.get("/settings/resources").text
        refused = browser.submit("/settings/resources", "/settings/rooms", {"name": ""})
        assert refused.status_code == 422
        assert 'id="name-error"' in refused.text
        device = browser.submit(
            "/settings/resources", "/settings/devices", {"kind": "laser", "name": "Laser 9"}
        )
        assert device.status_code == 303
    rooms = builders.fetched(api, "admin", "/api/rooms")
    assert name in [room["name"] for room in rooms]


def test_a_procedures_minutes_outside_the_kb_range_are_refused_beside_the_field(
    api: LiveApi,
) -> None:
    action = "/settings/procedures/dermal_roller"
    with admin(api) as browser:
        refused = browser.submit("/settings/procedures", action, {"active": "1", "minutes": "5"})
        assert refused.status_code == 422
        assert 'id="minutes-error"' in refused.text
        assert "must be between 75 and 150 minutes" in refused.text
        priced = {"active": "1", "minutes": "75", "price": "80.00"}
        assert browser.submit("/settings/procedures", action, priced).status_code == 303
    offered = builders.fetched(api, "admin", "/api/offerings/dermal_roller")
    assert (offered["active"], offered["price"], offered["minutes"]) == (True, "80.00", 75)


def test_the_settings_speak_russian(api: LiveApi) -> None:
    email = russian_staff(api, "admin")["email"]
    with Browser(api) as browser:
        log_in_as(browser, email)
        texts = [browser.page(path).visible_text() for path in PAGES]
        refused = browser.submit(
            "/settings/procedures", "/settings/procedures/dermal_roller", {"minutes": "5"}
        )
    assert "Настройки" in texts[0]
    assert "Клиника" in texts[1]
    assert "Персонал" in texts[2]
    assert refused.status_code == 422
    assert "должно быть от 75 до 150 минут" in refused.text
