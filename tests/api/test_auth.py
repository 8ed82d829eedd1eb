"""Signing in over HTTP: tokens, expiry, logout, rate limiting."""

from __future__ import annotations

from datetime import timedelta

import httpx

from tests.api.conftest import PASSWORD, LiveApi


def test_sign_in_gives_a_token_that_identifies_the_user(api: LiveApi) -> None:
    with api.client() as http:
        response = http.post(
            "/api/auth/token", json={"email": api.emails["reception"], "password": PASSWORD}
        )
        assert response.status_code == 200
        token = response.json()["access_token"]
        me = http.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert (me.json()["email"], me.json()["role"]) == (api.emails["reception"], "reception")


def test_wrong_password_is_401_and_no_token(api: LiveApi) -> None:
    with api.client() as http:
        response = http.post(
            "/api/auth/token", json={"email": api.emails["admin"], "password": "guess"}
        )
    assert response.status_code == 401
    assert "access_token" not in response.json()


def test_no_or_bad_token_is_401(api: LiveApi) -> None:
    with api.client() as http:
        assert http.get("/api/clients").status_code == 401
        bad = http.get("/api/clients", headers={"Authorization": "Bearer not-a-token"})
    assert bad.status_code == 401
    assert bad.headers["WWW-Authenticate"] == "Bearer"


def test_a_token_expires_after_twelve_hours(api: LiveApi) -> None:
    with api.client() as http:
        token = http.post(
            "/api/auth/token", json={"email": api.emails["practitioner"], "password": PASSWORD}
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        api.clock.now += timedelta(hours=11, minutes=59)
        assert http.get("/api/auth/me", headers=headers).status_code == 200
        api.clock.now += timedelta(minutes=2)
        assert http.get("/api/auth/me", headers=headers).status_code == 401


def test_logout_revokes_the_token(api: LiveApi) -> None:
    with api.client() as http:
        token = http.post(
            "/api/auth/token", json={"email": api.emails["practitioner"], "password": PASSWORD}
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        assert http.post("/api/auth/logout", headers=headers).status_code == 204
        assert http.get("/api/auth/me", headers=headers).status_code == 401


def test_five_failures_pause_sign_in_for_that_email_only(api: LiveApi) -> None:
    email = api.emails["other"]
    with api.client() as http:
        for _ in range(5):
            wrong = http.post("/api/auth/token", json={"email": email, "password": "nope"})
            assert wrong.status_code == 401
        paused = http.post("/api/auth/token", json={"email": email, "password": PASSWORD})
        assert paused.status_code == 429
        assert int(paused.headers["Retry-After"]) > 0
        others = http.post(
            "/api/auth/token", json={"email": api.emails["reception"], "password": PASSWORD}
        )
        assert others.status_code == 200
        api.clock.now += timedelta(minutes=16)
        assert (
            http.post("/api/auth/token", json={"email": email, "password": PASSWORD}).status_code
            == 200
        )


def test_sign_in_body_is_validated_with_the_field_named(api: LiveApi) -> None:
    with api.client() as http:
        response = http.post("/api/auth/token", json={"email": "x@y.z"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "password"


def web_sign_in(api: LiveApi, http: httpx.Client, who: str = "practitioner") -> httpx.Response:
    return http.post("/api/auth/session", json={"email": api.emails[who], "password": PASSWORD})


def test_web_session_cookie_is_httponly_samesite_and_reads_only(api: LiveApi) -> None:
    with api.client() as http:
        response = web_sign_in(api, http)
        assert response.status_code == 204
        cookie = response.headers["set-cookie"]
        assert "corneum_session=" in cookie
        assert "HttpOnly" in cookie
        assert "SameSite=lax" in cookie
        assert "Max-Age=43200" in cookie
        me = http.get("/api/auth/me")
        assert me.status_code == 200
        assert me.json()["email"] == api.emails["practitioner"]
        write = http.post("/api/clients", json={"given_name": "A", "family_name": "B"})
        assert write.status_code == 401  # a cookie alone never authorises a write


def test_web_sign_out_revokes_the_cookie(api: LiveApi) -> None:
    with api.client() as http:
        web_sign_in(api, http)
        token = http.cookies["corneum_session"]
        assert http.delete("/api/auth/session").status_code == 204
        http.cookies.clear()
        http.cookies.set("corneum_session", token)
        stale = http.get("/api/auth/me")
    assert stale.status_code == 401


def test_a_cookie_token_is_not_a_bearer_token(api: LiveApi) -> None:
    with api.client() as http:
        web_sign_in(api, http)
        token = http.cookies["corneum_session"]
    with api.client() as http:
        bearer = http.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert bearer.status_code == 401
