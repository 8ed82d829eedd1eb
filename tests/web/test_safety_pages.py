"""Safety first in the web app: the runner, the booking and the client's record show what
screening on the day found, the practitioner acknowledges cautions and resolves conditions
there, and every refusal of the services reaches the page in the reader's language."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from tests.api import builders, calendar_builders
from tests.api.conftest import LiveApi
from tests.web.browser import Browser
from tests.web.staff import log_in_as, new_staff


def run(session_id: int) -> str:
    return f"/sessions/{session_id}/run"


def error_of(html: str, name: str) -> str:
    found = re.search(rf'<p class="error" id="{name}-error">([^<]+)</p>', html)
    assert found, html
    return found.group(1)


def session_with(api: LiveApi, *history: str, consent: bool = True) -> tuple[int, int]:
    """A client with ``history`` and a session of today: (client, session)."""
    client_id = builders.new_client(api)
    for code in history:
        builders.add_history(api, client_id, code)
    plan_id = builders.new_plan(api, client_id)
    if consent:
        builders.sign_consent(api, client_id)
    return client_id, builders.new_session(api, plan_id)


def test_the_runner_asks_for_the_cautions_to_be_acknowledged_before_the_first_stage(
    api: LiveApi,
) -> None:
    client_id, session_id = session_with(api, "herpes_history")
    builders.created(
        api, "practitioner", f"/api/clients/{client_id}/allergies", {"allergen": "Latex"}
    )
    with Browser(api) as browser:
        browser.log_in("practitioner")
        page = browser.get(run(session_id)).text
        refused = browser.submit(run(session_id), f"/sessions/{session_id}/stages/0/start", {})
        acknowledged = browser.submit(
            run(session_id),
            f"/sessions/{session_id}/acknowledgement",
            {"note": "antiviral cover discussed"},
        )
        started = browser.submit(run(session_id), f"/sessions/{session_id}/stages/0/start", {})
        after = browser.get(run(session_id)).text
    safety = page[page.index('id="safety"') : page.index('id="stages"')]
    assert 'data-effect="caution"' in safety
    assert "Latex" in safety
    assert "No consent signed" not in safety
    assert refused.status_code == 422
    assert "not acknowledged: History of herpes" in error_of(refused.text, "stage-0")
    assert acknowledged.status_code == 303
    assert started.status_code == 303
    assert 'id="acknowledged"' in after
    visit = builders.fetched(api, "practitioner", f"/api/sessions/{session_id}")
    assert visit["acknowledgement_note"] == "antiviral cover discussed"
    assert visit["status"] == "in_progress"


def test_a_session_without_consent_is_refused_in_russian(api: LiveApi) -> None:
    _, session_id = session_with(api, consent=False)
    with Browser(api) as browser:
        log_in_as(browser, new_staff(api, language="ru"))
        page = browser.get(run(session_id)).text
        refused = browser.submit(run(session_id), f"/sessions/{session_id}/stages/0/start", {})
    assert "Согласие в действующей редакции не подписано." in page
    assert refused.status_code == 422
    assert error_of(refused.text, "stage-0").startswith("нет подписанного согласия")
    assert builders.fetched(api, "practitioner", f"/api/sessions/{session_id}")["stages"] == []


def test_a_stage_is_skipped_with_its_reason_from_the_runner(api: LiveApi) -> None:
    client_id, session_id = session_with(api)
    builders.acknowledge(api, session_id)
    with Browser(api) as browser:
        browser.log_in("practitioner")
        empty = browser.submit(run(session_id), f"/sessions/{session_id}/stages/0/skip", {})
        out_of_order = browser.submit(
            run(session_id), f"/sessions/{session_id}/stages/1/skip", {"reason": "declined"}
        )
        skipped = browser.submit(
            run(session_id), f"/sessions/{session_id}/stages/0/skip", {"reason": "declined"}
        )
        html = browser.get(run(session_id)).text
    assert (empty.status_code, out_of_order.status_code, skipped.status_code) == (422, 422, 303)
    assert "comes first" in error_of(out_of_order.text, "skip-1")
    assert 'data-stage-state="skipped"' in html
    assert "Skipped: declined" in html
    [stage] = builders.fetched(api, "practitioner", f"/api/sessions/{session_id}")["stages"]
    assert (stage["skipped"], stage["skip_reason"]) == (True, "declined")
    assert client_id


def test_a_booking_barred_since_it_was_made_is_flagged_on_the_booking_and_the_record(
    api: LiveApi,
) -> None:
    client_id = builders.new_client(api)
    plan_id = builders.new_plan(api, client_id)
    made = calendar_builders.new_booking(api, plan_id)
    builders.add_history(api, client_id, "psoriasis")
    booking_page = f"/calendar/bookings/{made['id']}"
    with Browser(api) as browser:
        browser.log_in("practitioner")
        booking = browser.get(booking_page).text
        record = browser.get(f"/clients/{client_id}").text
    assert 'id="safety-barring"' in booking
    assert 'data-effect="contraindicated"' in booking
    assert f'id="flagged-{made["id"]}"' in record
    assert f'href="/calendar/bookings/{made["id"]}"' in record


def test_a_condition_is_resolved_from_the_record_and_stays_in_the_history(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    builders.add_history(api, client_id, "sunburn")
    [entry] = builders.fetched(api, "practitioner", f"/api/clients/{client_id}/history")
    record = f"/clients/{client_id}"
    with Browser(api) as browser:
        browser.log_in("practitioner")
        before = browser.get(record).text
        resolved = browser.submit(record, f"{record}/history/{entry['id']}/resolve", {})
        after = browser.get(record).text
    assert f'data-history-id="{entry["id"]}"' in before
    assert resolved.status_code == 303
    assert f'data-history-id="{entry["id"]}"' not in after
    [kept] = builders.fetched(api, "practitioner", f"/api/clients/{client_id}/history")
    assert (kept["status"], kept["ended_on"]) == ("resolved", "2026-11-23")
    body = {"procedure_id": builders.ACNE_PROCEDURE, "sessions_planned": 1}
    assert builders.created(api, "practitioner", f"/api/clients/{client_id}/plans", body)["id"]


def test_reception_sees_no_clinical_banner_on_the_record(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    builders.add_history(api, client_id, "psoriasis")
    with Browser(api) as browser:
        browser.log_in("reception")
        record = browser.get(f"/clients/{client_id}").text
    assert 'id="safety"' not in record
    assert 'id="conditions"' not in record


def test_reception_is_told_why_a_visit_cannot_be_booked_in_her_language(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    builders.add_history(api, client_id, "psoriasis")
    calendar_builders.ensure_calendar(api)
    start = calendar_builders.unique_start()
    slots = f"/calendar/slots?client={client_id}&procedure={builders.ACNE_PROCEDURE}"
    form = {
        "client": str(client_id),
        "procedure": builders.ACNE_PROCEDURE,
        "start": start,
        "practitioner_id": str(builders.user_id(api, "practitioner")),
    }
    with Browser(api) as browser:
        log_in_as(browser, new_staff(api, "reception", language="ru"))
        refused = browser.submit(slots, "/calendar/bookings", form)
    assert refused.status_code == 409
    assert "противопоказана этому клиенту" in refused.text
    assert "Псориаз" in refused.text
    window = {"start": "2028-01-01T00:00:00Z", "end": "2030-01-01T00:00:00Z"}
    booked = builders.fetched(api, "reception", "/api/bookings", **window)
    assert [b for b in booked if b["client_id"] == client_id] == []


def test_a_session_cannot_start_before_its_day_from_the_runner(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    plan_id = builders.new_plan(api, client_id)
    builders.sign_consent(api, client_id)
    session_id = builders.new_session(api, plan_id, scheduled_at="2026-11-30T10:00:00+00:00")
    builders.acknowledge(api, session_id)
    with Browser(api) as browser:
        browser.log_in("practitioner")
        refused = browser.submit(run(session_id), f"/sessions/{session_id}/stages/0/start", {})
    assert refused.status_code == 422
    assert "cannot start before that day" in error_of(refused.text, "stage-0")
    assert builders.fetched(api, "practitioner", f"/api/sessions/{session_id}")["stages"] == []


def test_todays_list_flags_an_appointment_contraindicated_since_it_was_booked(
    api: LiveApi,
) -> None:
    client_id = builders.new_client(api)
    plan_id = builders.new_plan(api, client_id)
    body = calendar_builders.booking_body(api, plan_id)
    booked = builders.created(api, "reception", "/api/bookings", body)
    builders.add_history(api, client_id, "sunburn")
    api.clock.now = datetime.fromisoformat(body["start"]).replace(hour=7).astimezone(UTC)
    api.forget_tokens()
    with Browser(api) as browser:
        browser.log_in("practitioner")
        html = browser.get("/").text
    assert f'data-flagged="{booked["id"]}"' in html
