"""Staff accounts over HTTP: an admin manages the users of their own clinic."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.api import builders
from tests.api.conftest import PASSWORD, LiveApi

USER_FIELDS = {
    "id",
    "clinic_id",
    "email",
    "full_name",
    "colour",
    "role",
    "qualifications",
    "active",
    "created_at",
    "language",
    "second_factor",
}


def add_user(api: LiveApi, **fields: Any) -> dict[str, Any]:
    return builders.created(api, "admin", "/api/users", builders.new_user_body(**fields))


def test_an_admin_adds_a_practitioner_who_can_then_sign_in(api: LiveApi) -> None:
    user = add_user(api, role="practitioner", qualifications=["cosmetologist"])
    with api.client() as http:
        signed_in = http.post(
            "/api/auth/token", json={"email": user["email"], "password": PASSWORD}
        )
    assert set(user) == USER_FIELDS
    assert (user["role"], user["qualifications"], user["active"]) == (
        "practitioner",
        ["cosmetologist"],
        True,
    )
    assert signed_in.status_code == 200


def test_an_admin_changes_role_and_qualifications_and_deactivates(api: LiveApi) -> None:
    user = add_user(api)
    with api.as_("admin") as http:
        promoted = http.patch(
            f"/api/users/{user['id']}", json={"role": "practitioner", "qualifications": ["doctor"]}
        ).json()
        deactivated = http.patch(f"/api/users/{user['id']}", json={"active": False}).json()
        read = http.get(f"/api/users/{user['id']}").json()
    with api.client() as http:
        refused = http.post("/api/auth/token", json={"email": user["email"], "password": PASSWORD})
    assert (promoted["role"], promoted["qualifications"]) == ("practitioner", ["doctor"])
    assert deactivated["active"] is False
    assert read == deactivated
    assert refused.status_code == 401


def test_the_list_is_paginated_and_holds_only_the_clinic(api: LiveApi) -> None:
    add_user(api)
    first = builders.fetched(api, "admin", "/api/users", limit=2)
    everyone = builders.fetched(api, "admin", "/api/users", limit=200)
    theirs = builders.fetched(api, "other_admin", "/api/users", limit=200)
    assert len(first["items"]) == 2
    assert first["total"] == everyone["total"] >= 4
    assert {u["clinic_id"] for u in everyone["items"]} == {everyone["items"][0]["clinic_id"]}
    assert api.emails["admin"] in {u["email"] for u in everyone["items"]}
    assert api.emails["admin"] not in {u["email"] for u in theirs["items"]}
    assert "password_hash" not in first["items"][0]


def test_an_email_in_use_in_the_clinic_is_409(api: LiveApi) -> None:
    with api.as_("admin") as http:
        body = builders.new_user_body(email=api.emails["reception"].upper())
        response = http.post("/api/users", json=body)
    assert response.status_code == 409
    assert response.json()["field"] == "email"


def sign_in(api: LiveApi, **body: str) -> httpx.Response:
    with api.client() as http:
        return http.post("/api/auth/token", json=body)


def me(api: LiveApi, token: str) -> dict[str, Any]:
    with api.client() as http:
        answer: dict[str, Any] = http.get(
            "/api/auth/me", headers={"Authorization": f"Bearer {token}"}
        ).json()
    return answer


def test_a_person_working_for_two_clinics_has_an_account_in_each(api: LiveApi) -> None:
    """The other clinic's practitioner joins this clinic too: a second account, its own
    password; each password signs in to its own clinic, and naming the clinic chooses."""
    address = api.emails["other"]
    backend = address.split("@")[1].split(".")[0]  # the seed names clinics after the backend
    second_password = "a second long clinic passphrase"
    joined = add_user(api, email=address, password=second_password)
    here = sign_in(api, email=address, password=second_password)
    there = sign_in(api, email=address, password=PASSWORD)
    named = sign_in(api, email=address, password=PASSWORD, clinic=f"  AWAY   {backend.upper()} ")
    wrong_clinic = sign_in(api, email=address, password=PASSWORD, clinic=f"Nowhere {backend}")
    assert [r.status_code for r in (here, there, named, wrong_clinic)] == [200, 200, 200, 401]
    assert me(api, here.json()["access_token"])["id"] == joined["id"]
    assert me(api, there.json()["access_token"])["clinic_id"] != joined["clinic_id"]
    assert me(api, named.json()["access_token"])["clinic_id"] != joined["clinic_id"]


@pytest.mark.parametrize(
    ("change", "field", "hint"),
    [
        ({"role": "owner"}, "role", "'admin', 'practitioner' or 'reception'"),
        ({"qualifications": ["surgeon"]}, "qualifications.0", "allowed: "),
        ({"password": "short"}, "password", "at least 12"),
        ({"email": "not-an-email"}, "email", "not one valid email address"),
        ({"email": "ana@example.org, eve@example.org"}, "email", "not one valid email address"),
    ],
)
def test_a_bad_user_is_422_naming_the_field(
    api: LiveApi, change: dict[str, Any], field: str, hint: str
) -> None:
    with api.as_("admin") as http:
        response = http.post("/api/users", json=builders.new_user_body(**change))
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["field"] == field
    assert hint in error["msg"]


def test_the_last_active_admin_cannot_step_down(api: LiveApi) -> None:
    admin_id = builders.user_id(api, "admin")
    with api.as_("admin") as http:
        demoted = http.patch(f"/api/users/{admin_id}", json={"role": "practitioner"})
        deactivated = http.patch(f"/api/users/{admin_id}", json={"active": False})
        deputy = add_user(api, role="admin")
        deputy_leaves = http.patch(f"/api/users/{deputy['id']}", json={"active": False})
    assert (demoted.status_code, deactivated.status_code) == (409, 409)
    assert (demoted.json()["field"], deactivated.json()["field"]) == ("role", "active")
    assert deputy_leaves.status_code == 200
    assert builders.fetched(api, "admin", "/api/auth/me")["role"] == "admin"


def test_another_clinics_user_is_404(api: LiveApi) -> None:
    theirs = builders.user_id(api, "other")
    with api.as_("admin") as http:
        assert http.get(f"/api/users/{theirs}").status_code == 404
        assert http.patch(f"/api/users/{theirs}", json={"active": False}).status_code == 404
    assert builders.fetched(api, "other", "/api/auth/me")["id"] == theirs


def test_creating_and_changing_a_user_is_audited(api: LiveApi) -> None:
    user = add_user(api)
    builders.fetched(api, "admin", f"/api/users/{user['id']}")
    with api.as_("admin") as http:
        http.patch(f"/api/users/{user['id']}", json={"qualifications": []})
    events = builders.audit_events(api, resource="user", actor_id=builders.user_id(api, "admin"))
    mine = [(e["action"], e["detail"]) for e in events if e["resource_id"] == str(user["id"])]
    assert mine == [("update", {"fields": ["qualifications"]}), ("create", {})]


def signed_in_headers(api: LiveApi, email: str) -> dict[str, str]:
    with api.client() as http:
        token = http.post("/api/auth/token", json={"email": email, "password": PASSWORD})
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


def test_a_deactivated_user_is_locked_out_at_once(api: LiveApi) -> None:
    user = add_user(api, role="practitioner", qualifications=["cosmetologist"])
    headers = signed_in_headers(api, user["email"])
    with api.client() as http:
        assert http.get("/api/auth/me", headers=headers).status_code == 200  # signed in
        with api.as_("admin") as admin:
            admin.patch(f"/api/users/{user['id']}", json={"active": False})
        assert http.get("/api/auth/me", headers=headers).status_code == 401


def test_a_role_change_applies_at_once(api: LiveApi) -> None:
    user = add_user(api, role="practitioner", qualifications=["cosmetologist"])
    headers = signed_in_headers(api, user["email"])
    client_id = builders.new_client(api)
    with api.client() as http:
        history = f"/api/clients/{client_id}/history"
        assert http.get(history, headers=headers).status_code == 200
        with api.as_("admin") as admin:
            admin.patch(f"/api/users/{user['id']}", json={"role": "reception"})
        assert http.get(history, headers=headers).status_code == 403
