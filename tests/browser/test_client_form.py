"""A receptionist adds a client through the form, finds her in the list by a Cyrillic part of her
name and by her phone typed another way, and edits her: at desktop and tablet width, in English
and in Russian. Fields and buttons are found by their ids and hooks, so one test serves both
languages; each page must pass the layout check."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.api import builders
from tests.browser.clinic import LOGINS, PASSWORD
from tests.browser.conftest import DESKTOP, TABLET, LiveClinic, open_page
from tests.browser.layout import layout_problems

VIEWPORTS = {"desktop": DESKTOP, "tablet": TABLET}


def receptionist(clinic: LiveClinic, language: str) -> dict[str, str]:
    """The seeded receptionist for English; for Russian a new one who reads it, made by the
    admin (the seeded accounts stay in English for the other browser tests)."""
    if language == "en":
        return {"email": LOGINS["reception"], "password": PASSWORD}
    body = builders.new_user_body("reception", language="ru")
    with httpx.Client(base_url=clinic.base_url) as http:
        token = http.post("/api/auth/token", json={"email": LOGINS["admin"], "password": PASSWORD})
        token.raise_for_status()
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        http.post("/api/users", json=body, headers=headers).raise_for_status()
    return {"email": body["email"], "password": body["password"]}


@pytest.fixture
def signed_in(
    browser: Browser, live_clinic: LiveClinic, request: pytest.FixtureRequest
) -> Iterator[Page]:
    width, language = request.param
    account = receptionist(live_clinic, language)
    page = open_page(browser, live_clinic, VIEWPORTS[width])
    page.goto("/login")
    page.locator("#email").fill(account["email"])
    page.locator("#password").fill(account["password"])
    page.locator("form[action='/login'] button[type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in url)
    expect(page.locator("html")).to_have_attribute("lang", language)
    yield page
    page.context.close()


def laid_out(page: Page, shots: Path, name: str) -> None:
    page.screenshot(path=shots / f"{name}.png", full_page=True)
    assert layout_problems(page) == [], name


@pytest.mark.parametrize(
    "signed_in",
    [(width, language) for width in VIEWPORTS for language in ("en", "ru")],
    ids=lambda param: "-".join(param),
    indirect=True,
)
def test_a_receptionist_adds_finds_and_edits_a_client(signed_in: Page, tmp_path: Path) -> None:
    page = signed_in
    tag = uuid4().hex[:8]
    number = str(int(tag, 16)).rjust(10, "0")[-7:]
    family = f"Соколова{tag}"
    shots = tmp_path / "screenshots"
    shots.mkdir()

    page.goto("/clients")
    page.locator("#new-client").click()
    page.wait_for_url("**/clients/new")
    laid_out(page, shots, "form")
    page.locator("#given_name").fill("Алина")
    page.locator("#family_name").fill(family)
    page.locator("#date_of_birth").fill("1990-05-17")
    page.locator("#sex").select_option("female")
    page.locator("#phone").fill(f"+7 (912) {number[:3]}-{number[3:5]}-{number[5:]}")
    page.locator("#email").fill(f"alina.{tag}@example.org")
    page.locator("#preferred_language").select_option("ru")
    page.locator("#referral_source").select_option("social_media")
    page.locator("#marketing_consent").check()
    page.locator("[data-action=save-client]").click()
    page.wait_for_url(lambda url: url.rstrip("/").split("/")[-1].isdigit())
    expect(page.locator("h1")).to_have_text(f"Алина {family}")
    record = page.url

    page.goto("/clients")
    search = page.locator("#q")
    search.fill(f"СОКОЛОВА{tag.upper()}"[4:])  # a part of the family name, in capitals
    found = page.locator("#results tr[data-client-id] a")
    expect(found).to_have_count(1)
    expect(found).to_have_text(f"{family}, Алина")
    search.fill(f"8 912 {number}")  # the trunk prefix 8, not +7, and no punctuation
    expect(found).to_have_count(1)
    expect(found).to_have_text(f"{family}, Алина")
    laid_out(page, shots, "list")

    found.click()
    page.wait_for_url(record)
    page.locator("#edit-client").click()
    page.wait_for_url(f"{record}/edit")
    expect(page.locator("#given_name")).to_have_value("Алина")
    page.locator("#given_name").fill("Алёна")
    page.locator("#email").fill("")
    page.locator("[data-action=save-client]").click()
    page.wait_for_url(record)
    expect(page.locator("h1")).to_have_text(f"Алёна {family}")
    expect(page.locator("#contact")).not_to_contain_text(f"alina.{tag}@example.org")
    laid_out(page, shots, "record")
