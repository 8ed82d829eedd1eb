"""The runner's per-agent contact timer and its patch-test refusal (issue 11), over real HTTP."""

from __future__ import annotations

from tests.api import builders
from tests.api.conftest import LiveApi
from tests.web.browser import Browser
from tests.web.staff import log_in_as
from tests.web.test_pages_in_russian import russian_staff
from tests.web.test_protocol import post, run, stage_block, timer_of

SALICYLIC = "salicylic acid 20-30% in ethanol"
GLYCOLIC = "glycolic acid 20-50%"


def peel_visit(api: LiveApi, *, patch_tested: bool = True) -> int:
    client_id = builders.new_client(api)
    plan_id = builders.new_plan(api, client_id, procedure_id="chemical_peel", area="face")
    builders.sign_consent(api, client_id, "chemical_peel", patch_tested=patch_tested)
    session_id = builders.new_session(api, plan_id)
    builders.acknowledge(api, session_id)
    return session_id


def applied_with(browser: Browser, session_id: int, agent: str) -> None:
    post(browser, session_id, "stages/0/start")
    product = {"name": "Peel solution", "lot_number": "A-17", "agent": agent}
    assert post(browser, session_id, "stages/0/products", product).status_code == 303
    post(browser, session_id, "stages/0/finish")
    post(browser, session_id, "stages/1/start")


def test_the_contact_stage_counts_down_the_chosen_agents_contact_time(api: LiveApi) -> None:
    session_id = peel_visit(api)
    with Browser(api) as browser:
        browser.log_in("practitioner")
        applied_with(browser, session_id, SALICYLIC)
        html = browser.get(run(session_id)).text
    assert timer_of(html, 1) == {"remaining": "180", "state": "left", "clock": "03:00"}
    assert "contact time 3\N{EN DASH}5 min" in stage_block(html, 1)
    product = builders.fetched(api, "practitioner", f"/api/sessions/{session_id}")["products"][0]
    assert (product["agent"], product["lot_number"]) == (SALICYLIC, "A-17")


def test_an_agent_with_an_end_point_shows_it_instead_of_a_timer(api: LiveApi) -> None:
    session_id = peel_visit(api)
    with Browser(api) as browser:
        browser.log_in("practitioner")
        applied_with(browser, session_id, GLYCOLIC)
        block = stage_block(browser.get(run(session_id)).text, 1)
    assert 'role="timer"' not in block
    assert "End point: The practitioner sets the time" in block


def test_an_agent_the_procedure_lacks_is_refused_beside_its_field(api: LiveApi) -> None:
    session_id = peel_visit(api)
    with Browser(api) as browser:
        browser.log_in("practitioner")
        post(browser, session_id, "stages/0/start")
        refused = post(
            browser, session_id, "stages/0/products",
            {"name": "Peel", "lot_number": "A-1", "agent": "phenol"},
        )  # fmt: skip
    assert refused.status_code == 422
    assert "Choose one of the options." in stage_block(refused.text, 0)


def test_the_runner_shows_the_patch_test_refusal_in_english_and_russian(api: LiveApi) -> None:
    session_id = peel_visit(api, patch_tested=False)
    texts = {}
    for language in ("en", "ru"):
        with Browser(api) as browser:
            if language == "en":
                browser.log_in("practitioner")
            else:
                log_in_as(browser, russian_staff(api)["email"])
            texts[language] = stage_block(post(browser, session_id, "stages/0/start").text, 0)
    assert "no patch test for" in texts["en"]
    assert "нет пробы на переносимость" in texts["ru"]
