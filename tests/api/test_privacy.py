"""A client's privacy requests over HTTP: export everything held; erase, keeping the audit."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from tests.api import builders
from tests.api.conftest import LiveApi
from tests.api.images import pixels, png
from tests.api.test_outcomes import upload


def is_image_of(path: Path, image: bytes) -> bool:
    """Whether ``path`` is the stored photo (not a thumbnail) of ``image``."""
    return not path.name.endswith(".thumb.jpg") and pixels(path.read_bytes()) == pixels(image)


SECTIONS = {
    "medical_history",
    "medications",
    "allergies",
    "consultations",
    "consents",
    "treatment_plans",
    "treatment_sessions",
    "outcomes",
}


def full_record(api: LiveApi) -> int:
    """A client with something in every part of the record."""
    client_id = builders.new_client(api)
    builders.add_history(api, client_id, "herpes_history")
    builders.add_medication(api, client_id, "isotretinoin", last_taken="2026-08-01")
    builders.created(
        api, "practitioner", f"/api/clients/{client_id}/allergies", {"allergen": "latex"}
    )
    consultation = builders.new_consultation(api, client_id)
    plan_id = builders.new_plan(api, client_id, consultation_id=consultation["id"])
    session_id = builders.new_session(api, plan_id)
    builders.created(
        api,
        "practitioner",
        f"/api/sessions/{session_id}/products",
        {"name": "Gel", "lot_number": "L1"},
    )
    builders.created(api, "practitioner", f"/api/sessions/{session_id}/outcome", {"papules": 1})
    builders.created(
        api, "practitioner", f"/api/clients/{client_id}/consents", builders.consent_body()
    )
    return client_id


def test_the_export_holds_everything_on_the_client(api: LiveApi) -> None:
    client_id = full_record(api)
    export = builders.fetched(api, "admin", f"/api/clients/{client_id}/export")
    assert export["client"]["id"] == client_id
    assert export["client"]["skin_type"] == "oily"
    assert set(export) >= SECTIONS
    assert all(len(export[section]) == 1 for section in SECTIONS)
    assert export["medical_history"][0]["condition_code"] == "herpes_history"
    assert export["medications"][0]["last_taken"] == "2026-08-01"
    assert export["consultations"][0]["assessment"]["assessed_on"] == "2026-11-23"
    assert export["treatment_sessions"][0]["products"][0]["lot_number"] == "L1"
    (event,) = builders.audit_events(api, client_id=client_id, action="export")
    assert event["actor_id"] == builders.user_id(api, "admin")


def test_the_export_archive_holds_the_export_and_every_photos_image(api: LiveApi) -> None:
    client_id = full_record(api)
    (session,) = builders.fetched(api, "practitioner", f"/api/clients/{client_id}/sessions")
    before, after = png(rgb=(10, 20, 30)), png(rgb=(200, 210, 220))
    with api.as_("practitioner") as http:
        kept = upload(http, session["id"], before).json()
        gone = upload(http, session["id"], after, moment="after").json()
    (gone_file,) = [path for path in api.photo_dir.iterdir() if is_image_of(path, after)]
    gone_file.unlink()
    with api.as_("admin") as http:
        response = http.get(f"/api/clients/{client_id}/export.zip")
        export = http.get(f"/api/clients/{client_id}/export").json()
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["cache-control"] == "no-store"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    inside = json.loads(archive.read("export.json"))
    assert inside["client"] == export["client"]
    assert [photo["id"] for photo in inside["photos"]] == [kept["id"], gone["id"]]
    assert pixels(archive.read(f"photos/{kept['id']}.png")) == pixels(before)
    assert f"photos/{gone['id']}.png" not in archive.namelist()
    assert archive.read("photos/missing.txt").decode().split() == [str(gone["id"])]
    assert len(builders.audit_events(api, client_id=client_id, action="export")) == 2


def test_erasure_removes_the_client_and_keeps_the_audit_record(api: LiveApi) -> None:
    client_id = full_record(api)
    with api.as_("admin") as http:
        erased = http.post(f"/api/clients/{client_id}/erase")
        again = http.post(f"/api/clients/{client_id}/erase")
        export = http.get(f"/api/clients/{client_id}/export")
    assert erased.status_code == 200
    rows = erased.json()["rows"]
    assert erased.json()["client_id"] == client_id
    assert rows["clients"] == rows["consultations"] == rows["outcomes"] == 1
    assert (again.status_code, export.status_code) == (404, 404)
    with api.as_("practitioner") as http:
        assert http.get(f"/api/clients/{client_id}").status_code == 404
        assert http.get(f"/api/clients/{client_id}/history").status_code == 404
    (event,) = builders.audit_events(api, client_id=client_id, action="erase")
    assert event["detail"]["rows"] == rows
    assert len(builders.audit_events(api, client_id=client_id)) > 10


def test_only_the_clients_clinic_can_export_or_erase(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    with api.as_("other_admin") as http:
        assert http.get(f"/api/clients/{client_id}/export").status_code == 404
        assert http.post(f"/api/clients/{client_id}/erase").status_code == 404
    with api.as_("practitioner") as http:
        assert http.post(f"/api/clients/{client_id}/erase").status_code == 403
        assert http.get(f"/api/clients/{client_id}").status_code == 200
