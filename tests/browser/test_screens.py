"""Every main page at desktop and tablet width: a full-page screenshot for people to look at
(under the test's temporary folder, ``screenshots/``) and the layout check, which fails the test
when something is cut off or overlapping.

A new page is one more row of :data:`SCREENS`: its name, who is signed in, its path (with the
ids of :class:`~tests.browser.clinic.KnownIds` in braces), and optionally what a person does
there before it is looked at.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.browser.clinic import FEATURED
from tests.browser.conftest import DESKTOP, TABLET, LiveClinic, log_in, open_page
from tests.browser.layout import layout_problems

Action = Callable[[Page], None]


def submit_empty_log_in(page: Page) -> None:
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".error").first).to_be_visible()


def submit_wizard_without_skin_type(page: Page) -> None:
    page.get_by_label("Skin type").select_option("")
    page.get_by_label("Area to treat").select_option("")
    page.get_by_role("button", name="Assess and save").click()
    expect(page.locator(".error").first).to_be_visible()


def set_up_a_one_time_code(page: Page) -> None:
    """The secret and its URI shown, the code field waiting (nothing turned on: no code sent)."""
    start = page.locator("form[action='/account/second-factor'] button")
    if start.count():  # a run before (the other width) may have begun it already
        start.click()
    expect(page.locator("#totp-uri")).to_contain_text("otpauth://totp/Corneum")


def propose_the_course(page: Page) -> None:
    """Only a proposal: nothing is booked until it is confirmed."""
    page.get_by_role("button", name="Propose the sessions").click()
    expect(page.locator(".proposed-sessions li").first).to_be_visible()
    expect(page.get_by_role("button", name="Book the proposed sessions")).to_be_visible()


def cancel_without_a_reason(page: Page) -> None:
    page.get_by_role("button", name="Cancel the booking").click()
    expect(page.locator("#reason-error")).to_be_visible()


def show_another_calendar(page: Page) -> None:
    page.get_by_text("Show another calendar").click()
    expect(page.locator(".resource-lists")).to_be_visible()


def open_a_product_form(page: Page) -> None:
    """The running stage with its product form open, as when a lot number is being typed."""
    running = page.locator(".stage-running")
    expect(running.get_by_role("timer")).to_contain_text("Time left")
    running.get_by_text("Add a product used").click()
    expect(running.get_by_label("Lot number")).to_be_visible()


def photos_loaded(page: Page) -> None:
    """Every photo fetched (they load lazily, so each is scrolled to first) before the page is
    looked at. Whether each arrived is :mod:`tests.browser.test_at_once`'s question."""
    photos = page.locator("figure.photo img")
    assert photos.count() >= 2
    for index in range(photos.count()):
        photos.nth(index).scroll_into_view_if_needed()
        expect(photos.nth(index)).to_have_js_property("complete", True)
    page.evaluate("window.scrollTo(0, 0)")


def sign_without_a_signature(page: Page) -> None:
    page.get_by_role("button", name="Sign the consent").click()
    expect(page.locator(".error").first).to_be_visible()


@dataclass(frozen=True)
class Screen:
    name: str
    who: str | None
    """Signed in as (see ``clinic.LOGINS``), or None for nobody."""
    path: str
    then: Action | None = None


