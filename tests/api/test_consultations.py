"""Consultations over HTTP: a stored client's profile and assessment, kept as they were made."""

from __future__ import annotations

from datetime import timedelta

from tests.api import builders
from tests.api.conftest import LiveApi


def test_a_consultation_stores_the_profile_it_read_and_the_assessment(api: LiveApi) -> None:
    client_id = builders.new_client(api, date_of_birth="2000-11-24")
    builders.add_history(api, client_id, "psoriasis")
    builders.add_history(api, client_id, "eczema", status="resolved")
    builders.add_medication(api, client_id, "isotretinoin", last_taken="2026-08-01")
    consultation = builders.new_consultation(api, client_id)
    profile = consultation["profile"]
    assert profile["age"] == 25
    assert profile["conditions"] == ["psoriasis"]
    assert profile["medications"] == [{"code": "isotretinoin", "last_taken": "2026-08-01"}]
    assert (profile["skin_type"], profile["fitzpatrick"]) == ("oily", 3)
    assert profile["assessed_on"] == consultation["assessment"]["assessed_on"] == "2026-11-23"
    stamp = builders.fetched(api, "practitioner", "/api/codes")["knowledge_base"]
    assert consultation["assessment"]["knowledge_base"] == stamp
    assert (consultation["kb_version"], consultation["kb_sha256"]) == (
        stamp["version"],
        stamp["sha256"],
    )
    assert consultation["created_by"] == builders.user_id(api, "practitioner")


def test_age_is_counted_on_the_assessment_day(api: LiveApi) -> None:
    client_id = builders.new_client(api, date_of_birth="2000-11-24")
    path = f"/api/clients/{client_id}/consultations"
    api.clock.now += timedelta(days=1)
    with builders.signed_in_now(api, "practitioner") as http:
        birthday = http.post(path, json=builders.BACK).json()
        back_then = http.post(path, json={**builders.BACK, "assessed_on": "2020-01-01"}).json()
    assert (birthday["profile"]["age"], birthday["profile"]["assessed_on"]) == (26, "2026-11-24")
    assert back_then["profile"]["age"] == 19


def test_a_stored_assessment_is_reproduced_from_its_stored_profile(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    builders.add_medication(api, client_id, "isotretinoin", last_taken="2026-08-01")
    stored = builders.new_consultation(api, client_id)
    api.clock.now += timedelta(days=400)
    with builders.signed_in_now(api, "practitioner") as http:
        again = http.post("/api/assessments", json={"profile": stored["profile"]}).json()
    kept = dict(stored["assessment"])
    assert kept.pop("schema_version") == 2  # the stored record's version, beside the same result
    for item in [*kept["procedures"], {"reasons": kept["referrals"]}]:
        for reason in item["reasons"]:
            assert reason.pop("phrase") is not None  # how it was worded, kept beside the text
    assert again == kept


def test_consultations_are_listed_and_read_back(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    first = builders.new_consultation(api, client_id)
    second = builders.new_consultation(api, client_id, concerns=["excess_sebum"])
    listed = builders.fetched(api, "practitioner", f"/api/clients/{client_id}/consultations")
    one = builders.fetched(api, "practitioner", f"/api/consultations/{second['id']}")
    assert [c["id"] for c in listed] == [first["id"], second["id"]]
    assert one == second


def test_a_refused_consultation_stores_nothing(api: LiveApi) -> None:
    client_id = builders.new_client(api, skin_type=None)
    with api.as_("practitioner") as http:
        refused = http.post(f"/api/clients/{client_id}/consultations", json=builders.BACK)
        bad_area = http.post(
            f"/api/clients/{client_id}/consultations", json={"area": "moon", "concerns": []}
        )
        listed = http.get(f"/api/clients/{client_id}/consultations").json()
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["detail"]] == ["client.skin_type"]
    assert bad_area.status_code == 422
    assert listed == []


def test_the_body_names_no_client_the_path_does(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    with api.as_("practitioner") as http:
        response = http.post(
            f"/api/clients/{client_id}/consultations", json={"client_id": 1, **builders.BACK}
        )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "client_id"


def test_another_clinic_sees_no_consultation(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    consultation = builders.new_consultation(api, client_id)
    with api.as_("other") as http:
        assert http.get(f"/api/consultations/{consultation['id']}").status_code == 404
        assert http.get(f"/api/clients/{client_id}/consultations").status_code == 404


def test_creating_and_reading_a_consultation_is_audited(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    consultation = builders.new_consultation(api, client_id)
    builders.fetched(api, "practitioner", f"/api/consultations/{consultation['id']}")
    events = builders.audit_events(api, client_id=client_id, resource="consultation")
    assert [(e["action"], e["resource_id"]) for e in events] == [
        ("read", str(consultation["id"])),
        ("create", str(consultation["id"])),
    ]
