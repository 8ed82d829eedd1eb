"""Browser tests: Debian's Chromium, driven by Playwright, against the real app served by
uvicorn on a loopback port over a migrated SQLite file holding the demo clinic.

Chromium is never downloaded (``playwright install`` cannot reach the network here): the tests
launch ``/usr/bin/chromium``. Without it they skip, except in CI (``CI`` set), where they fail,
as the PostgreSQL tests do.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, ViewportSize, sync_playwright

from corneum.app import create_app
from corneum.config import Settings
from corneum.db.engine import database_url
from corneum.db.migrate import upgrade
from tests.api.conftest import UNLIMITED_ADDRESS, FakeClock, serving
from tests.browser.clinic import LOGINS, PASSWORD, KnownIds, seed_clinic

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
TABLET: ViewportSize = {"width": 768, "height": 1024}
ACTION_TIMEOUT_MS = 10_000


@dataclass(frozen=True)
class LiveClinic:
    base_url: str
    clock: FakeClock
    """The server's clock: a test may move it on (and must put it back)."""
    ids: KnownIds


@pytest.fixture(scope="package")
def live_clinic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveClinic]:
    url = database_url(f"sqlite:///{tmp_path_factory.mktemp('browser') / 'corneum.sqlite3'}")
    upgrade(url)
    clock = FakeClock()
    photo_dir = tmp_path_factory.mktemp("photos")
    ids = seed_clinic(url, clock.now, photo_dir)
    settings = Settings(
        database_url=url.render_as_string(hide_password=False),
        mode="development",
        photo_dir=photo_dir,
        **UNLIMITED_ADDRESS,
    )
    with serving(create_app(settings, clock=clock)) as base_url:
        yield LiveClinic(base_url, clock, ids)


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    """Playwright's driver, for this package's tests only: while it runs, its event loop counts
    as running in the main thread, so ``asyncio.run`` elsewhere would fail."""
    if not os.access(CHROMIUM, os.X_OK):
        message = f"{CHROMIUM} is missing: apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(f"{message} (required in CI)")
        pytest.skip(message)
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=list(CHROMIUM_ARGS)
    )
    yield chromium
    chromium.close()


def open_page(
    browser: Browser, clinic: LiveClinic, viewport: ViewportSize, signed_in: Path | None = None
) -> Page:
    """A page in a fresh context (its own cookies, or those saved in ``signed_in``), English,
    at ``viewport``."""
    context = browser.new_context(
        base_url=clinic.base_url,
        viewport=viewport,
        locale="en-GB",
        reduced_motion="reduce",
        storage_state=signed_in,
    )
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    return context.new_page()


@pytest.fixture
def page(browser: Browser, live_clinic: LiveClinic) -> Iterator[Page]:
    """A desktop-sized page of a browser nobody has signed in to yet."""
    opened = open_page(browser, live_clinic, DESKTOP)
    yield opened
    opened.context.close()


def log_in(page: Page, who: str) -> None:
    """Sign in through the log-in form as a person would: labels, then the button."""
    page.goto("/login")
    page.get_by_label("Email").fill(LOGINS[who])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login" not in url)
