"""Signed consents over HTTP: the exact text's version and hash, the signer, the time."""

from __future__ import annotations

import hashlib

import pytest

from tests.api import builders
from tests.api.conftest import LiveApi


def test_a_consent_keeps_the_text_version_and_hash(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    path = f"/api/clients/{client_id}/consents"
    created = builders.created(api, "practitioner", path, builders.consent_body())
    (listed,) = builders.fetched(api, "practitioner", path)
    assert listed == created
    assert (listed["text_version"], listed["text_sha256"]) == (
        "back-cleansing-2026.1",
        builders.SHA256,
    )
    assert listed["signed_at"] == "2026-11-23T09:30:00Z"
    assert listed["recorded_by"] == builders.user_id(api, "practitioner")
    assert listed["signed_text"] is None  # given by hash alone


def test_a_consent_given_with_its_text_keeps_it(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    text = "I consent to the procedure.\n\nSigned on the tablet."
    body = {**builders.consent_body(), "text_sha256": hashlib.sha256(text.encode()).hexdigest()}
    path = f"/api/clients/{client_id}/consents"
    created = builders.created(api, "practitioner", path, {**body, "signed_text": text})
    assert created["signed_text"] == text
    assert builders.fetched(api, "practitioner", path)[0]["signed_text"] == text


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"text_sha256": "ABC"}, "text_sha256"),
        ({"signed_at": "2026-11-23T09:30:00"}, "signed_at"),
        ({"text_version": ""}, "text_version"),
        ({"signed_text": "Not the text whose hash was given."}, "signed_text"),
    ],
)
def test_a_bad_consent_is_422(api: LiveApi, change: dict[str, str], field: str) -> None:
    client_id = builders.new_client(api)
    with api.as_("practitioner") as http:
        response = http.post(
            f"/api/clients/{client_id}/consents", json={**builders.consent_body(), **change}
        )
        assert http.get(f"/api/clients/{client_id}/consents").json() == []
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == field


def test_reception_and_another_clinic_see_no_consent(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    path = f"/api/clients/{client_id}/consents"
    builders.created(api, "practitioner", path, builders.consent_body())
    with api.as_("reception") as http:
        assert http.get(path).status_code == 403
    with api.as_("other") as http:
        assert http.get(path).status_code == 404


def test_a_drawn_signature_is_kept_and_anything_but_path_data_refused(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    path = f"/api/clients/{client_id}/consents"
    drawn = {
        **builders.consent_body(),
        "procedure_id": builders.ACNE_PROCEDURE,
        "signature_method": "drawn",
        "signature_svg": "M1 2 L30.5 40 L599 199",
    }
    created = builders.created(api, "practitioner", path, drawn)
    with api.as_("practitioner") as http:
        scripted = http.post(path, json={**drawn, "signature_svg": "M1 2<script>"})
        typed_with_drawing = http.post(path, json={**drawn, "signature_method": "typed"})
    assert (created["signature_method"], created["signature_svg"]) == (
        "drawn",
        "M1 2 L30.5 40 L599 199",
    )
    assert created["procedure_id"] == builders.ACNE_PROCEDURE
    assert scripted.status_code == typed_with_drawing.status_code == 422
    assert [row["id"] for row in builders.fetched(api, "practitioner", path)] == [created["id"]]
