"""The care pathway's safety rules hold through the API, whatever the path: screening on the
day, acknowledged cautions, consent before the first stage, stages in order, statuses that
follow the work, conditions with a life, dated medications."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.api import builders, calendar_builders
from tests.api.builders import ACNE_PROCEDURE
from tests.api.conftest import LiveApi

PSORIASIS_RULE = "s1_deep_cleansing.psoriasis"


def post(api: LiveApi, who: str, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
    with api.as_(who) as http:
        return http.post(path, json=body if body is not None else {})


def patch(api: LiveApi, who: str, path: str, body: dict[str, Any]) -> httpx.Response:
    with api.as_(who) as http:
        return http.patch(path, json=body)


def history_id(api: LiveApi, client_id: int, code: str) -> int:
    entries = builders.fetched(api, "practitioner", f"/api/clients/{client_id}/history")
    found: int = next(e["id"] for e in entries if e["condition_code"] == code)
    return found


def assert_refused_for(response: httpx.Response, rule: str, code: str) -> dict[str, Any]:
    """A 409 in the API's error shape whose reasons name the rule, the code and its source."""
    assert response.status_code == 409, response.text
    body: dict[str, Any] = response.json()
    assert body["field"] == "procedure_id"
    assert "contraindicated" in body["detail"]
    [reason] = [r for r in body["reasons"] if r["rule"] == rule]
    assert (reason["code"], reason["effect"], reason["source"]) == (code, "contraindicated", "S1")
    assert reason["text"]
    return body


# 1. Screening on the day


