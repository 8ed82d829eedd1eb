"""Treatment plans over HTTP: practitioners in full, reception a summary to book from."""

from __future__ import annotations

from tests.api import builders
from tests.api.conftest import LiveApi

SUMMARY = {
    "id",
    "client_id",
    "procedure_id",
    "status",
    "sessions_planned",
    "sessions_booked",
    "sessions_completed",
}


def test_a_plan_follows_a_consultation_and_changes_status(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    consultation = builders.new_consultation(api, client_id)
    plan_id = builders.new_plan(api, client_id, consultation_id=consultation["id"], note="4 weeks")
    with api.as_("practitioner") as http:
        changed = http.patch(f"/api/plans/{plan_id}", json={"note": "6 weeks"}).json()
        ahead = http.patch(f"/api/plans/{plan_id}", json={"status": "active"})
        plan = http.get(f"/api/plans/{plan_id}").json()
    assert changed == plan
    assert (plan["status"], plan["consultation_id"], plan["note"]) == (
        "planned",
        consultation["id"],
        "6 weeks",
    )
    assert (ahead.status_code, ahead.json()["field"]) == (409, "status")


def test_reception_sees_procedure_status_and_session_counts_only(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    plan_id = builders.new_plan(api, client_id, note="clinical note")
    done = builders.ready_session(api, client_id, plan_id)
    builders.new_session(api, plan_id, who="reception")
    procedure = builders.fetched(api, "practitioner", f"/api/procedures/{builders.ACNE_PROCEDURE}")
    builders.skip_stages(api, done, range(len(procedure["stages"])))
    with api.as_("practitioner") as http:
        assert http.post(f"/api/sessions/{done}/complete").status_code == 200
    (summary,) = builders.fetched(api, "reception", f"/api/clients/{client_id}/plans")
    (full,) = builders.fetched(api, "practitioner", f"/api/clients/{client_id}/plans")
    assert set(summary) == SUMMARY
    assert (summary["sessions_planned"], summary["sessions_booked"]) == (4, 1)
    assert summary["sessions_completed"] == 1
    assert full["note"] == "clinical note"


def test_a_consultation_of_another_client_cannot_back_a_plan(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    stranger = builders.new_consultation(api, builders.new_client(api))
    with api.as_("practitioner") as http:
        response = http.post(
            f"/api/clients/{client_id}/plans",
            json={
                "procedure_id": "chemical_peel",
                "sessions_planned": 2,
                "consultation_id": stranger["id"],
            },
        )
    assert response.status_code == 404


def test_a_bad_plan_is_422_with_the_allowed_values(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    with api.as_("practitioner") as http:
        unknown = http.post(
            f"/api/clients/{client_id}/plans",
            json={"procedure_id": "botox", "sessions_planned": 2},
        )
        too_many = http.patch(
            f"/api/plans/{builders.new_plan(api, client_id)}", json={"sessions_planned": 0}
        )
    assert unknown.status_code == too_many.status_code == 422
    assert unknown.json()["detail"][0]["field"] == "procedure_id"
    assert "allowed: atraumatic_back_cleansing" in unknown.json()["detail"][0]["msg"]
    assert too_many.json()["detail"][0]["field"] == "sessions_planned"


def test_another_clinic_sees_no_plan(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    plan_id = builders.new_plan(api, client_id)
    with api.as_("other") as http:
        assert http.get(f"/api/plans/{plan_id}").status_code == 404
        assert http.patch(f"/api/plans/{plan_id}", json={"status": "cancelled"}).status_code == 404
        assert http.get(f"/api/clients/{client_id}/plans").status_code == 404
    assert builders.fetched(api, "practitioner", f"/api/plans/{plan_id}")["status"] == "planned"
