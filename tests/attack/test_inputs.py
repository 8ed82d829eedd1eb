"""Smaller doors: one email address per client, clean calendar feeds, a Content-Security-Policy on
every page, API documentation from local files and only where allowed, no hint of another
clinic's staff, and photos that must be real images of a sane size."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import httpx
import icalendar
import pytest

from corneum.app import create_app
from corneum.config import Settings
from tests.api import builders, calendar_builders
from tests.api.conftest import LiveApi, serving
from tests.api.images import JPEG_START, png, png_bomb

TEMPLATES = Path(__file__).parents[2] / "src" / "corneum" / "web" / "templates"


@pytest.mark.parametrize(
    "email",
    [
        "ana@example.org,eve@example.org",
        "ana@example.org, eve@example.org",
        "ana@example.org,eve",
        "Ana Lopez <ana@example.org>",
        "ana@localhost",
    ],
)
def test_a_client_email_is_one_valid_address(api: LiveApi, email: str) -> None:
    client_id = builders.new_client(api)
    with api.as_("reception") as http:
        created = http.post(
            "/api/clients", json={"given_name": "Ana", "family_name": "Lopez", "email": email}
        )
        changed = http.patch(f"/api/clients/{client_id}", json={"email": email})
    for response in (created, changed):
        assert response.status_code == 422, response.text
        assert [p["field"] for p in response.json()["detail"]] == ["email"]


def test_control_characters_in_names_never_reach_a_calendar_feed(api: LiveApi) -> None:
    calendar_builders.ensure_calendar(api)
    room = builders.created(api, "admin", "/api/rooms", {"name": "Room\x07\x1b[2J\x0bB\u2028C"})
    client_id = builders.new_client(api)
    start = calendar_builders.unique_start(date(2027, 3, 1))
    body = calendar_builders.booking_body(api, builders.new_plan(api, client_id), start)
    builders.created(api, "reception", "/api/bookings", {**body, "room_id": room["id"]})
    with api.as_("reception") as http:
        feed = http.get(f"/api/clients/{client_id}/calendar.ics")
    assert feed.status_code == 200, feed.text
    lines = feed.content.decode().split("\r\n")
    unsafe = [
        line for line in lines if re.search(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]", line)
    ]
    assert unsafe == []
    (event,) = icalendar.Calendar.from_ical(feed.content).walk("VEVENT")
    assert str(event["LOCATION"]).endswith("Room  [2J B C")


def test_html_pages_carry_a_content_security_policy_that_forbids_inline_scripts(
    api: LiveApi,
) -> None:
    with api.client() as http:
        login = http.get("/login")
        health = http.get("/api/health")
    policy = login.headers["content-security-policy"]
    script_src = re.search(r"script-src ([^;]*)", policy)
    assert script_src is not None
    assert script_src.group(1).split() == ["'self'"]
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy
    assert health.headers["x-content-type-options"] == "nosniff"
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text()
        inline = [tag for tag in re.findall(r"<script[^>]*>", text) if "src=" not in tag]
        handlers = re.findall(r"\son[a-z]+\s*=", text)
        assert (inline, handlers) == ([], []), f"{template.name} needs an inline script"


def test_the_api_documentation_is_served_from_local_files(api: LiveApi) -> None:
    with api.client() as http:
        docs = http.get("/docs")
        redoc = http.get("/redoc")
        schema = http.get("/openapi.json")
        assets = [
            http.get(url)
            for url in re.findall(r'(?:src|href)="(/docs-static/[^"]+)"', docs.text + redoc.text)
        ]
    assert docs.status_code == redoc.status_code == schema.status_code == 200
    assert schema.json()["info"]["title"] == "Corneum"
    assert not re.search(r'(?:src|href)="https?:', docs.text + redoc.text), "a CDN is used"
    assert len(assets) >= 4
    assert all(asset.status_code == 200 and len(asset.content) > 1000 for asset in assets)


@pytest.mark.parametrize(("api_docs", "served"), [(None, False), (False, False), (True, True)])
def test_production_serves_the_api_documentation_only_when_told_to(
    tmp_path: Path, api_docs: bool | None, served: bool
) -> None:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'clinic.sqlite3'}",
        mode="production",
        secret_key="a-production-secret-of-at-least-32-chars",
        api_docs=api_docs,
    )
    with serving(create_app(settings)) as base_url, httpx.Client(base_url=base_url) as http:
        answers = {
            path: http.get(path).status_code for path in ("/docs", "/redoc", "/openapi.json")
        }
    assert answers == dict.fromkeys(answers, 200 if served else 404)


def test_adding_a_user_does_not_tell_that_another_clinic_has_the_address(api: LiveApi) -> None:
    """An address is unique within a clinic only: one in use at another clinic is added like
    a fresh one (same status, same fields), so the answer reveals nothing about other clinics."""
    with api.as_("admin") as http:
        elsewhere = http.post(
            "/api/users", json=builders.new_user_body(email=api.emails["other"].upper())
        )
        fresh = http.post("/api/users", json=builders.new_user_body(email="fresh@example.org"))
    assert elsewhere.status_code == fresh.status_code == 201
    assert set(elsewhere.json()) == set(fresh.json())
    assert elsewhere.json()["clinic_id"] == fresh.json()["clinic_id"]


@pytest.mark.parametrize(
    ("image", "hint"),
    [
        (JPEG_START + bytes(100), "not a whole JPEG, PNG or HEIC"),
        (png()[:-20], "not a whole JPEG, PNG or HEIC"),
        (png_bomb(), "more than 50 megapixels"),
    ],
    ids=["jpeg-first-bytes-only", "truncated-png", "50000x50000-png"],
)
def test_a_photo_must_be_a_whole_image_of_a_sane_size(
    api: LiveApi, image: bytes, hint: str
) -> None:
    session_id = builders.new_session(api, builders.new_plan(api, builders.new_client(api)))
    before = set(api.photo_dir.iterdir())
    with api.as_("practitioner") as http:
        response = http.post(
            f"/api/sessions/{session_id}/photos",
            data={"area": "back", "moment": "before"},
            files={"file": ("photo.png", image, "image/png")},
        )
    assert response.status_code == 422, response.text
    (problem,) = response.json()["detail"]
    assert problem["field"] == "file"
    assert hint in problem["msg"]
    assert set(api.photo_dir.iterdir()) == before
