"""Patch tests over HTTP (issue 11): recorded and read by practitioners of the client's clinic,
audited, and waited for by the first stage of a course's first session (409 naming
``patch_test``)."""

from __future__ import annotations

from tests.api import builders
from tests.api.conftest import LiveApi

FIRST = {"stage_index": 0, "name": "Cleansing", "started_at": "2026-11-23T10:00:00+00:00"}


def unpatched_session(api: LiveApi) -> tuple[int, int]:
    client_id = builders.new_client(api)
    plan_id = builders.new_plan(api, client_id)
    builders.sign_consent(api, client_id, patch_tested=False)
    session_id = builders.new_session(api, plan_id)
    builders.acknowledge(api, session_id)
    return client_id, session_id


def test_the_first_stage_without_a_patch_test_is_409_naming_the_field(api: LiveApi) -> None:
    client_id, session_id = unpatched_session(api)
    with api.as_("practitioner") as http:
        refused = http.post(f"/api/sessions/{session_id}/stages", json=FIRST)
    assert refused.status_code == 409
    assert refused.json()["field"] == "patch_test"
    assert "applied from 2026-11-09 to 2026-11-22" in refused.json()["detail"]
    builders.patch_test(api, client_id)
    with api.as_("practitioner") as http:
        assert http.post(f"/api/sessions/{session_id}/stages", json=FIRST).status_code == 201


def test_a_reaction_makes_the_procedure_contraindicated(api: LiveApi) -> None:
    client_id, session_id = unpatched_session(api)
    builders.patch_test(api, client_id, result="reaction", note="wheals and itching")
    with api.as_("practitioner") as http:
        refused = http.post(f"/api/sessions/{session_id}/stages", json=FIRST)
    assert refused.status_code == 409
    assert "acid_intolerance" in [reason["code"] for reason in refused.json()["reasons"]]


def test_a_patch_test_is_read_once_listed_and_audited(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    body = {
        "procedure_id": "chemical_peel",
        "agent": "salicylic acid 20-30% in ethanol",
        "product": "Salicylic 30% peel",
        "lot_number": "SA-881",
        "applied_at": "2026-11-21T09:00:00+00:00",
    }
    made = builders.created(api, "practitioner", f"/api/clients/{client_id}/patch-tests", body)
    reading = {"read_at": "2026-11-22T09:00:00+00:00", "result": "no_reaction"}
    with api.as_("practitioner") as http:
        read = http.post(f"/api/patch-tests/{made['id']}/reading", json=reading)
        again = http.post(f"/api/patch-tests/{made['id']}/reading", json=reading)
        listed = http.get(f"/api/clients/{client_id}/patch-tests").json()
    assert (read.status_code, read.json()["result"]) == (200, "no_reaction")
    assert (again.status_code, again.json()["field"]) == (409, "result")
    assert [(t["lot_number"], t["agent"]) for t in listed] == [
        ("SA-881", "salicylic acid 20-30% in ethanol")
    ]
    events = builders.audit_events(api, resource_type="patch_test")
    assert {e["action"] for e in events} >= {"create", "update", "read"}


def test_bad_input_names_its_field(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    path = f"/api/clients/{client_id}/patch-tests"
    base = {"procedure_id": "chemical_peel", "product": "P", "lot_number": "L",
            "applied_at": "2026-11-21T09:00:00+00:00"}  # fmt: skip
    with api.as_("practitioner") as http:
        no_note = http.post(path, json=base | {"reading": {
            "read_at": "2026-11-22T09:00:00+00:00", "result": "reaction"}})  # fmt: skip
        not_an_agent = http.post(path, json=base | {"agent": "phenol 88%"})
        no_step = http.post(path, json=base | {"procedure_id": "microdermabrasion"})
    assert no_note.status_code == 422
    assert no_note.json()["detail"][0]["field"] == "reading"
    assert (not_an_agent.status_code, not_an_agent.json()["detail"][0]["field"]) == (422, "agent")
    assert (no_step.status_code, no_step.json()["detail"][0]["field"]) == (422, "procedure_id")


def test_reception_and_other_clinics_cannot_touch_patch_tests(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    for who, expected in (("reception", 403), ("other", 404)):
        with api.as_(who) as http:
            assert http.get(f"/api/clients/{client_id}/patch-tests").status_code == expected


def test_the_plan_gives_its_patch_test_window_and_state(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    plan_id = builders.new_plan(api, client_id)
    (missing,) = builders.fetched(api, "practitioner", f"/api/plans/{plan_id}")["pre_steps"]
    assert missing == {
        "id": "patch_test",
        "name": "Patch test of the peel agents",
        "days_before_min": 1,
        "days_before_max": 14,
        "first_session_on": None,
        "counted_from": "2026-11-24",
        "earliest": "2026-11-10",
        "latest": "2026-11-23",
        "state": "missing",
        "patch_test_id": None,
        "source": "S1",
    }
    made = builders.patch_test(api, client_id)
    builders.new_session(api, plan_id, scheduled_at="2026-11-30T10:00:00+00:00")
    (listed,) = builders.fetched(api, "practitioner", f"/api/clients/{client_id}/plans")
    (read,) = listed["pre_steps"]
    assert (read["first_session_on"], read["earliest"], read["latest"]) == (
        "2026-11-30", "2026-11-16", "2026-11-29",
    )  # fmt: skip
    assert (read["state"], read["patch_test_id"]) == ("read", made["id"])
