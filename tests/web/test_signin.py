"""Logging in and out of the web app, and the CSRF token every form post needs."""

from __future__ import annotations

from datetime import timedelta

from corneum.records.auth.service import TOKEN_LIFETIME
from tests.api.conftest import LiveApi
from tests.web.browser import Browser, new_client, parse


def test_a_page_sends_the_signed_out_to_log_in_and_back(api: LiveApi) -> None:
    with Browser(api) as browser:
        response = browser.get("/clients")
        assert response.status_code == 303
        assert response.headers["location"] == "/login?next=/clients"


def test_log_in_sets_the_session_cookie_and_log_out_revokes_it(api: LiveApi) -> None:
    with Browser(api) as browser:
        browser.log_in("practitioner")
        cookie = browser.http.cookies["corneum_session"]
        home = browser.get("/")
        assert home.status_code == 200
        assert api.emails["practitioner"] in home.text
        response = browser.submit("/", "/logout", {})
        assert response.status_code == 303
        assert response.headers["location"] == "/login"
        assert browser.get("/").status_code == 303
    with api.client() as http:
        http.cookies.set("corneum_session", cookie)
        assert http.get("/api/auth/me").status_code == 401


def test_wrong_password_is_shown_beside_the_password_field(api: LiveApi) -> None:
    with Browser(api) as browser:
        data = {"email": "nobody@nowhere.example", "password": "not it"}
        response = browser.submit("/login", "/login", data)
        assert response.status_code == 401
        assert "corneum_session" not in browser.http.cookies
        assert 'id="password-error"' in response.text
        assert 'value="nobody@nowhere.example"' in response.text


def test_missing_fields_are_named_beside_each(api: LiveApi) -> None:
    with Browser(api) as browser:
        response = browser.submit("/login", "/login", {"email": "", "password": ""})
        assert response.status_code == 422
        assert 'id="email-error"' in response.text
        assert 'id="password-error"' in response.text


def test_log_in_without_a_csrf_token_is_refused(api: LiveApi) -> None:
    with Browser(api) as browser:
        browser.get("/login")
        data = {"email": api.emails["practitioner"], "password": "a long clinic password"}
        response = browser.http.post("/login", data=data)
        assert response.status_code == 403
        assert "corneum_session" not in browser.http.cookies


def test_a_post_with_another_browsers_token_is_refused(api: LiveApi) -> None:
    with Browser(api) as victim, Browser(api) as attacker:
        victim.log_in("practitioner")
        forged = attacker.page("/login").csrf_token()
        response = victim.http.post("/logout", data={"csrf_token": forged})
        assert response.status_code == 403
        assert victim.get("/").status_code == 200


def test_the_token_from_before_log_in_does_not_work_after_it(api: LiveApi) -> None:
    with Browser(api) as browser:
        before = browser.page("/login").csrf_token()
        browser.log_in("reception")
        response = browser.http.post("/logout", data={"csrf_token": before})
        assert response.status_code == 403


def test_next_never_leaves_the_site(api: LiveApi) -> None:
    with Browser(api) as browser:
        data = {
            "email": api.emails["reception"],
            "password": "a long clinic password",
            "next": "//evil.example/",
        }
        response = browser.submit("/login", "/login", data)
        assert response.headers["location"] == "/"


def test_htmx_may_send_the_token_in_a_header(api: LiveApi) -> None:
    with Browser(api) as browser:
        browser.log_in("reception")
        token = browser.page("/").csrf_token()
        response = browser.http.post("/logout", headers={"X-CSRF-Token": token})
        assert response.status_code == 303


def test_the_login_page_has_a_label_for_every_field(api: LiveApi) -> None:
    with Browser(api) as browser:
        assert parse(browser.get("/login").text).unlabelled() == []


def test_a_form_posted_after_the_sign_in_ran_out_goes_to_log_in_and_home(api: LiveApi) -> None:
    client_id = new_client(api)
    wizard = f"/clients/{client_id}/consultations/new"
    with Browser(api) as browser:
        browser.log_in("practitioner")
        token = browser.page(wizard).csrf_token()
        began = api.clock.now
        api.clock.now = began + TOKEN_LIFETIME + timedelta(minutes=1)
        try:
            response = browser.http.post(wizard, data={"csrf_token": token})
        finally:
            api.clock.now = began
        assert response.status_code == 303
        # Back to the home page, not to an address that answers only posts.
        assert response.headers["location"] == "/login?next=/"
