"""Calendar addresses from the web app: reception makes a client's on her record, a
practitioner her own on her account page; the address is shown once, works without signing
in, and stops working when stopped. In English and in Russian."""

from __future__ import annotations

import re

import httpx

from tests.api import builders
from tests.api.conftest import PASSWORD, LiveApi
from tests.web.browser import Browser, new_client, parse


def shown_address(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    found = re.search(r'<code id="feed-url">([^<]+)</code>', response.text)
    assert found is not None
    return found.group(1)


def calendar_status(url: str) -> int:
    with httpx.Client(timeout=30) as anonymous:
        return anonymous.get(url).status_code


def test_reception_makes_and_stops_a_clients_calendar_address(api: LiveApi) -> None:
    client_id = new_client(api)
    record = f"/clients/{client_id}"
    with Browser(api) as browser:
        browser.log_in("reception")
        assert "Calendar subscription" in browser.page(record).visible_text()
        made = browser.submit(record, f"{record}/feed-link", {})
        url = shown_address(made)
        assert "shown only now" in parse(made.text).visible_text()
        assert calendar_status(url) == 200
        stopped = browser.submit(record, f"{record}/feed-link/revoke", {})
        assert (stopped.status_code, stopped.headers["location"]) == (
            303,
            f"{record}#calendar-feed",
        )
    assert calendar_status(url) == 404


def test_a_practitioner_makes_her_own_address_on_her_account_page_in_russian(
    api: LiveApi,
) -> None:
    body = builders.new_user_body("practitioner", qualifications=["doctor"], language="ru")
    email = builders.created(api, "admin", "/api/users", body)["email"]
    with Browser(api) as browser:
        data = {"email": email, "password": PASSWORD, "next": "/"}
        assert browser.submit("/login", "/login", data).status_code == 303
        assert "Подписка на календарь" in browser.page("/account").visible_text()
        made = browser.submit("/account", "/account/feed-link", {})
        assert "Адрес календаря" in made.text
        url = shown_address(made)
        assert calendar_status(url) == 200
        browser.submit("/account", "/account/feed-link/revoke", {})
    assert calendar_status(url) == 404


def test_reception_has_no_own_calendar_address(api: LiveApi) -> None:
    with Browser(api) as browser:
        browser.log_in("reception")
        assert "Calendar subscription" not in browser.page("/account").visible_text()
        refused = browser.submit("/account", "/account/feed-link", {})
    assert refused.status_code == 403
