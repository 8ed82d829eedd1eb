"""The pages that show the knowledge base's texts, for a practitioner who reads Russian: Russian
runs longer than English (procedure and stage names, grades, lesion kinds, rule reasons, course
notes), so each page is laid out again at desktop and tablet width and must pass the same layout
check, with a full-page screenshot under the test's temporary folder (``screenshots/``)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.api import builders
from tests.browser.clinic import LOGINS, PASSWORD
from tests.browser.conftest import DESKTOP, TABLET, LiveClinic, open_page
from tests.browser.layout import layout_problems
from tests.browser.test_screens import Screen, photos_loaded, set_up_a_one_time_code


def propose_the_course(page: Page) -> None:
    """The course form's proposal, found by its hooks rather than its (English) words."""
    page.locator(".course-form button[value=propose]").click()
    expect(page.locator(".proposed-sessions li").first).to_be_visible()


SCREENS = (
    Screen("client record", "practitioner", "/clients/{client_id}"),
    Screen("plan", "practitioner", "/plans/{plan_id}"),
    Screen("plan, course proposed", "practitioner", "/plans/{plan_id}", propose_the_course),
    Screen("week calendar", "practitioner", "/calendar?practitioner={practitioner_id}"),
    Screen("week calendar, device", "practitioner", "/calendar?device={device_id}"),
    Screen(
        "slot picker, client",
        "practitioner",
        "/calendar/slots?client={client_id}&procedure={procedure_id}",
    ),
    Screen("booking", "practitioner", "/calendar/bookings/{booking_id}"),
    Screen("consent", "practitioner", "/clients/{client_id}/consents/new?procedure={procedure_id}"),
    Screen("consent, signed", "practitioner", "/consents/{consent_id}"),
    Screen("consultation wizard", "practitioner", "/clients/{client_id}/consultations/new"),
    Screen("assessment", "practitioner", "/consultations/{consultation_id}"),
    Screen(
        "protocol runner, timed stage running", "practitioner", "/sessions/{running_session_id}/run"
    ),
    Screen("protocol runner, session held", "practitioner", "/sessions/{session_id}/run"),
    Screen("outcome entry", "practitioner", "/sessions/{session_id}/outcome", photos_loaded),
    Screen("outcomes", "practitioner", "/clients/{client_id}/outcomes", photos_loaded),
    Screen("handout", "practitioner", "/handouts/{procedure_id}"),
    Screen(
        "account, setting up a one-time code", "practitioner", "/account", set_up_a_one_time_code
    ),
)
VIEWPORTS = {"desktop": DESKTOP, "tablet": TABLET}


def new_russian_practitioner(clinic: LiveClinic) -> dict[str, str]:
    """A practitioner of the demo clinic who reads Russian, made by its admin: the seeded
    accounts stay in English for the other browser tests."""
    body = builders.new_user_body(
        "practitioner", qualifications=["doctor", "cosmetologist"], language="ru"
    )
    with httpx.Client(base_url=clinic.base_url) as http:
        token = http.post("/api/auth/token", json={"email": LOGINS["admin"], "password": PASSWORD})
        token.raise_for_status()
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        http.post("/api/users", json=body, headers=headers).raise_for_status()
    return {"email": body["email"], "password": body["password"]}


@pytest.fixture(scope="module")
def signed_in_russian(
    browser: Browser, live_clinic: LiveClinic, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The Russian practitioner's cookies after signing in once through the form."""
    account = new_russian_practitioner(live_clinic)
    page = open_page(browser, live_clinic, DESKTOP)
    page.goto("/login")
    page.get_by_label("Email").fill(account["email"])
    page.get_by_label("Password").fill(account["password"])
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    state = tmp_path_factory.mktemp("signed-in-ru") / "state.json"
    page.context.storage_state(path=state)
    page.context.close()
    return state


@pytest.mark.parametrize("width", VIEWPORTS)
@pytest.mark.parametrize("screen", SCREENS, ids=[screen.name for screen in SCREENS])
def test_russian_page_layout(
    browser: Browser,
    live_clinic: LiveClinic,
    signed_in_russian: Path,
    tmp_path: Path,
    screen: Screen,
    width: str,
) -> None:
    page = open_page(browser, live_clinic, VIEWPORTS[width], signed_in_russian)
    try:
        response = page.goto(screen.path.format(**live_clinic.ids.paths()))
        assert response is not None
        assert response.ok, screen.path
        expect(page.locator("html")).to_have_attribute("lang", "ru")
        if screen.then:
            screen.then(page)
        expect(page.locator("h1")).to_be_visible()
        shots = tmp_path / "screenshots"
        shots.mkdir()
        page.screenshot(path=shots / f"{screen.name}-ru-{width}.png", full_page=True)
        assert layout_problems(page) == []
    finally:
        page.context.close()
