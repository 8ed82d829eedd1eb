"""Each account's language: kept on the account, so it follows the user to every device; set
from the header's switch (a form post with its CSRF token) or through the API; before sign-in
the browser's cookie or its Accept-Language decides."""

from __future__ import annotations

from typing import get_args

import pytest

from corneum.knowledge import default_knowledge_base
from corneum.knowledge.translations import shipped_translation
from corneum.records.accounts.tables import Language
from corneum.web.i18n import LANGUAGES, preferred_language
from tests.api import builders
from tests.api.conftest import LiveApi
from tests.web.browser import Browser, new_client
from tests.web.staff import bearer, log_in_as, new_staff

KB = default_knowledge_base()


def page_language(browser: Browser, path: str = "/") -> str:
    html = browser.get(path).text
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def test_every_language_of_an_account_is_one_the_app_speaks() -> None:
    assert set(LANGUAGES) == set(get_args(Language))


def test_a_language_chosen_on_one_device_applies_on_another(api: LiveApi) -> None:
    email = new_staff(api)
    with Browser(api) as desk, Browser(api) as tablet:
        log_in_as(desk, email)
        switched = desk.submit("/", "/language", {"language": "ru", "next": "/clients"})
        assert switched.headers["location"] == "/clients"
        tablet.submit("/login", "/language", {"language": "en", "next": "/login"})  # signed out
        log_in_as(tablet, email)
        assert page_language(tablet) == "ru"
        assert tablet.http.cookies["corneum_language"] == "ru"  # its log-in page follows too
        tablet.submit("/", "/logout", {})
        assert page_language(tablet, "/login") == "ru"
    with api.client() as http:
        me = http.get("/api/auth/me", headers=bearer(api, email)).json()
    assert me["language"] == "ru"


def test_the_switch_needs_the_pages_csrf_token(api: LiveApi) -> None:
    email = new_staff(api)
    with Browser(api) as browser:
        log_in_as(browser, email)
        refused = browser.http.post("/language", data={"language": "ru", "next": "/"})
        assert refused.status_code == 403
        assert page_language(browser) == "en"


def test_an_unknown_language_from_the_switch_changes_nothing(api: LiveApi) -> None:
    email = new_staff(api, language="ru")
    with Browser(api) as browser:
        log_in_as(browser, email)
        browser.submit("/", "/language", {"language": "xx", "next": "/"})
        assert page_language(browser) == "ru"


def test_a_user_changes_their_own_language_through_the_api(api: LiveApi) -> None:
    email = new_staff(api, role="reception")
    headers = bearer(api, email)
    with Browser(api) as browser:
        log_in_as(browser, email)
        assert page_language(browser) == "en"
        with api.client() as http:
            changed = http.patch("/api/auth/me", json={"language": "ru"}, headers=headers)
            me = http.get("/api/auth/me", headers=headers).json()
        assert changed.status_code == 200
        assert changed.json()["language"] == me["language"] == "ru"
        assert page_language(browser) == "ru"  # at once


@pytest.mark.parametrize("language", ["de", "RU", "", None])
def test_an_unknown_language_is_422_naming_the_field(api: LiveApi, language: str | None) -> None:
    email = new_staff(api)
    headers = bearer(api, email)
    with api.client() as http:
        response = http.patch("/api/auth/me", json={"language": language}, headers=headers)
        me = http.get("/api/auth/me", headers=headers).json()
    if language is None:  # nothing asked: nothing changes
        assert response.status_code == 200
    else:
        assert response.status_code == 422
        assert [problem["field"] for problem in response.json()["detail"]] == ["language"]
    assert me["language"] == "en"


def test_changing_ones_language_needs_a_token_not_the_cookie(api: LiveApi) -> None:
    email = new_staff(api)
    with Browser(api) as browser:
        log_in_as(browser, email)
        response = browser.http.patch("/api/auth/me", json={"language": "ru"})
        assert response.status_code == 401
        assert page_language(browser) == "en"


def test_an_admin_sets_a_new_accounts_language(api: LiveApi) -> None:
    email = new_staff(api, role="reception", language="ru")
    with Browser(api) as browser:
        log_in_as(browser, email)
        assert page_language(browser) == "ru"


@pytest.mark.parametrize(
    ("cookie", "accept", "expected"),
    [
        (None, "ru-RU,ru;q=0.9,en;q=0.8", "ru"),
        (None, "de-DE,en;q=0.5,ru;q=0.7", "ru"),
        (None, "ru;q=0,en", "en"),
        (None, "fr", "en"),
        ("en", "ru", "en"),
        ("ru", "en", "ru"),
    ],
)
def test_before_sign_in_the_cookie_then_accept_language_decide(
    api: LiveApi, cookie: str | None, accept: str, expected: str
) -> None:
    with Browser(api) as browser:
        if cookie:
            browser.submit("/login", "/language", {"language": cookie, "next": "/login"})
        response = browser.get("/login", headers={"Accept-Language": accept})
    assert f'<html lang="{expected}">' in response.text


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("ru", "ru"),
        ("en-GB,en;q=0.9", "en"),
        ("fr, ru;q=0.3, en;q=0.2", "ru"),
        ("*", None),
        ("ru;q=abc", None),
        ("", None),
        (None, None),
    ],
)
def test_preferred_language(header: str | None, expected: str | None) -> None:
    assert preferred_language(header) == expected


def test_a_russian_user_sees_the_knowledge_base_in_russian_and_stores_it_as_it_is(
    api: LiveApi,
) -> None:
    russian = shipped_translation("ru")
    consultation = builders.new_consultation(api, builders.new_client(api))
    stored = consultation["assessment"]["procedures"][0]
    email = new_staff(api, language="ru")
    with Browser(api) as browser:
        log_in_as(browser, email)
        wizard = browser.page(f"/clients/{new_client(api)}/consultations/new").visible_text()
        assessment = browser.page(f"/consultations/{consultation['id']}").visible_text()
    for code in KB.codes("concerns"):
        assert russian[f"labels.concerns.{code}"] in wizard
        assert KB.label(code) not in wizard
    assert russian[f"procedures.{stored['id']}.name"] in assessment
    assert stored["name"] == KB.procedure(stored["id"]).name  # what was saved stays English
