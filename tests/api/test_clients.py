"""Clients over HTTP: who may do what, clinic isolation, validation, pagination, audit."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

from tests.api.conftest import LiveApi

CONTACT = {"given_name": "Mia", "family_name": "Stone", "phone": "+44 20 7946 0000"}
CLINICAL = {**CONTACT, "skin_type": "oily", "phototype": 3, "risk_factors": ["frequent_stress"]}


def new_client(api: LiveApi, **extra: Any) -> int:
    with api.as_("practitioner") as http:
        response = http.post("/api/clients", json={**CLINICAL, **extra})
    assert response.status_code == 201, response.text
    client_id: int = response.json()["id"]
    return client_id


def test_practitioner_sees_the_clinical_fields_reception_only_contact(api: LiveApi) -> None:
    client_id = new_client(api)
    with api.as_("practitioner") as http:
        full = http.get(f"/api/clients/{client_id}").json()
    with api.as_("reception") as http:
        contact = http.get(f"/api/clients/{client_id}").json()
    assert full["skin_type"] == "oily"
    assert full["phototype"] == 3
    assert contact["phone"] == CONTACT["phone"]
    assert not {"skin_type", "phototype", "risk_factors"} & set(contact)


def test_reception_books_a_client_but_may_not_record_clinical_fields(api: LiveApi) -> None:
    with api.as_("reception") as http:
        booked = http.post("/api/clients", json=CONTACT)
        refused = http.post("/api/clients", json=CLINICAL)
    assert booked.status_code == 201
    assert refused.status_code == 403
    assert "skin_type" in refused.json()["detail"]


def test_reception_never_sees_medical_history(api: LiveApi) -> None:
    client_id = new_client(api)
    with api.as_("practitioner") as http:
        added = http.post(f"/api/clients/{client_id}/history", json={"condition_code": "psoriasis"})
        assert added.status_code == 201
    with api.as_("reception") as http:
        for part in ("history", "medications", "allergies"):
            assert http.get(f"/api/clients/{client_id}/{part}").status_code == 403


def test_admin_manages_users_not_client_records(api: LiveApi) -> None:
    client_id = new_client(api)
    with api.as_("admin") as http:
        assert http.get(f"/api/clients/{client_id}").status_code == 403
        assert http.get("/api/clients").status_code == 403


def test_another_clinic_cannot_see_or_change_the_client(api: LiveApi) -> None:
    client_id = new_client(api)
    with api.as_("other") as http:
        assert http.get(f"/api/clients/{client_id}").status_code == 404
        assert (
            http.patch(f"/api/clients/{client_id}", json={"phone": "+1 555 0100"}).status_code
            == 404
        )
        assert http.get(f"/api/clients/{client_id}/history").status_code == 404
        listed = http.get("/api/clients", params={"limit": 200}).json()["items"]
    assert client_id not in {c["id"] for c in listed}


@pytest.mark.parametrize(
    ("body", "field", "hint"),
    [
        ({"condition_code": "psoriazis"}, "condition_code", "allowed: acid_intolerance"),
        ({"condition_code": "eczema", "status": "cured"}, "status", "'active' or 'resolved'"),
        ({"condition_code": "eczema", "colour": "red"}, "colour", "Extra inputs"),
    ],
)
def test_bad_history_is_422_naming_the_field(
    api: LiveApi, body: dict[str, Any], field: str, hint: str
) -> None:
    client_id = new_client(api)
    with api.as_("practitioner") as http:
        response = http.post(f"/api/clients/{client_id}/history", json=body)
        assert http.get(f"/api/clients/{client_id}/history").json() == []
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["field"] == field
    assert hint in error["msg"]


def test_bad_client_fields_are_422_and_nothing_is_changed(api: LiveApi) -> None:
    client_id = new_client(api)
    with api.as_("practitioner") as http:
        bad = http.patch(f"/api/clients/{client_id}", json={"phototype": 9, "phone": "+1 555 0199"})
        after = http.get(f"/api/clients/{client_id}").json()
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "phototype"
    assert (after["phototype"], after["phone"]) == (3, CONTACT["phone"])


def test_missing_client_is_404_and_a_bad_id_is_422(api: LiveApi) -> None:
    with api.as_("practitioner") as http:
        assert http.get("/api/clients/987654321").status_code == 404
        assert http.get("/api/clients/abc").status_code == 422


def test_list_paginates(api: LiveApi) -> None:
    for _ in range(3):
        new_client(api)
    with api.as_("practitioner") as http:
        first = http.get("/api/clients", params={"limit": 2}).json()
        second = http.get("/api/clients", params={"limit": 2, "offset": 2}).json()
        too_big = http.get("/api/clients", params={"limit": 10_000})
    assert len(first["items"]) == 2
    assert first["total"] >= 3
    assert {c["id"] for c in first["items"]}.isdisjoint({c["id"] for c in second["items"]})
    assert too_big.status_code == 422
    assert too_big.json()["detail"][0]["field"] == "limit"


def test_medications_with_dates_round_trip(api: LiveApi) -> None:
    client_id = new_client(api)
    with api.as_("practitioner") as http:
        added = http.post(
            f"/api/clients/{client_id}/medications",
            json={"code": "isotretinoin", "last_taken": "2026-08-01"},
        )
        listed = http.get(f"/api/clients/{client_id}/medications").json()
    assert added.status_code == 201
    assert [(m["code"], m["last_taken"]) for m in listed] == [("isotretinoin", "2026-08-01")]


def test_per_client_lists_page_with_a_total_header(api: LiveApi) -> None:
    client_id = new_client(api)
    with api.as_("practitioner") as http:
        for code in ("eczema", "rosacea", "psoriasis"):
            http.post(f"/api/clients/{client_id}/history", json={"condition_code": code})
        page = http.get(f"/api/clients/{client_id}/history", params={"offset": 1, "limit": 1})
        bad = http.get(f"/api/clients/{client_id}/history", params={"limit": 0})
    assert page.headers["X-Total-Count"] == "3"
    assert [row["condition_code"] for row in page.json()] == ["rosacea"]
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "limit"


def test_the_client_search_finds_any_part_of_a_name_in_any_script_and_a_phone(
    api: LiveApi,
) -> None:
    family = f"Соколова{uuid4().hex[:8]}"
    client_id = new_client(api, given_name="Алина", family_name=family, phone="+7 (912) 111-22-33")
    with api.as_("reception") as http:
        by_name = http.get("/api/clients", params={"q": f"АЛИНА {family[-12:].lower()}"})
        by_phone = http.get("/api/clients", params={"q": "8 912 1112233", "sort": "recent"})
        refused = http.get("/api/clients", params={"sort": "oldest"})
    assert [c["id"] for c in by_name.json()["items"]] == [client_id]
    assert client_id in {c["id"] for c in by_phone.json()["items"]}
    assert by_name.headers["X-Total-Count"] == "1"
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["query", "sort"]


def test_the_new_details_are_stored_and_shown_to_reception(api: LiveApi) -> None:
    details = {
        "sex": "female",
        "preferred_language": "ru",
        "emergency_contact": "Mother, +7 912 000 00 00",
        "referral_source": "social_media",
        "marketing_consent": True,
        "notes": "Prefers mornings",
    }
    client_id = new_client(api, **details)
    with api.as_("reception") as http:
        shown = http.get(f"/api/clients/{client_id}").json()
        refused = http.patch(f"/api/clients/{client_id}", json={"referral_source": "tv"})
    assert {name: shown[name] for name in details} == details
    assert shown["marketing_consent_at"] is not None
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "referral_source"]
