"""Refusals of a page's address are pages in the user's language, with the right status: an
unknown path (404), a role the page is not for (403), a malformed id or query (422, naming the
part of the address). Under /api/ the same refusals stay problem details."""

from __future__ import annotations

import httpx
import pytest

from corneum.web.i18n import load_translations
from tests.api.conftest import LiveApi
from tests.web.browser import Browser, parse
from tests.web.staff import log_in_as, new_staff

HEADINGS = {403: "No access", 404: "Page not found", 422: "This address is not valid"}
BACK = "Back to the start page"


def in_language(text: str, language: str) -> str:
    """``text`` as the catalogue of ``language`` has it; a Russian one must differ."""
    shown = load_translations(language).gettext(text)
    assert language == "en" or shown != text, f"{text!r} has no {language} translation"
    return shown


def assert_error_page(response: httpx.Response, status: int, language: str) -> str:
    """The page's visible text, after checking it is the error page in ``language``."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert f'<html lang="{language}"' in response.text
    text = parse(response.text).visible_text()
    assert in_language(HEADINGS[status], language) in text
    assert in_language(BACK, language) in text
    return text


@pytest.mark.parametrize("language", ["en", "ru"])
def test_malformed_page_addresses_answer_a_422_page_naming_the_part(
    api: LiveApi, language: str
) -> None:
    with Browser(api) as browser:
        log_in_as(browser, new_staff(api, language=language))
        text = assert_error_page(browser.get("/clients/abc"), 422, language)
        assert "client_id" in text
        text = assert_error_page(browser.get("/calendar?practitioner=none"), 422, language)
        assert "practitioner" in text


@pytest.mark.parametrize("language", ["en", "ru"])
def test_unknown_pages_and_records_answer_a_404_page(api: LiveApi, language: str) -> None:
    with Browser(api) as browser:
        log_in_as(browser, new_staff(api, language=language))
        assert_error_page(browser.get("/no-such-page"), 404, language)
        assert_error_page(browser.get("/clients/999999999"), 404, language)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_page_not_for_the_users_role_answers_a_403_page(api: LiveApi, language: str) -> None:
    with Browser(api) as browser:
        log_in_as(browser, new_staff(api, role="reception", language=language))
        assert_error_page(browser.get("/clients/1/consultations/new"), 403, language)


def test_before_sign_in_the_browsers_language_speaks_the_error_page(api: LiveApi) -> None:
    with Browser(api) as browser:
        response = browser.get("/no-such-page", headers={"Accept-Language": "ru-RU,ru;q=0.9"})
        assert_error_page(response, 404, "ru")


def test_the_api_keeps_answering_problem_details(api: LiveApi) -> None:
    with api.as_("practitioner") as http:
        malformed = http.get("/api/clients/abc")
        unknown = http.get("/api/no-such-route")
    assert malformed.status_code == 422
    assert malformed.headers["content-type"] == "application/problem+json"
    assert [error["field"] for error in malformed.json()["detail"]] == ["client_id"]
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"
