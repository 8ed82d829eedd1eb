"""The patch-test pages (issue 11) over real HTTP: a practitioner records a test from the client's
record and reads it later, a refused form keeps what was typed with each problem beside its
field (in English and Russian), the runner's refusal links to the form, and the plan shows the
patch test's window with its state and source."""

from __future__ import annotations

import re

import httpx

from corneum.knowledge import default_knowledge_base
from tests.api import builders, calendar_builders
from tests.api.conftest import LiveApi
from tests.web.browser import Browser, parse
from tests.web.staff import log_in_as, new_staff
from tests.web.test_protocol import post, run
from tests.web.test_protocol_agents import SALICYLIC, peel_visit

PEEL = "chemical_peel"


def field_error(html: str, name: str) -> str:
    """The text shown beside the field ``name``."""
    found = re.search(rf'<p class="error" id="{name}-error">(.*?)</p>', html, re.S)
    return found.group(1).strip() if found else ""


def value_of(html: str, name: str) -> str:
    found = re.search(rf'id="{name}" name="{name}" value="([^"]*)"', html)
    return found.group(1) if found else ""


def record(browser: Browser, client_id: int, **fields: str) -> httpx.Response:
    form = f"/clients/{client_id}/patch-tests/new"
    body = {"procedure_id": PEEL, "agent": SALICYLIC, "product": "Salicylic 30% peel",
            "lot_number": "SA-12", "applied_at": "2026-11-22T10:00"} | fields  # fmt: skip
    return browser.submit(form, f"/clients/{client_id}/patch-tests", body)


def read(browser: Browser, test_id: int, **fields: str) -> httpx.Response:
    form = f"/patch-tests/{test_id}/reading"
    body = {"result": "no_reaction", "note": "", "read_at": "2026-11-22T10:30"} | fields
    return browser.submit(form, form, body)


def patch_tests_of(api: LiveApi, client_id: int) -> list[dict[str, object]]:
    listed: list[dict[str, object]] = builders.fetched(
        api, "practitioner", f"/api/clients/{client_id}/patch-tests"
    )
    return listed


def test_a_practitioner_records_a_patch_test_on_the_clinics_clock_and_reads_it(
    api: LiveApi,
) -> None:
    calendar_builders.ensure_calendar(api)  # the clinic is in Madrid: UTC+1 in November
    client_id = builders.new_client(api)
    with Browser(api) as browser:
        browser.log_in("practitioner")
        html = browser.get(f"/clients/{client_id}/patch-tests/new?procedure={PEEL}").text
        assert parse(html).unlabelled() == []
        assert value_of(html, "applied_at") == "2026-11-23T10:00"  # now, on the clinic's clock
        assert SALICYLIC in html
        assert "enzyme" not in html.lower()
        recorded = record(browser, client_id)
        assert (recorded.status_code, recorded.headers["location"]) == (
            303, f"/clients/{client_id}#patch-tests",
        )  # fmt: skip
        (test,) = patch_tests_of(api, client_id)
        assert (test["applied_at"], test["agent"], test["lot_number"]) == (
            "2026-11-22T09:00:00Z", SALICYLIC, "SA-12",
        )  # fmt: skip
        section = parse(browser.get(f"/clients/{client_id}").text).visible_text()
        assert "SA-12" in section
        assert "waiting to be read" in section
        assert read(browser, int(str(test["id"]))).status_code == 303
        again = read(browser, int(str(test["id"])))
    (test,) = patch_tests_of(api, client_id)
    assert (test["result"], test["read_at"]) == ("no_reaction", "2026-11-22T09:30:00Z")
    assert again.status_code == 409
    assert "has been read already" in field_error(again.text, "result")


def test_a_refused_form_keeps_what_was_typed_with_each_problem_beside_its_field(
    api: LiveApi,
) -> None:
    client_id = builders.new_client(api)
    with Browser(api) as browser:
        browser.log_in("practitioner")
        refused = record(browser, client_id, product="", applied_at="yesterday")
        not_its_agent = record(browser, client_id, agent="phenol 88%")
    assert refused.status_code == 422
    assert field_error(refused.text, "product") == "Required."
    assert field_error(refused.text, "applied_at") == "Give a date and a time."
    assert value_of(refused.text, "lot_number") == "SA-12"
    assert f'value="{SALICYLIC}" selected' in refused.text
    assert not_its_agent.status_code == 422
    assert field_error(not_its_agent.text, "agent") == "Choose one of the options."
    assert patch_tests_of(api, client_id) == []


