"""The protocol runner over real HTTP: the stages in the knowledge base's order, timers kept by
the server across reloads, check-off, products with lots, observations, adverse events, errors
beside their fields, and who may run a session."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import pytest

from corneum.knowledge import default_knowledge_base
from tests.api import builders, calendar_builders
from tests.api.conftest import LiveApi
from tests.web.browser import Browser, parse

PROCEDURE = default_knowledge_base().procedure(builders.ACNE_PROCEDURE)
TIMED = next(i for i, stage in enumerate(PROCEDURE.stages) if stage.timer)
"""The moisturising napkins: ten minutes."""


def new_visit(api: LiveApi) -> int:
    """A session of today that may start: consent signed, cautions acknowledged."""
    client_id = builders.new_client(api)
    return builders.ready_session(api, client_id, builders.new_plan(api, client_id))


def run(session_id: int) -> str:
    return f"/sessions/{session_id}/run"


def stage_block(html: str, index: int) -> str:
    """The markup of one stage of the runner."""
    match = re.search(
        rf'<li[^>]*data-stage-index="{index}".*?</li>\s*(?=<li class="card stage|</ol>)', html, re.S
    )
    assert match, f"no stage {index}"
    return match.group(0)


def timer_of(html: str, index: int) -> dict[str, str]:
    block = stage_block(html, index)
    remaining = re.search(r'data-remaining-seconds="(-?\d+)"', block)
    state = re.search(r'data-state="(\w+)"', block)
    clock = re.search(r'class="timer-clock">([^<]+)<', block)
    assert remaining, block
    assert state, block
    assert clock, block
    return {"remaining": remaining.group(1), "state": state.group(1), "clock": clock.group(1)}


def post(browser: Browser, session_id: int, action: str, data: dict[str, Any] | None = None) -> Any:
    return browser.submit(run(session_id), f"/sessions/{session_id}/{action}", data or {})


def recorded(api: LiveApi, session_id: int) -> dict[str, Any]:
    visit: dict[str, Any] = builders.fetched(api, "practitioner", f"/api/sessions/{session_id}")
    return visit


def test_the_runner_shows_the_procedures_stages_in_the_knowledge_bases_order(api: LiveApi) -> None:
    session_id = new_visit(api)
    with Browser(api) as browser:
        browser.log_in("practitioner")
        html = browser.get(run(session_id)).text
    indexes = [int(i) for i in re.findall(r'data-stage-index="(\d+)"', html)]
    assert indexes == list(range(len(PROCEDURE.stages)))
    positions = [html.index(f"</span> {stage.name} <span") for stage in PROCEDURE.stages]
    assert positions == sorted(positions)
    assert parse(html).unlabelled() == []


def test_a_running_timer_survives_a_reload_and_follows_the_server_clock(api: LiveApi) -> None:
    session_id = new_visit(api)
    with Browser(api) as browser:
        browser.log_in("practitioner")
        builders.skip_stages(api, session_id, range(TIMED))
        started = post(browser, session_id, f"stages/{TIMED}/start")
        assert started.status_code == 303
        assert started.headers["location"] == f"{run(session_id)}#stage-{TIMED}"
        first = timer_of(browser.get(run(session_id)).text, TIMED)
        api.clock.now += timedelta(minutes=4, seconds=30)
        later = timer_of(browser.get(run(session_id)).text, TIMED)
        api.clock.now += timedelta(minutes=7)
        over = browser.get(run(session_id)).text
    assert first == {"remaining": "600", "state": "left", "clock": "10:00"}
    assert later == {"remaining": "330", "state": "left", "clock": "05:30"}
    assert timer_of(over, TIMED) == {"remaining": "-90", "state": "over", "clock": "01:30"}
    assert "Over time by" in stage_block(over, TIMED)
    assert 'data-stage-state="running"' in stage_block(over, TIMED)


def test_a_timer_with_a_range_allows_time_up_to_its_longest(api: LiveApi) -> None:
    # KB 2.0: a chemical peel times each agent on its own, so the laser's numbing wait is the range
    peel = default_knowledge_base().procedure("laser_back_resurfacing")
    index = next(i for i, stage in enumerate(peel.stages) if stage.timer)
    span = peel.stages[index].duration_minutes
    assert span is not None
    assert span.min < span.max
    client_id = builders.new_client(api)
    plan_id = builders.new_plan(api, client_id, procedure_id="laser_back_resurfacing")
    session_id = builders.ready_session(api, client_id, plan_id, "laser_back_resurfacing")
    builders.skip_stages(api, session_id, range(index))
    with Browser(api) as browser:
        browser.log_in("practitioner")
        post(browser, session_id, f"stages/{index}/start")
        api.clock.now += timedelta(minutes=span.min, seconds=30)
        within = timer_of(browser.get(run(session_id)).text, index)
        api.clock.now += timedelta(minutes=span.max - span.min)
        beyond = timer_of(browser.get(run(session_id)).text, index)
    still = (span.max - span.min) * 60 - 30
    assert within == {
        "remaining": "-30",
        "state": "reached",
        "clock": f"{still // 60:02d}:{still % 60:02d}",
    }
    assert beyond["state"] == "over"
    assert beyond["clock"] == "00:30"


def test_an_untimed_stage_has_no_countdown(api: LiveApi) -> None:
    session_id = new_visit(api)
    with Browser(api) as browser:
        browser.log_in("practitioner")
        post(browser, session_id, "stages/0/start")
        html = browser.get(run(session_id)).text
    assert 'data-stage-state="running"' in stage_block(html, 0)
    assert "data-remaining-seconds" not in stage_block(html, 0)


def test_a_checked_off_stage_stays_done_and_the_session_is_under_way(api: LiveApi) -> None:
    session_id = new_visit(api)
    with Browser(api) as browser:
        browser.log_in("practitioner")
        post(browser, session_id, "stages/0/start")
        api.clock.now += timedelta(minutes=5)
        finished = post(browser, session_id, "stages/0/finish")
        html = browser.get(run(session_id)).text
    assert finished.status_code == 303
    assert 'data-stage-state="done"' in stage_block(html, 0)
    assert 'data-action="start"' in stage_block(html, 1)
    visit = recorded(api, session_id)
    assert visit["status"] == "in_progress"
    ((stage),) = visit["stages"]
    assert (stage["stage_index"], stage["name"]) == (0, PROCEDURE.stages[0].name)
    assert (stage["started_at"], stage["ended_at"]) == (
        "2026-11-23T09:00:00Z",
        "2026-11-23T09:05:00Z",
    )


def test_a_stage_started_twice_says_so_beside_it(api: LiveApi) -> None:
    session_id = new_visit(api)
    with Browser(api) as browser:
        browser.log_in("practitioner")
        token = browser.page(run(session_id)).csrf_token()
        first = browser.http.post(
            f"/sessions/{session_id}/stages/0/start", data={"csrf_token": token}
        )
        again = browser.http.post(
            f"/sessions/{session_id}/stages/0/start", data={"csrf_token": token}
        )
    assert first.status_code == 303
    assert again.status_code == 422
    assert "This stage has already been started." in stage_block(again.text, 0)
    assert len(recorded(api, session_id)["stages"]) == 1


def test_products_observations_and_adverse_events_are_saved_and_shown(api: LiveApi) -> None:
    session_id = new_visit(api)
    with Browser(api) as browser:
        browser.log_in("practitioner")
        post(
            browser,
            session_id,
            "stages/2/products",
            {"name": "Glycolic 30%", "lot_number": "GL-77"},
        )
        post(browser, session_id, "observations", {"text": "Mild redness on the shoulders"})
        event = {"kind": "Stinging", "severity": "moderate", "action_taken": "Neutralised early"}
        post(browser, session_id, "adverse-events", event)
        html = browser.get(run(session_id)).text
    assert "GL-77" in stage_block(html, 2)
    assert "Mild redness on the shoulders" in html
    assert "Neutralised early" in html
    visit = recorded(api, session_id)
    assert [(p["name"], p["lot_number"], p["stage_index"]) for p in visit["products"]] == [
        ("Glycolic 30%", "GL-77", 2)
    ]
    assert [o["observed_at"] for o in visit["observations"]] == ["2026-11-23T09:00:00Z"]
    ((adverse),) = visit["adverse_events"]
    assert (adverse["kind"], adverse["severity"], adverse["action_taken"]) == (
        "Stinging",
        "moderate",
        "Neutralised early",
    )


@pytest.mark.parametrize(
    ("action", "data", "field"),
    [
        ("stages/3/products", {"name": "Enzyme peel", "lot_number": ""}, "product-3-lot_number"),
        ("adverse-events", {"kind": "Itching", "severity": "awful"}, "adverse-severity"),
        ("adverse-events", {"kind": "", "severity": "mild"}, "adverse-kind"),
        ("observations", {"text": "  "}, "observation-text"),
    ],
)
def test_bad_input_is_shown_beside_its_field_and_keeps_what_was_recorded(
    api: LiveApi, action: str, data: dict[str, str], field: str
) -> None:
    session_id = new_visit(api)
    with Browser(api) as browser:
        browser.log_in("practitioner")
        post(browser, session_id, "stages/0/products", {"name": "Cleanser", "lot_number": "CL-1"})
        refused = post(browser, session_id, action, data)
    assert refused.status_code == 422
    error = re.search(rf'<p class="error" id="{field}-error">([^<]+)</p>', refused.text)
    assert error, refused.text
    assert f'aria-describedby="{field}-error"' in refused.text
    assert "CL-1" in stage_block(refused.text, 0)
    typed = [value for name, value in data.items() if name != "severity" and value.strip()]
    assert all(f'value="{value}"' in refused.text for value in typed)
    visit = recorded(api, session_id)
    assert len(visit["products"]) == 1
    assert visit["adverse_events"] == visit["observations"] == []


def test_completing_the_session_closes_the_stages(api: LiveApi) -> None:
    session_id = new_visit(api)
    with Browser(api) as browser:
        browser.log_in("practitioner")
        post(browser, session_id, "stages/0/start")
        early = post(browser, session_id, "complete")
        builders.skip_stages(api, session_id, range(1, len(PROCEDURE.stages)))
        api.clock.now += timedelta(minutes=50)
        post(browser, session_id, "stages/0/finish")
        assert post(browser, session_id, "complete").status_code == 303
        html = browser.get(run(session_id)).text
    assert early.status_code == 422
    assert re.search(r'id="complete-error">stages not done or skipped yet: 0, 1', early.text)
    visit = recorded(api, session_id)
    assert (visit["status"], visit["ended_at"]) == ("completed", "2026-11-23T09:50:00Z")
    assert 'data-session-status="completed"' in html
    assert 'data-action="start"' not in html
    assert 'data-action="complete"' not in html
    assert f'action="/sessions/{session_id}/adverse-events"' in html
    assert f'href="/sessions/{session_id}/outcome"' in html


def test_a_cancelled_session_takes_nothing_new(api: LiveApi) -> None:
    session_id = new_visit(api)
    with api.as_("practitioner") as http:
        http.patch(f"/api/sessions/{session_id}", json={"status": "cancelled"}).raise_for_status()
    with Browser(api) as browser:
        browser.log_in("practitioner")
        html = browser.get(run(session_id)).text
    assert 'data-session-status="cancelled"' in html
    assert f'action="/sessions/{session_id}/' not in html


@pytest.mark.parametrize(
    ("who", "status", "action", "fields", "details"),
    [
        ("reception", 403, "stages/0/start", {}, "stages"),
        ("admin", 403, "stages/0/start", {}, "stages"),
        ("other", 404, "observations", {"text": "x"}, "observations"),
    ],
)
def test_only_the_clinics_practitioners_run_a_session(
    api: LiveApi, who: str, status: int, action: str, fields: dict[str, str], details: str
) -> None:
    """Other roles are refused; another clinic's practitioner is not even told it exists."""
    session_id = new_visit(api)
    with Browser(api) as browser:
        browser.log_in(who)
        assert browser.get(run(session_id)).status_code == status
        token = browser.page("/").csrf_token()
        response = browser.http.post(
            f"/sessions/{session_id}/{action}", data={"csrf_token": token, **fields}
        )
    assert response.status_code == status
    assert recorded(api, session_id)[details] == []


