"""The audit log over HTTP: every read and write of client data, queryable by admins only."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.api import builders
from tests.api.conftest import LiveApi


def test_reading_a_record_writes_an_audit_row(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    builders.add_history(api, client_id, "eczema")
    builders.fetched(api, "practitioner", f"/api/clients/{client_id}/history")
    builders.fetched(api, "reception", f"/api/clients/{client_id}")
    events = builders.audit_events(api, client_id=client_id, action="read")
    assert [(e["resource_type"], e["actor_id"]) for e in events] == [
        ("client", builders.user_id(api, "reception")),
        ("medical_history", builders.user_id(api, "practitioner")),
    ]
    assert {e["resource_id"] for e in events} == {str(client_id)}


def test_filters_combine(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    builders.add_history(api, client_id, "eczema")
    practitioner = builders.user_id(api, "practitioner")
    created = builders.audit_events(api, client_id=client_id, action="create")
    histories = builders.audit_events(
        api, client_id=client_id, resource="medical_history", actor_id=practitioner
    )
    nobody = builders.audit_events(
        api, client_id=client_id, actor_id=builders.user_id(api, "admin")
    )
    assert [e["resource_type"] for e in created] == ["medical_history", "client"]
    assert [e["action"] for e in histories] == ["create"]
    assert nobody == []


def test_time_window_and_pagination(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    for _ in range(3):
        builders.fetched(api, "practitioner", f"/api/clients/{client_id}")
    now = datetime.now(UTC)
    recent = builders.audit_events(
        api, client_id=client_id, since=(now - timedelta(minutes=5)).isoformat()
    )
    old = builders.audit_events(
        api, client_id=client_id, until=(now - timedelta(hours=1)).isoformat()
    )
    page = builders.fetched(api, "admin", "/api/audit", client_id=client_id, limit=2, offset=1)
    assert len(recent) == 4
    assert old == []
    assert (page["total"], page["offset"], page["limit"]) == (4, 1, 2)
    assert [e["id"] for e in page["items"]] == [e["id"] for e in recent[1:3]]


@pytest.mark.parametrize(
    ("params", "field", "hint"),
    [
        ({"since": "2026-11-23T09:00:00"}, "since", "timezone"),
        ({"since": "yesterday"}, "since", "datetime"),
        ({"action": "peek"}, "action", "'read', 'create'"),
        ({"client_id": "me"}, "client_id", "integer"),
        ({"limit": 0}, "limit", "greater than or equal to 1"),
        ({"offset": -1}, "offset", "greater than or equal to 0"),
    ],
)
def test_bad_filters_are_422_not_500(
    api: LiveApi, params: dict[str, str | int], field: str, hint: str
) -> None:
    with api.as_("admin") as http:
        response = http.get("/api/audit", params=params)
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["field"] == field
    assert hint in error["msg"]


def test_an_admin_sees_only_their_clinics_events(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    assert builders.fetched(api, "other_admin", "/api/audit", client_id=client_id)["items"] == []
    assert builders.audit_events(api, client_id=client_id)


def test_the_audit_log_holds_no_personal_data(api: LiveApi) -> None:
    name = "Quixotica"
    client_id = builders.new_client(api, given_name=name, email="quixotica@example.org")
    with api.as_("practitioner") as http:
        http.patch(f"/api/clients/{client_id}", json={"family_name": "Zanzibarre"})
    events = builders.audit_events(api, client_id=client_id)
    dumped = json.dumps(events).lower()
    assert "quixotica" not in dumped
    assert "zanzibarre" not in dumped
    assert events[0]["detail"] == {"fields": ["family_name"]}
