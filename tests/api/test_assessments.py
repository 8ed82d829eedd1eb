"""POST /api/assessments: an inline profile or a stored client, verdicts with cited reasons."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest

from corneum.http.problems import problem
from tests.api import builders
from tests.api.conftest import LiveApi
from tests.conftest import profile_data


def assess(api: LiveApi, body: dict[str, Any]) -> httpx.Response:
    with api.as_("practitioner") as http:
        return http.post("/api/assessments", json=body)


def verdict(assessment: dict[str, Any], procedure_id: str) -> dict[str, Any]:
    (found,) = [p for p in assessment["procedures"] if p["id"] == procedure_id]
    procedure: dict[str, Any] = found
    return procedure


def blocking(procedure: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for r in procedure["reasons"] if r["effect"] == "contraindicated"]


def test_psoriasis_in_an_inline_profile_blocks_acid_back_cleansing(api: LiveApi) -> None:
    response = assess(api, {"profile": profile_data(conditions=["psoriasis"])})
    assert response.status_code == 200, response.text
    procedure = verdict(response.json(), "atraumatic_back_cleansing")
    assert procedure["verdict"] == "contraindicated"
    assert [(r["code"], r["source"]) for r in blocking(procedure)] == [("psoriasis", "S1")]
    assert "atraumatic_back_cleansing" not in response.json()["recommended"]


def test_the_answer_is_the_whole_assessment_with_the_knowledge_base_stamp(api: LiveApi) -> None:
    body = assess(api, {"profile": profile_data()}).json()
    stamp = builders.fetched(api, "practitioner", "/api/codes")["knowledge_base"]
    procedures = builders.fetched(api, "practitioner", "/api/procedures")
    assert body["knowledge_base"] == stamp
    assert {p["id"] for p in body["procedures"]} == {p["id"] for p in procedures}
    reason = body["procedures"][0]["reasons"][0]
    assert set(reason) == {"rule", "code", "effect", "source", "text", "eligible_from", "note"}
    assert body["recommended"]


def test_the_date_defaults_to_the_clock_and_a_profile_date_wins(api: LiveApi) -> None:
    api.clock.now += timedelta(days=3)
    with builders.signed_in_now(api, "practitioner") as http:
        today = http.post("/api/assessments", json={"profile": profile_data()}).json()
        dated = http.post(
            "/api/assessments", json={"profile": profile_data(assessed_on="2025-01-02")}
        ).json()
    assert today["assessed_on"] == "2026-11-26"
    assert dated["assessed_on"] == "2025-01-02"


def test_a_stored_client_is_assessed_from_active_history_and_dated_medications(
    api: LiveApi,
) -> None:
    client_id = builders.new_client(api)
    builders.add_history(api, client_id, "psoriasis", status="resolved")
    builders.add_medication(api, client_id, "isotretinoin", last_taken="2026-08-01")
    body = {"client_id": client_id, **builders.BACK, "assessed_on": "2026-11-23"}
    response = assess(api, body)
    assert response.status_code == 200, response.text
    laser = verdict(response.json(), "laser_back_resurfacing")
    acid = verdict(response.json(), "atraumatic_back_cleansing")
    # KB 2.0: isotretinoin rules out only an ablative laser regime (Waldman 2017), a caution
    assert laser["verdict"] == "caution"
    dated = [
        (r["rule"], r["eligible_from"]) for r in laser["reasons"] if r["code"] == "isotretinoin"
    ]
    assert ("laser_back_resurfacing.isotretinoin_ablative", "2027-02-01") in dated
    assert not [r for r in blocking(acid) if r["code"] == "psoriasis"]


def test_an_active_history_entry_counts(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    builders.add_history(api, client_id, "psoriasis")
    response = assess(api, {"client_id": client_id, **builders.BACK})
    procedure = verdict(response.json(), "atraumatic_back_cleansing")
    assert procedure["verdict"] == "contraindicated"
    assert response.json()["assessed_on"] == "2026-11-23"


@pytest.mark.parametrize(
    ("profile", "field", "hint"),
    [
        (
            profile_data(conditions=["psoriazis"]),
            "profile.conditions.0",
            "allowed: acid_intolerance",
        ),
        (profile_data(area="scalp"), "profile.area", "allowed: "),
        (profile_data(medications=[{"code": "aspirin"}]), "profile.medications.0.code", "allowed"),
        (profile_data(fitzpatrick=7), "profile.fitzpatrick", "less than or equal to 6"),
        ({k: v for k, v in profile_data().items() if k != "age"}, "profile.age", "required"),
    ],
)
def test_a_bad_profile_is_422_at_its_field_with_the_allowed_values(
    api: LiveApi, profile: dict[str, Any], field: str, hint: str
) -> None:
    response = assess(api, {"profile": profile})
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["field"] == field
    assert hint in error["msg"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "client_id"),
        ({"profile": profile_data(), "client_id": 1}, "client_id"),
        ({"profile": profile_data(), "area": "back"}, "area"),
        ({"client_id": 1, "concerns": []}, "area"),
        ({"client_id": 1, "area": "back"}, "concerns"),
        ({"profile": "oily skin"}, "profile"),
        ({"client_id": 1, **builders.BACK, "age": 30}, "age"),
    ],
)
def test_a_request_of_neither_or_both_forms_is_422(
    api: LiveApi, body: dict[str, Any], field: str
) -> None:
    response = assess(api, body)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["detail"]] == [field]


def test_a_client_without_what_an_assessment_needs_is_422_naming_it(api: LiveApi) -> None:
    client_id = builders.new_client(api, date_of_birth=None, phototype=None)
    response = assess(api, {"client_id": client_id, **builders.BACK})
    assert response.status_code == 422
    fields = [e["field"] for e in response.json()["detail"]]
    assert fields == ["client.date_of_birth", "client.phototype"]
    assert all("record it" in e["msg"] for e in response.json()["detail"])


def test_a_stored_client_with_an_unknown_concern_is_422_at_the_body_field(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    body = {"client_id": client_id, "area": "back", "concerns": ["blackheads", "freckles"]}
    response = assess(api, body)
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert (error["field"], error["type"]) == ("concerns.1", "unknown_code")


def test_a_client_born_after_the_assessment_date_is_422_at_the_date_of_birth(
    api: LiveApi,
) -> None:
    client_id = builders.new_client(api, date_of_birth="2020-05-05")
    response = assess(api, {"client_id": client_id, **builders.BACK, "assessed_on": "2019-01-01"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "client.date_of_birth"


def test_another_clinics_client_is_404_and_a_missing_one_too(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    with api.as_("other") as http:
        theirs = http.post("/api/assessments", json={"client_id": client_id, **builders.BACK})
    missing = assess(api, {"client_id": 987654321, **builders.BACK})
    assert (theirs.status_code, missing.status_code) == (404, 404)
    assert theirs.json() == problem(404, f"client {client_id} not found", "/api/assessments")


def test_assessing_a_stored_client_is_audited_and_an_inline_profile_is_not(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    assess(api, {"client_id": client_id, **builders.BACK})
    assess(api, {"profile": profile_data()})
    reads = builders.audit_events(api, client_id=client_id, action="read")
    assert [e["detail"].get("purpose") for e in reads] == ["assessment"]
    assert reads[0]["actor_id"] == builders.user_id(api, "practitioner")