def test_a_stage_the_procedure_lacks_is_not_found(api: LiveApi) -> None:
    session_id = new_visit(api)
    with Browser(api) as browser:
        browser.log_in("practitioner")
        response = post(browser, session_id, f"stages/{len(PROCEDURE.stages)}/start")
    assert response.status_code == 404


def test_a_post_without_the_csrf_token_is_refused(api: LiveApi) -> None:
    session_id = new_visit(api)
    with Browser(api) as browser:
        browser.log_in("practitioner")
        response = browser.http.post(f"/sessions/{session_id}/stages/0/start", data={})
    assert response.status_code == 403
    assert recorded(api, session_id)["stages"] == []


def test_the_clients_timeline_links_to_the_runner(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    session_id = builders.new_session(api, builders.new_plan(api, client_id))
    with Browser(api) as browser:
        browser.log_in("practitioner")
        html = browser.get(f"/clients/{client_id}").text
    assert f'href="{run(session_id)}"' in html


def run_booking(browser: Browser, booking_id: int) -> Any:
    return browser.submit("/", f"/bookings/{booking_id}/run", {})


def test_todays_appointment_opens_the_same_runner_every_time(api: LiveApi) -> None:
    plan_id = builders.new_plan(api, builders.new_client(api))
    booking = calendar_builders.new_booking(api, plan_id)
    api.clock.now = datetime.fromisoformat(booking["start"]).replace(hour=6)
    with Browser(api) as browser:
        browser.log_in("practitioner")
        home = browser.get("/").text
        first = run_booking(browser, booking["id"])
        again = run_booking(browser, booking["id"])
        page = browser.get(first.headers["location"])
    assert f'action="/bookings/{booking["id"]}/run"' in home
    assert first.status_code == again.status_code == 303
    assert first.headers["location"] == again.headers["location"]
    assert page.status_code == 200
    assert 'data-stage-index="0"' in page.text


def test_a_cancelled_booking_has_no_runner(api: LiveApi) -> None:
    plan_id = builders.new_plan(api, builders.new_client(api))
    booking = calendar_builders.new_booking(api, plan_id)
    with api.as_("reception") as http:
        cancelled = http.post(f"/api/bookings/{booking['id']}/cancel", json={})
    assert cancelled.json()["status"] == "cancelled"
    with Browser(api) as browser:
        browser.log_in("practitioner")
        refused = run_booking(browser, booking["id"])
    assert refused.status_code == 409
    assert "no longer open" in refused.text
