"""Sessions over HTTP: booked by reception, recorded stage by stage by practitioners."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api import builders
from tests.api.conftest import LiveApi

BOOKING = {
    "id", "plan_id", "client_id", "practitioner_id", "practitioner_name", "scheduled_at", "status",
}  # fmt: skip
STAGES = [
    {
        "stage_index": 0,
        "name": "Cleansing",
        "started_at": "2026-11-30T10:00:00Z",
        "ended_at": "2026-11-30T10:10:00+00:00",
    },
    {"stage_index": 1, "name": "Acid peel", "started_at": "2026-11-30T10:15:00Z"},
]
FIRST = {"stage_index": 0, "name": "Cleansing", "started_at": "2026-11-30T10:15:00Z"}


def new_visit(api: LiveApi) -> int:
    """A session of today that may start: consent signed, cautions acknowledged."""
    client_id = builders.new_client(api)
    return builders.ready_session(api, client_id, builders.new_plan(api, client_id))


def record(api: LiveApi, session_id: int, part: str, body: dict[str, Any]) -> dict[str, Any]:
    return builders.created(api, "practitioner", f"/api/sessions/{session_id}/{part}", body)


def test_reception_books_a_session_and_sees_the_booking_not_the_record(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    plan_id = builders.new_plan(api, client_id)
    booked = builders.created(
        api, "reception", f"/api/plans/{plan_id}/sessions", builders.booking(api)
    )
    record(api, booked["id"], "observations", {"observed_at": "2026-11-30T10:20:00Z", "text": "ok"})
    (seen,) = builders.fetched(api, "reception", f"/api/clients/{client_id}/sessions")
    (full,) = builders.fetched(api, "practitioner", f"/api/clients/{client_id}/sessions")
    assert set(booked) == set(seen) == BOOKING
    assert (seen["status"], seen["scheduled_at"]) == ("scheduled", "2026-11-23T10:00:00Z")
    assert [o["text"] for o in full["observations"]] == ["ok"]


def test_a_session_records_stages_products_observations_and_adverse_events(
    api: LiveApi,
) -> None:
    session_id = new_visit(api)
    for stage in STAGES:
        record(api, session_id, "stages", stage)
    record(
        api,
        session_id,
        "products",
        {"name": "Glycolic 30%", "lot_number": "GL-2026-11", "stage_index": 1},
    )
    record(
        api, session_id, "observations", {"observed_at": "2026-11-30T10:20:00Z", "text": "erythema"}
    )
    event = {"occurred_at": "2026-11-30T10:25:00Z", "kind": "burning", "severity": "mild"}
    record(api, session_id, "adverse-events", {**event, "action_taken": "neutralised"})
    visit = builders.fetched(api, "practitioner", f"/api/sessions/{session_id}")
    assert [(s["stage_index"], s["name"]) for s in visit["stages"]] == [
        (0, "Cleansing"),
        (1, "Acid peel"),
    ]
    assert visit["stages"][0]["ended_at"] == "2026-11-30T10:10:00Z"
    assert [(p["name"], p["lot_number"]) for p in visit["products"]] == [
        ("Glycolic 30%", "GL-2026-11")
    ]
    assert [o["text"] for o in visit["observations"]] == ["erythema"]
    assert [(a["kind"], a["severity"], a["action_taken"]) for a in visit["adverse_events"]] == [
        ("burning", "mild", "neutralised")
    ]


def test_a_sessions_status_follows_the_work(api: LiveApi) -> None:
    session_id = new_visit(api)
    body = {
        "status": "completed",
        "started_at": "2026-11-30T10:00:00Z",
        "ended_at": "2026-11-30T11:00:00Z",
    }
    with api.as_("practitioner") as http:
        unworked = http.patch(f"/api/sessions/{session_id}", json=body)
        backwards = http.patch(
            f"/api/sessions/{session_id}",
            json={"started_at": "2026-11-30T12:00:00Z", "ended_at": "2026-11-30T11:00:00Z"},
        )
        no_show = http.patch(f"/api/sessions/{session_id}", json={"status": "no_show"})
    assert (unworked.status_code, unworked.json()["field"]) == (409, "status")
    assert backwards.status_code == 422
    assert no_show.json()["status"] == "no_show"


def test_a_stage_is_recorded_once(api: LiveApi) -> None:
    session_id = new_visit(api)
    record(api, session_id, "stages", FIRST)
    with api.as_("practitioner") as http:
        again = http.post(f"/api/sessions/{session_id}/stages", json=FIRST)
    assert again.status_code == 409
    assert again.json()["field"] == "stage_index"


def test_a_stage_is_checked_off_after_its_start_and_only_once_started(api: LiveApi) -> None:
    session_id = new_visit(api)
    record(api, session_id, "stages", FIRST)
    path = f"/api/sessions/{session_id}/stages"
    with api.as_("practitioner") as http:
        early = http.patch(f"{path}/0", json={"ended_at": "2026-11-30T10:14:00Z"})
        ended = http.patch(f"{path}/0", json={"ended_at": "2026-11-30T10:30:00Z"})
        never_started = http.patch(f"{path}/1", json={"ended_at": "2026-11-30T10:30:00Z"})
        (stage,) = http.get(f"/api/sessions/{session_id}").json()["stages"]
    assert (early.status_code, early.json()["field"]) == (409, "ended_at")
    assert ended.status_code == 200
    assert never_started.status_code == 404
    assert stage["ended_at"] == "2026-11-30T10:30:00Z"


def test_another_clinic_gets_404_even_where_the_owner_would_get_409(api: LiveApi) -> None:
    session_id = new_visit(api)
    record(api, session_id, "stages", FIRST)
    with api.as_("other") as http:
        assert http.post(f"/api/sessions/{session_id}/stages", json=FIRST).status_code == 404
        assert http.get(f"/api/sessions/{session_id}").status_code == 404


@pytest.mark.parametrize(
    ("part", "body", "field"),
    [
        (
            "stages",
            {"stage_index": 0, "name": "Cleansing", "started_at": "2026-11-30T10:00:00"},
            "started_at",
        ),
        (
            "stages",
            {"stage_index": -1, "name": "Cleansing", "started_at": "2026-11-30T10:00:00Z"},
            "stage_index",
        ),
        ("products", {"name": "Glycolic 30%", "lot_number": ""}, "lot_number"),
        (
            "adverse-events",
            {"occurred_at": "2026-11-30T10:00:00Z", "kind": "burn", "severity": "awful"},
            "severity",
        ),
    ],
)
def test_bad_session_records_are_422_naming_the_field(
    api: LiveApi, part: str, body: dict[str, Any], field: str
) -> None:
    session_id = new_visit(api)
    with api.as_("practitioner") as http:
        response = http.post(f"/api/sessions/{session_id}/{part}", json=body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == field


def test_only_a_practitioner_of_the_clinic_can_be_booked(api: LiveApi) -> None:
    plan_id = builders.new_plan(api, builders.new_client(api))
    elsewhere = builders.user_id(api, "other")
    desk = builders.user_id(api, "reception")
    with api.as_("reception") as http:
        for practitioner_id in (elsewhere, desk):
            body = {**builders.booking(api), "practitioner_id": practitioner_id}
            response = http.post(f"/api/plans/{plan_id}/sessions", json=body)
            assert response.status_code == 409
            assert response.json()["field"] == "practitioner_id"
