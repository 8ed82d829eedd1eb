"""Staff accounts made for one test, so that a test changing an account's language never
changes what the seeded users (shared by every test) see."""

from __future__ import annotations

from tests.api import builders
from tests.api.conftest import PASSWORD, LiveApi
from tests.web.browser import Browser


def new_staff(api: LiveApi, role: str = "practitioner", language: str = "en") -> str:
    """A new account of the home clinic, made by its admin; its email."""
    qualifications = ["doctor", "cosmetologist"] if role == "practitioner" else []
    body = builders.new_user_body(role, qualifications=qualifications, language=language)
    email: str = builders.created(api, "admin", "/api/users", body)["email"]
    return email


def log_in_as(browser: Browser, email: str) -> None:
    data = {"email": email, "password": PASSWORD, "next": "/"}
    response = browser.submit("/login", "/login", data)
    assert response.status_code == 303, response.text


def bearer(api: LiveApi, email: str) -> dict[str, str]:
    with api.client() as http:
        response = http.post("/api/auth/token", json={"email": email, "password": PASSWORD})
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
