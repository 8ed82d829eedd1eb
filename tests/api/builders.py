"""Records the API tests start from, made over HTTP as the seeded users would make them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

import httpx

from corneum.knowledge import default_knowledge_base
from tests.api.conftest import PASSWORD, LiveApi

CLIENT: dict[str, Any] = {
    "given_name": "Ana",
    "family_name": "Lopez",
    "phone": "+34 600 000 000",
    "date_of_birth": "1995-04-02",
    "skin_type": "oily",
    "phototype": 3,
    "risk_factors": ["frequent_stress"],
}
"""A client whose record holds everything an assessment needs."""

BACK = {"area": "back", "concerns": ["blackheads"]}
SHA256 = "0" * 63 + "a"
ACNE_PROCEDURE = "atraumatic_back_cleansing"
PATCH_APPLIED = "2026-11-21T09:00:00+00:00"
"""Two days before the tests' clock: in the patch test's window for a session from the 22nd
to the 5th of December."""


def created(api: LiveApi, who: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    """POST as ``who`` and insist on 201."""
    with api.as_(who) as http:
        response = http.post(path, json=body)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


def fetched(api: LiveApi, who: str, path: str, **params: Any) -> Any:
    """GET as ``who`` and insist on 200."""
    with api.as_(who) as http:
        response = http.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def new_client(api: LiveApi, **fields: Any) -> int:
    client_id: int = created(api, "practitioner", "/api/clients", {**CLIENT, **fields})["id"]
    return client_id


def add_history(api: LiveApi, client_id: int, code: str, status: str = "active") -> None:
    body = {"condition_code": code, "status": status}
    created(api, "practitioner", f"/api/clients/{client_id}/history", body)


def add_medication(api: LiveApi, client_id: int, code: str, last_taken: str | None = None) -> None:
    body = {"code": code, "last_taken": last_taken}
    created(api, "practitioner", f"/api/clients/{client_id}/medications", body)


def new_consultation(api: LiveApi, client_id: int, **body: Any) -> dict[str, Any]:
    return created(api, "practitioner", f"/api/clients/{client_id}/consultations", BACK | body)


def new_plan(api: LiveApi, client_id: int, **body: Any) -> int:
    plan = {"procedure_id": ACNE_PROCEDURE, "sessions_planned": 4, **body}
    plan_id: int = created(api, "practitioner", f"/api/clients/{client_id}/plans", plan)["id"]
    return plan_id


def user_id(api: LiveApi, who: str) -> int:
    me: int = fetched(api, who, "/api/auth/me")["id"]
    return me


def booking(api: LiveApi, at: str = "2026-11-23T10:00:00+00:00") -> dict[str, Any]:
    return {"practitioner_id": user_id(api, "practitioner"), "scheduled_at": at}


def new_session(api: LiveApi, plan_id: int, who: str = "practitioner", **body: Any) -> int:
    path = f"/api/plans/{plan_id}/sessions"
    session_id: int = created(api, who, path, booking(api) | body)["id"]
    return session_id


def new_user_body(role: str = "reception", **fields: Any) -> dict[str, Any]:
    email = f"{uuid4().hex[:12]}@staff.example.org"
    return {"email": email, "password": PASSWORD, "role": role, **fields}


def consent_body() -> dict[str, Any]:
    return {
        "text_version": "back-cleansing-2026.1",
        "text_sha256": SHA256,
        "signer_name": "Ana Lopez",
        "signed_at": "2026-11-23T09:30:00+00:00",
    }


def audit_events(api: LiveApi, **filters: Any) -> list[dict[str, Any]]:
    """The home clinic's audit events matching ``filters``, newest first (one full page)."""
    items: list[dict[str, Any]] = fetched(api, "admin", "/api/audit", limit=200, **filters)["items"]
    return items


def signed_in_now(api: LiveApi, who: str) -> httpx.Client:
    """A client signed in at the clock's present time: after a test moves the clock by more
    than a token's lifetime, the tokens ``api.as_`` keeps have expired."""
    body = {"email": api.emails[who], "password": PASSWORD}
    with api.client() as http:
        token = http.post("/api/auth/token", json=body).json()["access_token"]
    signed_in = api.client()
    signed_in.headers["Authorization"] = f"Bearer {token}"
    return signed_in


def patch_test(
    api: LiveApi,
    client_id: int,
    procedure_id: str = ACNE_PROCEDURE,
    *,
    applied_at: str = PATCH_APPLIED,
    result: str = "no_reaction",
    note: str | None = None,
) -> dict[str, Any]:
    """A patch test of the procedure applied at ``applied_at`` and read a day later."""
    read_at = (datetime.fromisoformat(applied_at) + timedelta(days=1)).isoformat()
    body = {
        "procedure_id": procedure_id,
        "product": "Glycolic acid 35% gel",
        "lot_number": "PT-2291",
        "applied_at": applied_at,
        "reading": {"read_at": read_at, "result": result, "note": note},
    }
    return created(api, "practitioner", f"/api/clients/{client_id}/patch-tests", body)


def sign_consent(
    api: LiveApi, client_id: int, procedure_id: str = ACNE_PROCEDURE, *, patch_tested: bool = True
) -> None:
    """The client signs the procedure's consent as it reads now (the API gives the text) and,
    for a procedure that asks for one (unless ``patch_tested`` is False), has a patch test
    applied two days before the clock's day and read with no reaction."""
    if patch_tested and default_knowledge_base().procedure(procedure_id).pre_steps:
        patch_test(api, client_id, procedure_id)
    text = fetched(api, "practitioner", f"/api/procedures/{procedure_id}/consent")
    body = {
        "text_version": text["version"],
        "text_sha256": text["sha256"],
        "signed_text": text["text"],
        "signer_name": "Ana Lopez",
        "signed_at": "2026-11-23T08:30:00+00:00",
        "procedure_id": procedure_id,
        "signature_method": "typed",
    }
    created(api, "practitioner", f"/api/clients/{client_id}/consents", body)


def acknowledge(api: LiveApi, session_id: int, **body: Any) -> dict[str, Any]:
    """The practitioner acknowledges every caution screening finds for the session."""
    with api.as_("practitioner") as http:
        response = http.post(f"/api/sessions/{session_id}/acknowledgement", json=body)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def ready_session(
    api: LiveApi, client_id: int, plan_id: int, procedure_id: str = ACNE_PROCEDURE
) -> int:
    """A session of today whose first stage may start: consent signed, cautions acknowledged."""
    sign_consent(api, client_id, procedure_id)
    session_id = new_session(api, plan_id)
    acknowledge(api, session_id)
    return session_id


def skip_stages(api: LiveApi, session_id: int, indexes: range) -> None:
    """Record these stages as skipped, in order, so a test can go on from the next one."""
    for index in indexes:
        path = f"/api/sessions/{session_id}/stages/{index}/skip"
        created(api, "practitioner", path, {"reason": "not needed in this test"})
