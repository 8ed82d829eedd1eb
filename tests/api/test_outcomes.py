"""Outcomes over HTTP: lesion counts, grades per scale and area checked against the knowledge
base, one outcome per session (replaced with PUT), and before/after photos kept on disk."""

from __future__ import annotations

import hashlib
from typing import Any

import httpx
from sqlalchemy import select

from corneum.db.engine import make_engine
from corneum.records.outcomes.tables import OutcomePhoto
from tests.api import builders
from tests.api.conftest import LiveApi
from tests.api.images import JPEG_START, jpeg, pixels, png

OUTCOME: dict[str, Any] = {
    "open_comedones": 14,
    "closed_comedones": 3,
    "papules": 2,
    "grades": [
        {"scale": "cass", "area": "back", "value": 3},
        {"scale": "cass", "area": "chest", "value": 1},
        {"scale": "iga", "area": "face", "value": 2},
    ],
    "note": "fewer comedones on the shoulders",
}


def new_visit(api: LiveApi, client_id: int | None = None) -> int:
    plan_id = builders.new_plan(api, client_id or builders.new_client(api))
    return builders.new_session(api, plan_id)


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


def bad_grade(**change: Any) -> dict[str, Any]:
    return {"papules": 4, "grades": [{"scale": "cass", "area": "back", "value": 2, **change}]}


def test_a_grade_off_its_scale_is_refused_naming_the_field(api: LiveApi) -> None:
    path = f"/api/sessions/{new_visit(api)}/outcome"
    cases = {
        "grades.0.value": bad_grade(value=6),
        "grades.0.area": bad_grade(scale="iga", area="back"),
        "grades.0.scale": bad_grade(scale="pasi"),
        "grades": {"grades": [bad_grade()["grades"][0]] * 2},
        "pustules": {"pustules": -1},
    }
    with api.as_("practitioner") as http:
        for field, body in cases.items():
            response = http.post(path, json=body)
            assert response.status_code == 422, field
            assert [e["field"] for e in response.json()["detail"]] == [field]
        assert http.get(path).status_code == 404
    assert "0 to 5" in http_detail(api, path, bad_grade(value=9))


def http_detail(api: LiveApi, path: str, body: dict[str, Any]) -> str:
    with api.as_("practitioner") as http:
        message: str = http.post(path, json=body).json()["detail"][0]["msg"]
    return message


def test_put_replaces_the_outcome_and_a_bad_one_loses_nothing(api: LiveApi) -> None:
    path = f"/api/sessions/{new_visit(api)}/outcome"
    corrected = {"papules": 1, "grades": [{"scale": "cass", "area": "back", "value": 2}]}
    with api.as_("practitioner") as http:
        created = http.put(path, json=OUTCOME)
        refused = http.put(path, json=bad_grade(value=7))
        kept = http.get(path).json()
        replaced = http.put(path, json=corrected)
    assert (created.status_code, refused.status_code, replaced.status_code) == (200, 422, 200)
    assert kept["grades"] == OUTCOME["grades"]
    assert replaced.json()["grades"] == corrected["grades"]
    assert replaced.json()["open_comedones"] is None
    assert replaced.json()["id"] == created.json()["id"]


