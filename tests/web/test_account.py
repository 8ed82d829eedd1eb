"""The web app's side of accounts: the log-in page takes a password as typed and says why it
refused (in English and Russian), asks for the one-time code when the account has one, and the
account page changes the password and sets the one-time code up and off."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pyotp

from tests.api import builders
from tests.api.conftest import PASSWORD, LiveApi
from tests.web.browser import Browser, parse

SPACED = "  spaced clinic phrase  "


def add_user(api: LiveApi, password: str = PASSWORD) -> dict[str, Any]:
    body = builders.new_user_body(role="practitioner", password=password)
    return {**builders.created(api, "admin", "/api/users", body), "password": password}


def log_in(browser: Browser, email: str, password: str, **more: str) -> Any:
    data = {"email": email, "password": password, "next": "/", **more}
    return browser.submit("/login", "/login", data)


def test_the_log_in_form_keeps_a_passwords_spaces(api: LiveApi) -> None:
    user = add_user(api, SPACED)
    with Browser(api) as browser:
        assert log_in(browser, user["email"], SPACED.strip()).status_code == 401
        assert log_in(browser, user["email"], SPACED).status_code == 303


def test_the_log_in_page_chooses_the_clinic_of_an_address_with_two_accounts(
    api: LiveApi,
) -> None:
    """The other clinic's practitioner also joins this clinic with the same password: without a
    clinic she reaches her older account; naming this clinic (loosely typed) reaches the new."""
    address = api.emails["other"]
    body = builders.new_user_body(role="practitioner", email=address)
    joined = builders.created(api, "admin", "/api/users", body)
    home = api.emails["admin"].split("@")[1].split(".")[0]
    with Browser(api) as browser:
        assert log_in(browser, address, PASSWORD).status_code == 303
        oldest = browser.get("/api/auth/me").json()["id"]
    with Browser(api) as browser:
        named = log_in(browser, address, PASSWORD, clinic=f" home  {home.upper()}")
        assert named.status_code == 303
        chosen = browser.get("/api/auth/me").json()["id"]
    assert chosen == joined["id"] != oldest


def test_the_log_in_page_says_an_account_is_slowed_in_english_and_russian(api: LiveApi) -> None:
    user = add_user(api)
    with Browser(api) as browser:
        for _ in range(5):
            assert log_in(browser, user["email"], "a wrong guess!").status_code == 401
        english = log_in(browser, user["email"], PASSWORD)
        assert english.status_code == 429
        assert int(english.headers["Retry-After"]) == 30
        assert "sign-in is slowed down for a while" in english.text
        browser.http.cookies.set("corneum_language", "ru")
        russian = log_in(browser, user["email"], PASSWORD)
        assert russian.status_code == 429
        assert "вход на время замедлен" in russian.text


def test_an_account_with_a_one_time_code_is_asked_for_it(api: LiveApi) -> None:
    user = add_user(api)
    with Browser(api) as browser:
        log_in(browser, user["email"], PASSWORD)
        totp = set_up_code(api, browser)
    api.clock.now += timedelta(seconds=30)
    with Browser(api) as browser:
        asked = log_in(browser, user["email"], PASSWORD)
        assert asked.status_code == 401
        assert 'id="code-error"' in asked.text
        assert "one-time code from your authenticator app" in asked.text
        entered = log_in(browser, user["email"], PASSWORD, code=totp.at(api.clock.now))
        assert entered.status_code == 303


def set_up_code(api: LiveApi, browser: Browser) -> pyotp.TOTP:
    """Set the one-time code up on the account page, as a person would, and confirm it."""
    started = browser.submit("/account", "/account/second-factor", {})
    assert started.status_code == 200
    secret = re.search(r'<code id="totp-secret">([A-Z2-7]+)</code>', started.text)
    uri = re.search(r'<code id="totp-uri">(otpauth://totp/[^<]+)</code>', started.text)
    assert secret is not None
    assert uri is not None
    assert parse(started.text).unlabelled() == []
    totp = pyotp.TOTP(secret.group(1))
    wrong = browser.submit("/account", "/account/second-factor/confirm", {"code": "000000"})
    assert wrong.status_code == 422
    assert 'id="code-error"' in wrong.text
    confirmed = browser.submit(
        "/account", "/account/second-factor/confirm", {"code": totp.at(api.clock.now)}
    )
    assert confirmed.status_code == 200
    assert "The one-time code is on" in confirmed.text
    return totp


def test_the_account_page_changes_the_password_and_turns_the_code_off(api: LiveApi) -> None:
    user = add_user(api)
    with Browser(api) as browser, Browser(api) as other_device:
        log_in(browser, user["email"], PASSWORD)
        log_in(other_device, user["email"], PASSWORD)
        assert parse(browser.get("/account").text).unlabelled() == []
        weak = {"current_password": PASSWORD, "new_password": "password1234"}
        refused = browser.submit("/account", "/account/password", weak)
        assert refused.status_code == 422
        assert 'id="new_password-error"' in refused.text
        change = {"current_password": PASSWORD, "new_password": SPACED}
        changed = browser.submit("/account", "/account/password", change)
        assert changed.status_code == 200
        assert "Your password is changed" in changed.text
        assert browser.get("/").status_code == 200  # this session stays
        assert other_device.get("/").status_code == 303  # the other one has ended
        totp = set_up_code(api, browser)
        api.clock.now += timedelta(seconds=30)
        off = browser.submit(
            "/account", "/account/second-factor/off", {"code": totp.at(api.clock.now)}
        )
        assert off.status_code == 200
        assert "The one-time code is off" in off.text
    with Browser(api) as browser:
        assert log_in(browser, user["email"], SPACED).status_code == 303


def test_a_nul_in_the_log_in_email_is_a_refusal_not_an_error(api: LiveApi) -> None:
    with Browser(api) as browser:
        refused = log_in(browser, "nobody\x00@example.org", PASSWORD)
        assert refused.status_code == 422  # refused with the form's field named, before sign-in
