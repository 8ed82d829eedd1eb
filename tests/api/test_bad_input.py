"""Input a database or the calendar cannot hold is a 422 naming its field, never a 500: ids past
an INTEGER column, NUL characters (PostgreSQL text refuses them), times that leave the calendar
once converted to UTC, dates no wash-out arithmetic can start from."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api import builders
from tests.api.conftest import LiveApi
from tests.conftest import profile_data

HUGE = 2**40
OFF_THE_CALENDAR = "9999-12-31T23:00:00-23:00"


class Ids:
    def __init__(self, api: LiveApi) -> None:
        self.client_id = builders.new_client(api)
        self.session_id = builders.new_session(api, builders.new_plan(api, self.client_id))
        self.plan_id = builders.new_plan(api, self.client_id)


CASES: list[tuple[str, str, str, Any, str]] = [
    ("practitioner", "GET", "/api/sessions/{HUGE}", None, "session_id"),
    ("practitioner", "GET", "/api/clients/{HUGE}/consultations", None, "client_id"),
    ("admin", "GET", "/api/users/{HUGE}", None, "user_id"),
    ("admin", "GET", "/api/audit?client_id={HUGE}", None, "client_id"),
    ("admin", "GET", "/api/audit?offset={HUGE}", None, "offset"),
    ("admin", "GET", "/api/audit?resource=client%00", None, "resource"),
    (
        "practitioner",
        "POST",
        "/api/assessments",
        {"client_id": HUGE, **builders.BACK},
        "client_id",
    ),
    (
        "practitioner",
        "POST",
        "/api/clients/{client_id}/plans",
        {"procedure_id": builders.ACNE_PROCEDURE, "sessions_planned": 2, "consultation_id": HUGE},
        "consultation_id",
    ),
    (
        "reception",
        "POST",
        "/api/plans/{plan_id}/sessions",
        {"practitioner_id": HUGE, "scheduled_at": "2026-11-30T10:00:00Z"},
        "practitioner_id",
    ),
    (
        "practitioner",
        "POST",
        "/api/sessions/{session_id}/observations",
        {"observed_at": "2026-11-30T10:00:00Z", "text": "red\x00dened"},
        "text",
    ),
    (
        "practitioner",
        "POST",
        "/api/sessions/{session_id}/observations",
        {"observed_at": OFF_THE_CALENDAR, "text": "reddened"},
        "observed_at",
    ),
    (
        "practitioner",
        "POST",
        "/api/sessions/{session_id}/outcome",
        {"papules": HUGE},
        "papules",
    ),
    (
        "practitioner",
        "POST",
        "/api/clients/{client_id}/medications",
        {"code": "isotretinoin", "last_taken": "9999-12-01"},
        "last_taken",
    ),
    (
        "practitioner",
        "POST",
        "/api/assessments",
        {
            "profile": profile_data(
                medications=[{"code": "isotretinoin", "last_taken": "9999-12-01"}]
            )
        },
        "profile.medications.0.last_taken",
    ),
    (
        "practitioner",
        "POST",
        "/api/assessments",
        {"profile": profile_data(assessed_on="0001-01-01")},
        "profile.assessed_on",
    ),
    (
        "practitioner",
        "POST",
        "/api/clients/{client_id}/consultations",
        {**builders.BACK, "assessed_on": "9999-12-31"},
        "assessed_on",
    ),
    (
        "admin",
        "POST",
        "/api/users",
        builders.new_user_body(email="x\x00y@example.org"),
        "email",
    ),
    (
        "",
        "POST",
        "/api/auth/token",
        {"email": "x\x00y@example.org", "password": "whatever"},
        "email",
    ),
]


@pytest.mark.parametrize(
    ("who", "method", "template", "body", "field"),
    CASES,
    ids=[f"{method} {template} {field}" for _, method, template, _, field in CASES],
)
def test_input_the_database_cannot_hold_is_422_naming_the_field(
    api: LiveApi, who: str, method: str, template: str, body: Any, field: str
) -> None:
    ids = Ids(api)
    path = template.format(HUGE=HUGE, **vars(ids))
    http = api.as_(who) if who else api.client()
    with http:
        response = http.request(method, path, json=body)
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["detail"]] == [field]
