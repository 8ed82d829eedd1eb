"""The outcome of a session over HTTP: lesion counts, a grade, a note; one per session."""

from __future__ import annotations

from tests.api import builders
from tests.api.conftest import LiveApi

OUTCOME = {
    "open_comedones": 14,
    "closed_comedones": 3,
    "papules": 2,
    "grade_scale": "iga",
    "grade_value": 2,
    "note": "fewer comedones on the shoulders",
}


def new_visit(api: LiveApi) -> int:
    return builders.new_session(api, builders.new_plan(api, builders.new_client(api)))


def test_an_outcome_is_recorded_once_per_session(api: LiveApi) -> None:
    session_id = new_visit(api)
    path = f"/api/sessions/{session_id}/outcome"
    with api.as_("practitioner") as http:
        missing = http.get(path)
        first = http.post(path, json=OUTCOME)
        second = http.post(path, json={"papules": 1})
        stored = http.get(path).json()
    assert missing.status_code == 404
    assert first.status_code == 201
    assert second.status_code == 409
    assert second.json()["field"] == "session_id"
    assert stored == first.json()
    assert {k: stored[k] for k in OUTCOME} == OUTCOME
    assert stored["nodules"] is None


def test_a_grade_needs_its_scale_and_counts_are_not_negative(api: LiveApi) -> None:
    path = f"/api/sessions/{new_visit(api)}/outcome"
    with api.as_("practitioner") as http:
        no_scale = http.post(path, json={"grade_value": 2})
        negative = http.post(path, json={"pustules": -1})
        assert http.get(path).status_code == 404
    assert no_scale.status_code == negative.status_code == 422
    assert negative.json()["detail"][0]["field"] == "pustules"


def test_another_clinic_cannot_read_or_add_an_outcome(api: LiveApi) -> None:
    session_id = new_visit(api)
    path = f"/api/sessions/{session_id}/outcome"
    builders.created(api, "practitioner", path, OUTCOME)
    with api.as_("other") as http:
        assert http.get(path).status_code == 404
        assert http.post(path, json={"papules": 1}).status_code == 404