def test_a_plan_for_a_contraindicated_procedure_is_refused_with_its_reasons(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    builders.add_history(api, client_id, "psoriasis")
    body = {"procedure_id": ACNE_PROCEDURE, "sessions_planned": 4}
    refused = post(api, "practitioner", f"/api/clients/{client_id}/plans", body)
    assert_refused_for(refused, PSORIASIS_RULE, "psoriasis")
    assert builders.fetched(api, "practitioner", f"/api/clients/{client_id}/plans") == []


def test_a_plan_for_a_procedure_with_a_caution_is_made(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    builders.add_history(api, client_id, "herpes_history")
    assert builders.new_plan(api, client_id) > 0


def test_reception_cannot_book_a_visit_contraindicated_on_its_day(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    builders.add_history(api, client_id, "psoriasis")
    calendar_builders.ensure_calendar(api)
    body = {
        "client_id": client_id,
        "procedure_id": ACNE_PROCEDURE,
        "start": calendar_builders.unique_start(),
    }
    refused = post(api, "reception", "/api/bookings", body)
    assert_refused_for(refused, PSORIASIS_RULE, "psoriasis")


def test_a_booking_carries_the_cautions_screening_found(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    builders.add_history(api, client_id, "herpes_history")
    plan_id = builders.new_plan(api, client_id)
    made = calendar_builders.new_booking(api, plan_id)
    assert [c["code"] for c in made["cautions"]] == ["herpes_history"]
    shown = builders.fetched(api, "reception", f"/api/bookings/{made['id']}")
    assert [c["code"] for c in shown["cautions"]] == ["herpes_history"]
    assert shown["flagged"] == []


def test_a_condition_recorded_after_booking_flags_the_booking_and_bars_its_moves(
    api: LiveApi,
) -> None:
    client_id = builders.new_client(api)
    plan_id = builders.new_plan(api, client_id)
    made = calendar_builders.new_booking(api, plan_id)
    builders.add_history(api, client_id, "sunburn")
    shown = builders.fetched(api, "reception", f"/api/bookings/{made['id']}")
    assert [(r["code"], r["effect"]) for r in shown["flagged"]] == [("sunburn", "contraindicated")]
    moved = post(
        api,
        "reception",
        f"/api/bookings/{made['id']}/reschedule",
        {"start": calendar_builders.unique_start()},
    )
    assert moved.status_code == 409
    assert moved.json()["reasons"][0]["code"] == "sunburn"
    cancelled = post(api, "reception", f"/api/bookings/{made['id']}/cancel")
    assert cancelled.json()["status"] == "cancelled"


def test_a_whole_course_is_screened_before_anything_is_booked(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    plan_id = builders.new_plan(api, client_id)
    builders.add_history(api, client_id, "psoriasis")
    calendar_builders.ensure_calendar(api)
    practitioner = builders.user_id(api, "practitioner")
    body = {"practitioner_id": practitioner, "confirm": True, "first_day": "2028-06-05"}
    refused = post(api, "reception", f"/api/plans/{plan_id}/schedule", body)
    assert_refused_for(refused, PSORIASIS_RULE, "psoriasis")
    window = {"start": "2028-06-01T00:00:00Z", "end": "2028-12-31T00:00:00Z"}
    booked = builders.fetched(api, "reception", "/api/bookings", **window)
    assert [b for b in booked if b["plan_id"] == plan_id] == []


def test_the_optimisers_booking_is_screened(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    plan_id = builders.new_plan(api, client_id)
    calendar_builders.ensure_calendar(api)
    builders.add_history(api, client_id, "psoriasis")
    body = {
        "week_start": "2029-03-05",
        "requests": [{"plan_id": plan_id, "earliest": "2029-03-05", "latest": "2029-03-09"}],
        "seconds": 1,
        "book": True,
    }
    refused = post(api, "reception", "/api/calendar/optimise", body)
    assert_refused_for(refused, PSORIASIS_RULE, "psoriasis")


def test_a_condition_resolved_no_longer_bars_and_stays_in_the_history(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    builders.add_history(api, client_id, "sunburn")
    entry = history_id(api, client_id, "sunburn")
    body = {"procedure_id": ACNE_PROCEDURE, "sessions_planned": 4}
    assert post(api, "practitioner", f"/api/clients/{client_id}/plans", body).status_code == 409
    resolved = patch(
        api, "practitioner", f"/api/clients/{client_id}/history/{entry}", {"status": "resolved"}
    )
    assert resolved.status_code == 200, resolved.text
    assert (resolved.json()["status"], resolved.json()["ended_on"]) == ("resolved", "2026-11-23")
    assert post(api, "practitioner", f"/api/clients/{client_id}/plans", body).status_code == 201
    history = builders.fetched(api, "practitioner", f"/api/clients/{client_id}/history")
    assert [(h["condition_code"], h["status"]) for h in history] == [("sunburn", "resolved")]


def test_a_temporary_condition_bars_until_its_expected_end(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    body = {"condition_code": "sunburn", "expected_end_on": "2030-12-31"}
    builders.created(api, "practitioner", f"/api/clients/{client_id}/history", body)
    calendar_builders.ensure_calendar(api)
    before = {"client_id": client_id, "procedure_id": ACNE_PROCEDURE}
    refused = post(
        api, "reception", "/api/bookings", before | {"start": "2030-12-20T10:00:00+01:00"}
    )
    assert refused.status_code == 409
    after = post(api, "reception", "/api/bookings", before | {"start": "2031-01-03T10:00:00+01:00"})
    assert after.status_code == 201, after.text


def test_a_last_dose_after_today_is_refused_naming_the_field(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    body = {"code": "isotretinoin", "last_taken": "2026-12-01"}
    refused = post(api, "practitioner", f"/api/clients/{client_id}/medications", body)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["field"] == "last_taken"
    assert builders.fetched(api, "practitioner", f"/api/clients/{client_id}/medications") == []


# 2-4. Cautions acknowledged, consent, the protocol in order


def booked_session(api: LiveApi, *history: str, consent: bool = True) -> tuple[int, int, int]:
    """A client with ``history``, a plan, a booking and its session: (client, booking, session)."""
    client_id = builders.new_client(api)
    for code in history:
        builders.add_history(api, client_id, code)
    plan_id = builders.new_plan(api, client_id)
    if consent:
        builders.sign_consent(api, client_id, patch_tested=False)
    made = calendar_builders.new_booking(api, plan_id)
    applied = datetime.fromisoformat(made["start"]) - timedelta(days=2)
    builders.patch_test(api, client_id, applied_at=applied.isoformat())
    session = post(api, "practitioner", f"/api/bookings/{made['id']}/session")
    assert session.status_code == 200, session.text
    return client_id, made["id"], session.json()["id"]


@pytest.fixture
def api(api: LiveApi) -> Iterator[LiveApi]:
    """The live API; the tokens signed in after a test moved the clock are dropped with it."""
    yield api
    api.forget_tokens()


def on_the_day(api: LiveApi, booking_id: int) -> str:
    """Move the clock to the booking's start (signing in anew then); its start, as given."""
    start: str = builders.fetched(api, "practitioner", f"/api/bookings/{booking_id}")["start"]
    api.clock.now = datetime.fromisoformat(start)
    api.forget_tokens()
    return start


def start_stage(api: LiveApi, session_id: int, index: int, at: str) -> httpx.Response:
    body = {"stage_index": index, "name": f"stage {index}", "started_at": at}
    return post(api, "practitioner", f"/api/sessions/{session_id}/stages", body)


def test_a_session_cannot_start_before_its_day(api: LiveApi) -> None:
    _, _, session_id = booked_session(api)
    refused = start_stage(api, session_id, 0, "2026-11-23T10:00:00Z")
    assert refused.status_code == 409
    assert refused.json()["field"] == "started_at"
    assert "cannot start before" in refused.json()["detail"]


def test_the_first_stage_needs_a_consent_in_the_current_wording(api: LiveApi) -> None:
    client_id, booking_id, session_id = booked_session(api, consent=False)
    at = on_the_day(api, booking_id)
    old = builders.consent_body() | {"procedure_id": ACNE_PROCEDURE}
    builders.created(api, "practitioner", f"/api/clients/{client_id}/consents", old)
    refused = start_stage(api, session_id, 0, at)
    assert (refused.status_code, refused.json()["field"]) == (409, "consent")
    builders.sign_consent(api, client_id)
    assert start_stage(api, session_id, 0, at).status_code == 201


def test_cautions_are_acknowledged_before_the_first_stage(api: LiveApi) -> None:
    _, booking_id, session_id = booked_session(api, "herpes_history")
    at = on_the_day(api, booking_id)
    refused = start_stage(api, session_id, 0, at)
    assert (refused.status_code, refused.json()["field"]) == (409, "acknowledgement")
    assert [r["code"] for r in refused.json()["reasons"]] == ["herpes_history"]
    partial = post(
        api, "practitioner", f"/api/sessions/{session_id}/acknowledgement", {"reasons": []}
    )
    assert partial.status_code == 422
    acknowledged = builders.acknowledge(api, session_id, note="antiviral cover discussed")
    assert acknowledged["acknowledged_by"] == builders.user_id(api, "practitioner")
    assert acknowledged["acknowledgement_note"] == "antiviral cover discussed"
    assert [c["code"] for c in acknowledged["cautions"]] == ["herpes_history"]
    assert start_stage(api, session_id, 0, at).status_code == 201
    events = builders.audit_events(api, resource_type="session", resource_id=str(session_id))
    assert any(e["detail"].get("change") == "acknowledge_cautions" for e in events)


def test_a_contraindication_cannot_be_acknowledged_away(api: LiveApi) -> None:
    client_id, booking_id, session_id = booked_session(api)
    builders.add_history(api, client_id, "psoriasis")
    at = on_the_day(api, booking_id)
    refused = post(api, "practitioner", f"/api/sessions/{session_id}/acknowledgement")
    assert_refused_for(refused, PSORIASIS_RULE, "psoriasis")
    assert_refused_for(start_stage(api, session_id, 0, at), PSORIASIS_RULE, "psoriasis")


def test_stages_go_in_order_and_a_skipped_one_keeps_its_reason(api: LiveApi) -> None:
    _, booking_id, session_id = booked_session(api)
    at = on_the_day(api, booking_id)
    builders.acknowledge(api, session_id)
    out_of_order = start_stage(api, session_id, 1, at)
    assert (out_of_order.status_code, out_of_order.json()["field"]) == (409, "stage_index")
    assert start_stage(api, session_id, 0, at).status_code == 201
    skipped = post(
        api, "practitioner", f"/api/sessions/{session_id}/stages/1/skip", {"reason": "declined"}
    )
    assert skipped.status_code == 201, skipped.text
    assert (skipped.json()["skipped"], skipped.json()["skip_reason"]) == (True, "declined")
    assert start_stage(api, session_id, 2, at).status_code == 201


# 5. Statuses that follow the work


def finish_every_stage(api: LiveApi, session_id: int) -> None:
    procedure = builders.fetched(api, "practitioner", f"/api/procedures/{ACNE_PROCEDURE}")
    for index in range(len(procedure["stages"])):
        path = f"/api/sessions/{session_id}/stages/{index}/skip"
        builders.created(api, "practitioner", path, {"reason": "test of statuses"})


def test_completing_a_session_marks_the_booking_done_and_moves_the_plan(api: LiveApi) -> None:
    client_id, booking_id, session_id = booked_session(api)
    at = on_the_day(api, booking_id)
    builders.acknowledge(api, session_id)
    assert start_stage(api, session_id, 0, at).status_code == 201
    early = post(api, "practitioner", f"/api/sessions/{session_id}/complete")
    assert (early.status_code, early.json()["field"]) == (409, "status")
    plans = builders.fetched(api, "practitioner", f"/api/clients/{client_id}/plans")
    assert plans[0]["status"] == "active"
    ended = patch(api, "practitioner", f"/api/sessions/{session_id}/stages/0", {"ended_at": at})
    assert ended.status_code == 200, ended.text
    procedure = builders.fetched(api, "practitioner", f"/api/procedures/{ACNE_PROCEDURE}")
    for index in range(1, len(procedure["stages"])):
        path = f"/api/sessions/{session_id}/stages/{index}/skip"
        builders.created(api, "practitioner", path, {"reason": "test of statuses"})
    done = post(api, "practitioner", f"/api/sessions/{session_id}/complete")
    assert done.json()["status"] == "completed"
    booking = builders.fetched(api, "reception", f"/api/bookings/{booking_id}")
    assert booking["status"] == "done"
    for refused in (
        post(api, "reception", f"/api/bookings/{booking_id}/cancel"),
        post(
            api,
            "reception",
            f"/api/bookings/{booking_id}/reschedule",
            {"start": calendar_builders.unique_start()},
        ),
    ):
        assert (refused.status_code, refused.json()["field"]) == (409, "status")


def test_a_booking_under_way_can_be_neither_moved_nor_cancelled(api: LiveApi) -> None:
    _, booking_id, session_id = booked_session(api)
    at = on_the_day(api, booking_id)
    builders.acknowledge(api, session_id)
    assert start_stage(api, session_id, 0, at).status_code == 201
    refused = post(api, "reception", f"/api/bookings/{booking_id}/cancel")
    assert refused.status_code == 409
    assert "under way" in refused.json()["detail"]


def test_the_last_session_completes_the_plan(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    body = {"procedure_id": ACNE_PROCEDURE, "sessions_planned": 1}
    plan_id = builders.created(api, "practitioner", f"/api/clients/{client_id}/plans", body)["id"]
    session_id = builders.ready_session(api, client_id, plan_id)
    finish_every_stage(api, session_id)
    assert post(api, "practitioner", f"/api/sessions/{session_id}/complete").status_code == 200
    plan = builders.fetched(api, "practitioner", f"/api/plans/{plan_id}")
    assert plan["status"] == "completed"
    more = post(api, "reception", "/api/bookings", calendar_builders.booking_body(api, plan_id))
    assert (more.status_code, more.json()["field"]) == (409, "plan_id")


def test_cancelling_a_plan_cancels_its_bookings_to_come(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    plan_id = builders.new_plan(api, client_id)
    first = calendar_builders.new_booking(api, plan_id)
    second = calendar_builders.new_booking(api, plan_id)
    refused = patch(api, "practitioner", f"/api/plans/{plan_id}", {"status": "completed"})
    assert (refused.status_code, refused.json()["field"]) == (409, "status")
    cancelled = patch(api, "practitioner", f"/api/plans/{plan_id}", {"status": "cancelled"})
    assert cancelled.json()["status"] == "cancelled"
    for made in (first, second):
        shown = builders.fetched(api, "reception", f"/api/bookings/{made['id']}")
        assert shown["status"] == "cancelled"


def test_a_condition_confined_to_another_area_does_not_bar_the_back(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    body = {"condition_code": "psoriasis", "area": "face"}
    builders.created(api, "practitioner", f"/api/clients/{client_id}/history", body)
    assert builders.new_plan(api, client_id, area="back") > 0
    elsewhere = builders.new_client(api)
    builders.add_history(api, elsewhere, "psoriasis")  # no area: read as on the back too
    refused = post(
        api,
        "practitioner",
        f"/api/clients/{elsewhere}/plans",
        {"procedure_id": ACNE_PROCEDURE, "sessions_planned": 1, "area": "back"},
    )
    assert_refused_for(refused, PSORIASIS_RULE, "psoriasis")


def test_an_allergy_on_record_is_screened(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    allergy = {"allergen": "Egg", "code": "egg_allergy"}
    builders.created(api, "practitioner", f"/api/clients/{client_id}/allergies", allergy)
    body = {"procedure_id": "home_clay_mask", "sessions_planned": 1}
    refused = post(api, "practitioner", f"/api/clients/{client_id}/plans", body)
    assert refused.status_code == 409
    assert [r["code"] for r in refused.json()["reasons"]] == ["egg_allergy"]
    unknown = post(
        api, "practitioner", f"/api/clients/{client_id}/allergies", {"allergen": "x", "code": "x"}
    )
    assert (unknown.status_code, unknown.json()["detail"][0]["field"]) == (422, "code")


def test_procedures_keep_their_gaps_between_each_other(api: LiveApi) -> None:
    calendar_builders.ensure_calendar(api)
    client_id = builders.new_client(api)
    peel = builders.new_plan(api, client_id, procedure_id="chemical_peel")
    roller = builders.new_plan(api, client_id, procedure_id="dermal_roller")
    builders.created(
        api, "reception", "/api/bookings", {"plan_id": peel, "start": "2035-03-05T09:00:00+01:00"}
    )
    too_soon = post(
        api, "reception", "/api/bookings", {"plan_id": roller, "start": "2035-03-08T09:00:00+01:00"}
    )
    assert too_soon.status_code == 409
    [reason] = too_soon.json()["reasons"]
    assert (reason["rule"], reason["code"], reason["source"]) == (
        "sequencing.chemical_peel.dermal_roller",
        "chemical_peel",
        "AADPeelFAQ",
    )
    later = post(
        api, "reception", "/api/bookings", {"plan_id": roller, "start": "2035-03-13T09:00:00+01:00"}
    )
    assert later.status_code == 201, later.text


def test_a_gap_resting_on_clinic_practice_only_cautions(api: LiveApi) -> None:
    calendar_builders.ensure_calendar(api)
    client_id = builders.new_client(api)
    roller = builders.new_plan(api, client_id, procedure_id="dermal_roller")
    peel = builders.new_plan(api, client_id, procedure_id="chemical_peel")
    builders.created(
        api, "reception", "/api/bookings", {"plan_id": roller, "start": "2035-04-02T09:00:00+01:00"}
    )
    made = builders.created(
        api, "reception", "/api/bookings", {"plan_id": peel, "start": "2035-04-05T11:00:00+01:00"}
    )
    spacing = [c for c in made["cautions"] if c["rule"].startswith("sequencing.")]
    assert [(c["code"], c["effect"], c["source"]) for c in spacing] == [
        ("dermal_roller", "caution", "ClinicPractice")
    ]