def test_a_clients_course_lists_outcomes_in_session_order(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    plan_id = builders.new_plan(api, client_id)
    later = builders.new_session(api, plan_id, scheduled_at="2026-12-14T10:00:00+00:00")
    earlier = builders.new_session(api, plan_id, scheduled_at="2026-11-30T10:00:00+00:00")
    for visit, papules in ((later, 1), (earlier, 5)):
        builders.created(
            api, "practitioner", f"/api/sessions/{visit}/outcome", {"papules": papules}
        )
    course = builders.fetched(api, "practitioner", f"/api/clients/{client_id}/outcomes")
    assert [(o["session_id"], o["papules"]) for o in course] == [(earlier, 5), (later, 1)]
    assert course[0]["session_scheduled_at"].startswith("2026-11-30")


def test_another_clinic_cannot_read_or_add_an_outcome(api: LiveApi) -> None:
    session_id = new_visit(api)
    path = f"/api/sessions/{session_id}/outcome"
    builders.created(api, "practitioner", path, OUTCOME)
    with api.as_("other") as http:
        assert http.get(path).status_code == 404
        assert http.post(path, json={"papules": 1}).status_code == 404
        assert http.put(path, json={"papules": 1}).status_code == 404


def upload(http: httpx.Client, session_id: int, image: bytes, **fields: str) -> httpx.Response:
    form = {"area": "back", "moment": "before", **fields}
    files = {"file": ("photo.png", image, "image/png")}
    return http.post(f"/api/sessions/{session_id}/photos", data=form, files=files)


def test_a_photo_is_kept_on_disk_and_only_its_metadata_in_the_database(api: LiveApi) -> None:
    image = png(8, 8)
    session_id = new_visit(api)
    with api.as_("practitioner") as http:
        created = upload(http, session_id, image, taken_at="2026-11-30T10:05:00+01:00")
        listed = http.get(f"/api/sessions/{session_id}/photos").json()
        served = http.get(f"/api/photos/{created.json()['id']}")
    assert created.status_code == 201, created.text
    photo = created.json()
    assert listed == [photo]
    assert (photo["area"], photo["moment"], photo["content_type"]) == (
        "back",
        "before",
        "image/png",
    )
    assert photo["taken_at"].startswith("2026-11-30T09:05")
    kept = served.content
    assert (photo["sha256"], photo["size_bytes"]) == (hashlib.sha256(kept).hexdigest(), len(kept))
    assert pixels(kept) == pixels(image)  # written anew, without metadata: the same picture
    assert served.headers["content-type"] == "image/png"
    assert served.headers["cache-control"] == "no-store"
    on_disk = [p for p in api.photo_dir.iterdir() if p.read_bytes() == kept]
    assert len(on_disk) == 1
    assert on_disk[0].stat().st_mode & 0o077 == 0
    engine = make_engine(api.database_url)
    try:
        with engine.connect() as connection:
            row = connection.execute(
                select(OutcomePhoto.__table__).where(OutcomePhoto.id == photo["id"])
            ).one()
    finally:
        engine.dispose()
    assert on_disk[0].name == row.file_name
    assert not any(isinstance(value, bytes) for value in row)


def test_a_photo_is_served_only_to_its_clinics_practitioners(api: LiveApi) -> None:
    session_id = new_visit(api)
    with api.as_("practitioner") as http:
        photo_id = upload(http, session_id, png()).json()["id"]
    path = f"/api/photos/{photo_id}"
    for who, status in (("other", 404), ("reception", 403), ("admin", 403)):
        with api.as_(who) as http:
            assert http.get(path).status_code == status, who
    with api.client() as anonymous:
        assert anonymous.get(path).status_code == 401
    with api.as_("practitioner") as http:
        assert http.get(path).status_code == 200
    viewed = [e for e in builders.audit_events(api, resource="photo") if e["action"] == "read"]
    assert [event["resource_id"] for event in viewed][:1] == [str(photo_id)]


def test_only_jpeg_or_png_is_accepted(api: LiveApi) -> None:
    session_id = new_visit(api)
    before = set(api.photo_dir.iterdir())
    with api.as_("practitioner") as http:
        text = upload(http, session_id, b"<svg xmlns='http://www.w3.org/2000/svg'/>")
        empty = upload(http, session_id, b"")
        bad_area = upload(http, session_id, png(), area="elbow")
        fake_jpeg = upload(http, session_id, JPEG_START + bytes(100))
        real_jpeg = upload(http, session_id, jpeg())
        too_big = upload(http, session_id, png() + bytes(10 * 1024 * 1024))
    assert text.status_code == empty.status_code == bad_area.status_code == 422
    assert too_big.status_code == 422
    assert "larger than 10 MB" in too_big.json()["detail"][0]["msg"]
    assert text.json()["detail"][0]["field"] == "file"
    assert "JPEG, PNG or HEIC" in text.json()["detail"][0]["msg"]
    assert bad_area.json()["detail"][0]["field"] == "area"
    assert fake_jpeg.status_code == 422, "a JPEG's first bytes are not a photo"
    assert fake_jpeg.json()["detail"][0]["field"] == "file"
    assert real_jpeg.status_code == 201
    assert real_jpeg.json()["content_type"] == "image/jpeg"
    assert len(set(api.photo_dir.iterdir()) - before) == 2  # the photo and its thumbnail
