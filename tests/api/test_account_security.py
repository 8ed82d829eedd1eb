"""Accounts under attack and in everyday care, over HTTP: the growing wait after wrong
passwords, the one-time code, password rules, changing and resetting a password, and what
deactivation does to a user's sessions. Each test works on accounts of its own (the seeded
ones keep their passwords for the rest of the suite); the server's clock is moved by hand."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pyotp
import pytest

from tests.api import builders
from tests.api.conftest import PASSWORD, LiveApi

NEW_PASSWORD = "another long clinic phrase"


def add_user(api: LiveApi, role: str = "reception") -> dict[str, Any]:
    return builders.created(api, "admin", "/api/users", builders.new_user_body(role=role))


def sign_in(
    http: httpx.Client, email: str, password: str = PASSWORD, code: str | None = None
) -> httpx.Response:
    body = {"email": email, "password": password}
    if code is not None:
        body["code"] = code
    return http.post("/api/auth/token", json=body)


def bearer(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_wrong_passwords_make_a_growing_wait_not_a_lock(api: LiveApi) -> None:
    email = add_user(api)["email"]
    with api.client() as http:
        for _ in range(5):
            assert sign_in(http, email, "not the password").status_code == 401
        first = sign_in(http, email)
        assert first.status_code == 429
        assert int(first.headers["Retry-After"]) == 30
        api.clock.now += timedelta(seconds=31)
        assert sign_in(http, email, "still not it").status_code == 401
        second = sign_in(http, email)
        assert second.status_code == 429
        assert int(second.headers["Retry-After"]) == 60
        api.clock.now += timedelta(seconds=61)
        assert sign_in(http, email).status_code == 200
        # A success forgives: the next mistake is free again.
        assert sign_in(http, email, "a slip").status_code == 401
        assert sign_in(http, email).status_code == 200


def enrol(api: LiveApi, http: httpx.Client, headers: dict[str, str]) -> pyotp.TOTP:
    setup = http.post("/api/auth/second-factor", headers=headers)
    assert setup.status_code == 200, setup.text
    totp = pyotp.TOTP(setup.json()["secret"])
    assert setup.json()["otpauth_uri"] == totp.provisioning_uri(
        name=http.get("/api/auth/me", headers=headers).json()["email"], issuer_name="Corneum"
    )
    wrong = http.post("/api/auth/second-factor/confirm", json={"code": "000000"}, headers=headers)
    assert wrong.status_code == 422
    assert wrong.json()["detail"][0]["field"] == "code"
    confirmed = http.post(
        "/api/auth/second-factor/confirm", json={"code": totp.at(api.clock.now)}, headers=headers
    )
    assert confirmed.status_code == 200
    assert confirmed.json()["second_factor"] is True
    return totp


def test_with_a_second_factor_signing_in_needs_the_code_once(api: LiveApi) -> None:
    email = add_user(api, "practitioner")["email"]
    with api.client() as http:
        totp = enrol(api, http, bearer(sign_in(http, email)))
        api.clock.now += timedelta(seconds=30)
        needed = sign_in(http, email)
        assert needed.status_code == 401
        assert needed.json()["code_needed"] is True
        assert sign_in(http, email, code="123456").status_code == 401
        code = totp.at(api.clock.now)
        assert sign_in(http, email, "a wrong password", code).status_code == 401
        api.clock.now += timedelta(seconds=30)
        code = totp.at(api.clock.now)
        headers = bearer(sign_in(http, email, code=code))
        assert sign_in(http, email, code=code).status_code == 401  # used
        assert http.get("/api/auth/me", headers=headers).json()["second_factor"] is True
        api.clock.now += timedelta(seconds=30)
        off = http.post(
            "/api/auth/second-factor/off", json={"code": totp.at(api.clock.now)}, headers=headers
        )
        assert off.status_code == 200
        assert off.json()["second_factor"] is False
        assert sign_in(http, email).status_code == 200


def test_the_code_gets_the_owner_past_the_wait_an_attacker_made(api: LiveApi) -> None:
    email = add_user(api, "practitioner")["email"]
    with api.client() as http:
        totp = enrol(api, http, bearer(sign_in(http, email)))
        for _ in range(5):
            assert sign_in(http, email, "attacker guess").status_code == 401
        assert sign_in(http, email).status_code == 429
        assert sign_in(http, email, code="999999").status_code == 429
        # The next step's code (this one's confirmed the set-up): a phone a little ahead.
        next_code = totp.at(api.clock.now + timedelta(seconds=30))
        assert sign_in(http, email, code=next_code).status_code == 200


@pytest.mark.parametrize(
    "password",
    ["password1234", "Password 1234", " " * 12, "QwertyQwerty", "aaaaaaaaaaaaaa"],
)
def test_common_blank_and_repeated_passwords_are_refused_naming_the_field(
    api: LiveApi, password: str
) -> None:
    body = builders.new_user_body(password=password)
    with api.as_("admin") as http:
        refused = http.post("/api/users", json=body)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["field"] == "password"


def test_a_password_may_not_be_the_users_own_email(api: LiveApi) -> None:
    body = builders.new_user_body()
    for password in (body["email"], body["email"].split("@")[0] + "-2026!"):
        with api.as_("admin") as http:
            refused = http.post("/api/users", json={**body, "password": password})
        assert refused.status_code == 422, password
        assert "e-mail" in refused.json()["detail"][0]["msg"]


def test_a_user_changes_her_password_and_her_other_sessions_end(api: LiveApi) -> None:
    email = add_user(api)["email"]
    with api.client() as http:
        here, elsewhere = bearer(sign_in(http, email)), bearer(sign_in(http, email))
        change = {"current_password": "not it", "new_password": NEW_PASSWORD}
        wrong = http.post("/api/auth/password", json=change, headers=here)
        assert wrong.status_code == 422
        assert wrong.json()["detail"][0]["field"] == "current_password"
        weak = {"current_password": PASSWORD, "new_password": "password1234"}
        refused = http.post("/api/auth/password", json=weak, headers=here)
        assert refused.status_code == 422
        assert refused.json()["detail"][0]["field"] == "new_password"
        spaced = {"current_password": PASSWORD, "new_password": f"  {NEW_PASSWORD}  "}
        assert http.post("/api/auth/password", json=spaced, headers=here).status_code == 204
        assert http.get("/api/auth/me", headers=here).status_code == 200
        assert http.get("/api/auth/me", headers=elsewhere).status_code == 401
        assert sign_in(http, email).status_code == 401
        assert sign_in(http, email, NEW_PASSWORD).status_code == 401  # its spaces count
        assert sign_in(http, email, f"  {NEW_PASSWORD}  ").status_code == 200


def test_an_admin_resets_a_password_and_a_lost_second_factor(api: LiveApi) -> None:
    user = add_user(api, "practitioner")
    with api.client() as http:
        old = bearer(sign_in(http, user["email"]))
        enrol(api, http, old)
    with api.as_("admin") as http:
        weak = http.post(f"/api/users/{user['id']}/password", json={"new_password": "x" * 12})
        assert weak.status_code == 422
        reset = http.post(
            f"/api/users/{user['id']}/password",
            json={"new_password": NEW_PASSWORD, "remove_second_factor": True},
        )
        assert reset.status_code == 200
        assert reset.json()["second_factor"] is False
        other_clinic = http.post(
            "/api/users/1/password",
            json={"new_password": NEW_PASSWORD},
            headers=api.headers("other_admin"),
        )
    assert other_clinic.status_code in {403, 404}
    with api.client() as http:
        assert http.get("/api/auth/me", headers=old).status_code == 401
        assert sign_in(http, user["email"], NEW_PASSWORD).status_code == 200


def test_only_an_admin_resets_passwords(api: LiveApi) -> None:
    user = add_user(api)
    with api.as_("practitioner") as http:
        refused = http.post(
            f"/api/users/{user['id']}/password", json={"new_password": NEW_PASSWORD}
        )
    assert refused.status_code == 403


def test_deactivation_ends_every_session_and_reactivation_revives_none(api: LiveApi) -> None:
    user = add_user(api)
    with api.client() as http:
        token = bearer(sign_in(http, user["email"]))
        cookie_signed_in = http.post(
            "/api/auth/session", json={"email": user["email"], "password": PASSWORD}
        )
        assert cookie_signed_in.status_code == 204
        cookie = http.cookies["corneum_session"]
    with api.as_("admin") as admin:
        assert admin.patch(f"/api/users/{user['id']}", json={"active": False}).status_code == 200
        assert admin.patch(f"/api/users/{user['id']}", json={"active": True}).status_code == 200
    with api.client() as http:
        assert http.get("/api/auth/me", headers=token).status_code == 401
        http.cookies.set("corneum_session", cookie)
        assert http.get("/api/auth/me").status_code == 401
        http.cookies.clear()
        assert sign_in(http, user["email"]).status_code == 200


def test_guessing_the_current_password_with_a_stolen_token_is_slowed_too(api: LiveApi) -> None:
    email = add_user(api)["email"]
    with api.client() as http:
        stolen = bearer(sign_in(http, email))
        guess = {"current_password": "a guess", "new_password": NEW_PASSWORD}
        for _ in range(5):
            wrong = http.post("/api/auth/password", json=guess, headers=stolen)
            assert wrong.status_code == 422
        slowed = http.post("/api/auth/password", json=guess, headers=stolen)
        assert slowed.status_code == 429
        assert int(slowed.headers["Retry-After"]) == 30
        assert sign_in(http, email).status_code == 429  # one count for the account
        api.clock.now += timedelta(seconds=31)
        right = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
        assert http.post("/api/auth/password", json=right, headers=stolen).status_code == 204
        assert sign_in(http, email, NEW_PASSWORD).status_code == 200  # the count is cleared