def test_refusals_are_worded_in_russian(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    test_id = int(builders.patch_test(api, client_id, PEEL)["id"])
    with Browser(api) as browser:
        log_in_as(browser, new_staff(api, language="ru"))
        refused = record(browser, client_id, applied_at="")
        unread = record(browser, client_id, applied_at="2026-11-22T10:00")
        new_id = int(str(patch_tests_of(api, client_id)[-1]["id"]))
        no_note = read(browser, new_id, result="reaction")
        too_early = read(browser, new_id, read_at="2026-11-20T10:00")
        again = read(browser, test_id)
    assert (refused.status_code, unread.status_code) == (422, 303)
    assert "Ничего не сохранено" in refused.text
    assert field_error(no_note.text, "note") == "Опишите, как выглядела реакция."
    assert field_error(too_early.text, "read_at") == "Пробу читают после того, как её нанесли."
    assert "уже прочитана" in field_error(again.text, "result")


def test_only_practitioners_of_the_clinic_open_the_pages(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    test_id = builders.patch_test(api, client_id)["id"]
    with Browser(api) as browser:
        browser.log_in("reception")
        assert browser.get(f"/clients/{client_id}/patch-tests/new").status_code == 403
        assert browser.get(f"/patch-tests/{test_id}/reading").status_code == 403
    with Browser(api) as browser:
        browser.log_in("other")
        assert browser.get(f"/clients/{client_id}/patch-tests/new").status_code == 404
        assert browser.get(f"/patch-tests/{test_id}/reading").status_code == 404
    with api.client() as anonymous:
        answer = anonymous.get(f"/patch-tests/{test_id}/reading")
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login")


def test_the_runners_refusal_links_to_the_form_and_back(api: LiveApi) -> None:
    session_id = peel_visit(api, patch_tested=False)
    client_id = builders.fetched(api, "practitioner", f"/api/sessions/{session_id}")["client_id"]
    with Browser(api) as browser:
        browser.log_in("practitioner")
        refused = post(browser, session_id, "stages/0/start")
        link = re.search(r'id="runner-record-patch-test" href="([^"]+)"', refused.text)
        assert refused.status_code == 422  # the runner's refused forms
        assert link is not None
        form = link.group(1).replace("&amp;", "&")
        assert (
            form == f"/clients/{client_id}/patch-tests/new?procedure={PEEL}&next={run(session_id)}"
        )
        typed = {"procedure_id": PEEL, "agent": SALICYLIC, "product": "Peel", "lot_number": "L-1",
                 "applied_at": "2026-11-22T09:00", "next": run(session_id)}  # fmt: skip
        recorded = browser.submit(form, f"/clients/{client_id}/patch-tests", typed)
        assert recorded.headers["location"] == run(session_id)
        (test,) = patch_tests_of(api, client_id)
        read(browser, int(str(test["id"])))
        started = post(browser, session_id, "stages/0/start")
    assert started.status_code == 303
    assert "runner-record-patch-test" not in browser_text_after(api, session_id)


def browser_text_after(api: LiveApi, session_id: int) -> str:
    with Browser(api) as browser:
        browser.log_in("practitioner")
        return browser.get(run(session_id)).text


def test_the_plan_shows_the_patch_test_window_state_and_source(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    plan_id = builders.new_plan(api, client_id)
    citation = default_knowledge_base().sources["S1"].citation
    with Browser(api) as browser:
        browser.log_in("practitioner")
        missing = browser.get(f"/plans/{plan_id}").text
        builders.patch_test(api, client_id)
        done = parse(browser.get(f"/plans/{plan_id}").text).visible_text()
    shown = parse(missing).visible_text()
    assert "Patch test: apply between 10 November 2026 and 23 November 2026" in shown
    assert "State missing" in shown
    assert citation in shown
    assert f"procedure={builders.ACNE_PROCEDURE}&amp;next=/plans/{plan_id}" in missing
    assert "State read: no reaction" in done
    with Browser(api) as browser:
        log_in_as(browser, new_staff(api, language="ru"))
        russian = browser.page(f"/plans/{plan_id}").visible_text()
    assert "Проба на переносимость: нанести" in russian
    assert "10 ноября 2026 по 23 ноября 2026" in russian
    with Browser(api) as browser:
        browser.log_in("reception")
        assert 'id="pre-step-patch_test"' not in browser.get(f"/plans/{plan_id}").text
