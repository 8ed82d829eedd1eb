"""Consent over real HTTP: the procedure's text shown, signed on the tablet (drawn or typed),
stored with the version and the hash of exactly the text shown, and kept on the timeline."""

from __future__ import annotations

import hashlib
import html
import re
from typing import Any

import pytest

from corneum.knowledge import default_knowledge_base
from corneum.knowledge.translations import shipped_translation
from tests.api import builders
from tests.api.conftest import LiveApi
from tests.web.browser import Browser, parse

PROCEDURE = builders.ACNE_PROCEDURE
DRAWING = "M10 20 L12.5 22 L40 35.5 M100 100 L120 80"


def consent_page(client_id: int, procedure: str = PROCEDURE) -> str:
    return f"/clients/{client_id}/consents/new?procedure={procedure}"


def shown_text(page: str) -> str:
    """The consent text as the page shows it, paragraph by paragraph."""
    paragraphs = re.findall(r'<p class="consent-text">(.*?)</p>', page, re.S)
    assert paragraphs
    return "\n\n".join(html.unescape(p) for p in paragraphs)


def hidden_fields(page: str) -> dict[str, str]:
    fields = parse(page).fields
    return {
        f.attrs["name"]: f.attrs.get("value", "")
        for f in fields
        if f.attrs.get("type") == "hidden" and f.attrs.get("name") != "csrf_token"
    }


def sign(browser: Browser, client_id: int, **signing: str) -> Any:
    page = browser.get(consent_page(client_id)).text
    data = {**hidden_fields(page), "signer_name": "Ana Lopez", **signing}
    return browser.submit(consent_page(client_id), f"/clients/{client_id}/consents", data)


