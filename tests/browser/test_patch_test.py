"""A practitioner in a real browser, at 1280 and 768 px (issue 11): the first session of a peel
course is refused for want of a patch test; from the refusal's link she records one applied
yesterday with one of the peel's agents, reads it from the client's record (no reaction), and
the first stage then starts. The client, plan, consent and session are made over the API first,
each run with its own client, so the demo clinic's pages stay as other tests expect them."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from corneum.knowledge import default_knowledge_base
from tests.browser.clinic import LOGINS, PASSWORD, TIMEZONE
from tests.browser.conftest import DESKTOP, TABLET, LiveClinic, log_in, open_page
from tests.browser.layout import layout_problems

PEEL = "chemical_peel"
AGENT = default_knowledge_base().procedure(PEEL).agent_uses[0].agent


def api_call(http: httpx.Client, path: str, body: dict[str, object]) -> dict[str, object]:
    response = http.post(path, json=body)
    assert response.status_code in (200, 201), response.text
    answer: dict[str, object] = response.json()
    return answer


def unpatched_first_session(clinic: LiveClinic) -> tuple[int, int]:
    """A new client's first peel session of today, consent signed and cautions acknowledged,
    with no patch test; the client's and the session's ids."""
    with httpx.Client(base_url=clinic.base_url, timeout=30) as http:
        login = {"email": LOGINS["practitioner"], "password": PASSWORD}
        token = http.post("/api/auth/token", json=login).json()["access_token"]
        http.headers["Authorization"] = f"Bearer {token}"
        me = http.get("/api/auth/me").json()
        client = api_call(http, "/api/clients", {
            "given_name": "Lena", "family_name": f"Patch{uuid4().hex[:6]}", "skin_type": "oily",
            "phototype": 2, "date_of_birth": "1990-05-01",
        })  # fmt: skip
        plan = {"procedure_id": PEEL, "sessions_planned": 3, "area": "face"}
        plan_id = api_call(http, f"/api/clients/{client['id']}/plans", plan)["id"]
        text = http.get(f"/api/procedures/{PEEL}/consent").json()
        api_call(http, f"/api/clients/{client['id']}/consents", {
            "text_version": text["version"], "text_sha256": text["sha256"],
            "signed_text": text["text"], "signer_name": "Lena", "procedure_id": PEEL,
            "signed_at": clinic.clock.now.isoformat(), "signature_method": "typed",
        })  # fmt: skip
        visit = {"practitioner_id": me["id"], "scheduled_at": clinic.clock.now.isoformat()}
        session_id = api_call(http, f"/api/plans/{plan_id}/sessions", visit)["id"]
        api_call(http, f"/api/sessions/{session_id}/acknowledgement", {})
    return int(str(client["id"])), int(str(session_id))


def no_layout_problems(page: Page) -> None:
    assert layout_problems(page) == [], page.url


@pytest.mark.parametrize("viewport", [DESKTOP, TABLET], ids=["1280", "768"])
def test_a_patch_test_recorded_and_read_lets_the_first_session_start(
    browser: Browser, live_clinic: LiveClinic, viewport: ViewportSize
) -> None:
    client_id, session_id = unpatched_first_session(live_clinic)
    yesterday = live_clinic.clock.now.astimezone(ZoneInfo(TIMEZONE)) - timedelta(days=1)
    page = open_page(browser, live_clinic, viewport)
    try:
        log_in(page, "practitioner")
        page.goto(f"/sessions/{session_id}/run")
        page.locator("#stage-0").get_by_role("button", name="Start").click()
        expect(page.locator("#stage-0-error")).to_contain_text("no patch test for")
        page.get_by_role("link", name="Record the patch test").click()

        expect(page.get_by_label("Procedure", exact=True)).to_have_value(PEEL)
        no_layout_problems(page)
        page.get_by_label("Agent").select_option(AGENT)
        page.get_by_label("Product").fill("Salicylic 30% peel")
        page.get_by_label("Lot number").fill("SA-2611")
        page.get_by_label("Applied at").fill(f"{yesterday:%Y-%m-%dT%H:%M}")
        page.get_by_role("button", name="Record the patch test").click()
        page.wait_for_url(f"**/sessions/{session_id}/run")

        page.goto(f"/clients/{client_id}")
        section = page.locator("#patch-tests")
        expect(section).to_contain_text("SA-2611")
        expect(section).to_contain_text("waiting to be read")
        section.get_by_role("link", name="Read it").click()
        page.get_by_label("No reaction").check()
        no_layout_problems(page)
        page.get_by_role("button", name="Record the reading").click()
        expect(page.locator("#patch-tests")).to_contain_text("no reaction")

        page.goto(f"/sessions/{session_id}/run")
        page.locator("#stage-0").get_by_role("button", name="Start").click()
        expect(page.locator("#stage-0")).to_have_attribute("data-stage-state", "running")
        no_layout_problems(page)
    finally:
        page.context.close()