SCREENS = (
    Screen("log-in", None, "/login"),
    Screen("log-in, refused", None, "/login", submit_empty_log_in),
    Screen("today", "practitioner", "/"),
    Screen("today, reception", "reception", "/"),
    Screen("client search", "practitioner", f"/clients?q={FEATURED.family_name[0]}"),
    Screen("client record", "practitioner", "/clients/{client_id}"),
    Screen("client record, reception", "reception", "/clients/{client_id}"),
    Screen("consultation wizard", "practitioner", "/clients/{client_id}/consultations/new"),
    Screen(
        "consultation wizard, refused",
        "practitioner",
        "/clients/{client_id}/consultations/new",
        submit_wizard_without_skin_type,
    ),
    Screen("assessment", "practitioner", "/consultations/{consultation_id}"),
    Screen("plan", "practitioner", "/plans/{plan_id}"),
    Screen("plan, course proposed", "practitioner", "/plans/{plan_id}", propose_the_course),
    Screen("plan, reception", "reception", "/plans/{plan_id}"),
    Screen(
        "week calendar, practitioner",
        "practitioner",
        "/calendar?practitioner={practitioner_id}",
    ),
    Screen(
        "week calendar, room",
        "reception",
        "/calendar?room={room_id}",
        show_another_calendar,
    ),
    Screen("week calendar, device", "practitioner", "/calendar?device={device_id}"),
    Screen("slot picker, plan", "reception", "/calendar/slots?plan={plan_id}"),
    Screen(
        "slot picker, client",
        "reception",
        "/calendar/slots?client={client_id}&procedure={procedure_id}",
    ),
    Screen("day sheet", "reception", "/day"),
    Screen("waitlist", "reception", "/waitlist"),
    Screen("booking", "reception", "/calendar/bookings/{booking_id}"),
    Screen("booking, practitioner", "practitioner", "/calendar/bookings/{booking_id}"),
    Screen(
        "booking, cancel refused",
        "reception",
        "/calendar/bookings/{booking_id}",
        cancel_without_a_reason,
    ),
    Screen("handouts", "practitioner", "/handouts"),
    Screen("account", "reception", "/account"),
    Screen("account, setting up a one-time code", "reception", "/account", set_up_a_one_time_code),
    Screen("handout", "practitioner", "/handouts/{procedure_id}"),
    Screen("plan handout", "reception", "/plans/{plan_id}/handout"),
    Screen(
        "protocol runner, timed stage running",
        "practitioner",
        "/sessions/{running_session_id}/run",
        open_a_product_form,
    ),
    Screen("protocol runner, session held", "practitioner", "/sessions/{session_id}/run"),
    Screen("outcome entry", "practitioner", "/sessions/{session_id}/outcome", photos_loaded),
    Screen("outcomes", "practitioner", "/clients/{client_id}/outcomes", photos_loaded),
    Screen(
        "consent",
        "practitioner",
        "/clients/{client_id}/consents/new?procedure={procedure_id}",
    ),
    Screen(
        "consent, refused",
        "practitioner",
        "/clients/{client_id}/consents/new?procedure={procedure_id}",
        sign_without_a_signature,
    ),
    Screen("consent, signed", "practitioner", "/consents/{consent_id}"),
)
VIEWPORTS = {"desktop": DESKTOP, "tablet": TABLET}


@pytest.fixture(scope="module")
def signed_in(
    browser: Browser, live_clinic: LiveClinic, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """Each role's cookies after signing in once through the form, to start contexts from."""
    states: dict[str, Path] = {}
    folder = tmp_path_factory.mktemp("signed-in")
    for who in {screen.who for screen in SCREENS if screen.who}:
        page = open_page(browser, live_clinic, DESKTOP)
        log_in(page, who)
        states[who] = folder / f"{who}-state.json"
        page.context.storage_state(path=states[who])
        page.context.close()
    return states


@pytest.fixture
def screen_page(
    browser: Browser,
    live_clinic: LiveClinic,
    signed_in: dict[str, Path],
) -> Iterator[Callable[[Screen, ViewportSize], Page]]:
    opened: list[Page] = []

    def make(screen: Screen, viewport: ViewportSize) -> Page:
        state = signed_in[screen.who] if screen.who else None
        page = open_page(browser, live_clinic, viewport, state)
        opened.append(page)
        return page

    yield make
    for page in opened:
        page.context.close()


@pytest.mark.parametrize("width", VIEWPORTS)
@pytest.mark.parametrize("screen", SCREENS, ids=[screen.name for screen in SCREENS])
def test_page_layout(
    screen_page: Callable[[Screen, ViewportSize], Page],
    live_clinic: LiveClinic,
    tmp_path: Path,
    screen: Screen,
    width: str,
) -> None:
    page = screen_page(screen, VIEWPORTS[width])
    response = page.goto(screen.path.format(**live_clinic.ids.paths()))
    assert response is not None
    assert response.ok, screen.path
    if screen.who:
        assert "/login" not in page.url, "the saved sign-in did not hold"
    if screen.then:
        screen.then(page)
    expect(page.locator("h1")).to_be_visible()
    shots = tmp_path / "screenshots"
    shots.mkdir()
    page.screenshot(path=shots / f"{screen.name}-{width}.png", full_page=True)
    assert layout_problems(page) == []


@pytest.mark.parametrize(
    ("breakage", "expected"),
    [
        ("fieldset.choices { grid-template-columns: repeat(2, 3rem); }", "overlapping: "),
        ("select { min-width: 60rem; }", "cut off: select#skin_type"),
    ],
)
def test_a_page_broken_by_its_stylesheet_fails_the_check(
    screen_page: Callable[[Screen, ViewportSize], Page],
    live_clinic: LiveClinic,
    breakage: str,
    expected: str,
) -> None:
    """The check catches a real page gone wrong, not only hand-written sketches."""
    wizard = next(screen for screen in SCREENS if screen.name == "consultation wizard")
    page = screen_page(wizard, TABLET)
    page.goto(wizard.path.format(**live_clinic.ids.paths()))
    assert layout_problems(page) == []
    page.add_style_tag(content=breakage)
    problems = layout_problems(page)
    assert any(problem.startswith(expected) for problem in problems), problems