def stored(api: LiveApi, client_id: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = builders.fetched(
        api, "practitioner", f"/api/clients/{client_id}/consents"
    )
    return rows


def test_a_drawn_signature_is_kept_with_the_hash_of_the_text_shown(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    with Browser(api) as browser:
        browser.log_in("practitioner")
        page = browser.get(consent_page(client_id)).text
        signed = sign(browser, client_id, signature_svg=DRAWING)
        shown = browser.get(signed.headers["location"]).text
        timeline = browser.get(f"/clients/{client_id}").text
    assert signed.status_code == 303
    (consent,) = stored(api, client_id)
    assert consent["text_sha256"] == hashlib.sha256(shown_text(page).encode()).hexdigest()
    assert consent["signed_text"] == shown_text(page)  # the text itself, kept with its hash
    assert consent["text_version"] == hidden_fields(page)["text_version"]
    assert PROCEDURE in consent["text_version"]
    assert (consent["procedure_id"], consent["signer_name"]) == (PROCEDURE, "Ana Lopez")
    assert (consent["signature_method"], consent["signature_svg"]) == ("drawn", DRAWING)
    assert consent["signed_at"] == "2026-11-23T09:00:00Z"
    assert signed.headers["location"] == f"/consents/{consent['id']}"
    assert f'<path d="{DRAWING}"' in shown
    assert shown_text(shown) == shown_text(page)
    assert f'href="/consents/{consent["id"]}"' in timeline


def test_the_page_shows_the_procedures_own_texts_and_labels_every_field(api: LiveApi) -> None:
    procedure = default_knowledge_base().procedure(PROCEDURE)
    client_id = builders.new_client(api)
    with Browser(api) as browser:
        browser.log_in("practitioner")
        page = browser.page(consent_page(client_id))
    text = page.visible_text()
    assert procedure.summary in text
    assert all(item.text in text for item in procedure.aftercare)
    assert page.unlabelled() == []


def test_a_consent_signed_in_russian_keeps_the_russian_texts_hash(api: LiveApi) -> None:
    russian_name = shipped_translation("ru")[f"procedures.{PROCEDURE}.name"]
    client_id = builders.new_client(api)
    with Browser(api) as browser:
        browser.log_in("practitioner")
        page = browser.get(consent_page(client_id) + "&language=ru").text
        data = {**hidden_fields(page), "signer_name": "Анна Лопес", "typed_signature": "yes"}
        signed = browser.submit(consent_page(client_id), f"/clients/{client_id}/consents", data)
        shown = browser.get(signed.headers["location"]).text
    assert russian_name in shown_text(page)
    (consent,) = stored(api, client_id)
    assert consent["text_version"].startswith(f"{PROCEDURE}@")
    assert "-ru+" in consent["text_version"]
    assert consent["text_sha256"] == hashlib.sha256(shown_text(page).encode()).hexdigest()
    assert shown_text(shown) == shown_text(page)


def test_a_typed_signature_needs_the_ticked_box(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    with Browser(api) as browser:
        browser.log_in("practitioner")
        unticked = sign(browser, client_id)
        ticked = sign(browser, client_id, typed_signature="yes")
    assert unticked.status_code == 422
    assert 'id="signature-error"' in unticked.text
    assert 'value="Ana Lopez"' in unticked.text
    assert ticked.status_code == 303
    (consent,) = stored(api, client_id)
    assert (consent["signature_method"], consent["signature_svg"]) == ("typed", None)


@pytest.mark.parametrize(
    ("signing", "field"),
    [
        ({"signature_svg": 'M10 10"/><script>alert(1)</script>'}, "signature"),
        ({"signature_svg": DRAWING, "signer_name": "  "}, "signer_name"),
        ({"signature_svg": DRAWING, "text_sha256": "0" * 64}, "consent"),
        ({"signature_svg": DRAWING, "text_version": "older"}, "consent"),
    ],
)
def test_a_bad_signing_is_refused_beside_its_field(
    api: LiveApi, signing: dict[str, str], field: str
) -> None:
    client_id = builders.new_client(api)
    with Browser(api) as browser:
        browser.log_in("practitioner")
        refused = sign(browser, client_id, **signing)
    assert refused.status_code == 422
    assert f'id="{field}-error"' in refused.text
    assert "<script>alert" not in refused.text
    assert stored(api, client_id) == []


@pytest.mark.parametrize("who", ["reception", "admin"])
def test_only_practitioners_take_a_consent(api: LiveApi, who: str) -> None:
    client_id = builders.new_client(api)
    with Browser(api) as browser:
        browser.log_in(who)
        assert browser.get(consent_page(client_id)).status_code == 403
        token = browser.page("/").csrf_token()
        response = browser.http.post(
            f"/clients/{client_id}/consents",
            data={"csrf_token": token, "signer_name": "X", "typed_signature": "yes"},
        )
    assert response.status_code == 403


def test_another_clinic_finds_neither_the_client_nor_the_consent(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    with Browser(api) as browser:
        browser.log_in("practitioner")
        location = sign(browser, client_id, typed_signature="yes").headers["location"]
    with Browser(api) as browser:
        browser.log_in("other")
        assert browser.get(consent_page(client_id)).status_code == 404
        assert browser.get(location).status_code == 404


def test_an_unknown_procedure_has_no_consent(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    with Browser(api) as browser:
        browser.log_in("practitioner")
        assert browser.get(consent_page(client_id, "no_such_thing")).status_code == 404


def test_signing_without_the_csrf_token_is_refused(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    with Browser(api) as browser:
        browser.log_in("practitioner")
        data = hidden_fields(browser.get(consent_page(client_id)).text)
        response = browser.http.post(
            f"/clients/{client_id}/consents",
            data={**data, "signer_name": "Ana Lopez", "typed_signature": "yes"},
        )
    assert response.status_code == 403
    assert stored(api, client_id) == []


def test_a_signed_consent_shows_its_own_text_after_the_wording_changed(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    earlier = "An earlier wording of this consent.\n\nSigned before the text was revised."
    body = {
        **builders.consent_body(),
        "procedure_id": PROCEDURE,
        "text_version": f"{PROCEDURE}@2025.1-en+kb0.9.0",
        "text_sha256": hashlib.sha256(earlier.encode()).hexdigest(),
        "signed_text": earlier,
    }
    consent = builders.created(api, "practitioner", f"/api/clients/{client_id}/consents", body)
    with Browser(api) as browser:
        browser.log_in("practitioner")
        page = browser.get(f"/consents/{consent['id']}").text
    assert shown_text(page) == earlier
    assert 'lang="en"' in page
