"""The client's side in a real browser, at a phone's width (390 px) and on a desktop, in
English and Russian: her personal link, the one-time code from her e-mail (sent by the real
worker to a real SMTP server on loopback), her appointments, and cancelling one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, ViewportSize

from corneum.app import create_app
from corneum.config import Settings
from corneum.db.engine import database_url
from corneum.db.migrate import upgrade
from tests.api import builders, calendar_builders
from tests.api.conftest import UNLIMITED_ADDRESS, FakeClock, LiveApi, seed, serving
from tests.browser.conftest import ACTION_TIMEOUT_MS, DESKTOP
from tests.portal.client import codes_in, delivered, new_link
from tests.portal.test_sign_in import client_with_email

PHONE: ViewportSize = {"width": 390, "height": 844}
WORDS = {
    "en": {
        "send": "Send me a code",
        "code": "The code from your e-mail",
        "sign_in": "Sign in",
        "cancel": "Cancel this appointment",
        "cancelled": "Your appointment has been cancelled.",
    },
    "ru": {
        "send": "Отправить код",
        "code": "Код из письма",
        "sign_in": "Войти",
        "cancel": "Отменить визит",
        "cancelled": "Ваш визит отменён.",
    },
}


@pytest.fixture(scope="module")
def portal_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApi]:
    """A server of its own (the API tests' seeded clinic on SQLite), so the test can read the
    outbox the way the worker does."""
    url = database_url(f"sqlite:///{tmp_path_factory.mktemp('portal') / 'corneum.sqlite3'}")
    upgrade(url)
    emails = seed(url, "sqlite")
    clock = FakeClock()
    settings = Settings(
        database_url=url.render_as_string(hide_password=False),
        mode="development",
        photo_dir=tmp_path_factory.mktemp("portal-photos"),
        **UNLIMITED_ADDRESS,
    )
    with serving(create_app(settings, clock=clock)) as base_url:
        yield LiveApi(base_url, url, clock, emails)


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_link_code_appointments_cancel(
    browser: Browser, portal_api: LiveApi, viewport: ViewportSize, language: str
) -> None:
    client_id, email = client_with_email(portal_api)
    plan_id = builders.new_plan(portal_api, client_id)
    booking = calendar_builders.new_booking(portal_api, plan_id)
    url = new_link(portal_api, client_id, language=language)["url"]
    words = WORDS[language]
    context = browser.new_context(viewport=viewport, locale="en-GB")
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(url)
        page.wait_for_url("**/portal/sign-in")
        page.get_by_role("button", name=words["send"]).click()
        (code,) = codes_in(delivered(portal_api), email)
        page.get_by_label(words["code"]).fill(code)
        page.get_by_role("button", name=words["sign_in"], exact=True).click()
        page.wait_for_url(lambda address: address.endswith("/portal"))
        card = page.locator(f"#appointment-{booking['id']}")
        assert card.is_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], "the page scrolls sideways"
        card.get_by_role("button", name=words["cancel"]).click()
        page.wait_for_url("**/portal?cancelled=1")
        assert page.get_by_text(words["cancelled"]).is_visible()
        assert card.get_by_role("button", name=words["cancel"]).count() == 0
    finally:
        context.close()
    status = builders.fetched(portal_api, "reception", f"/api/bookings/{booking['id']}")["status"]
    assert status == "cancelled"
