"""The pages over real HTTP: who may open which, the consultation wizard, labels, Russian."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from corneum.knowledge import default_knowledge_base
from tests.api import builders, calendar_builders
from tests.api.conftest import LiveApi
from tests.web.browser import Browser, new_client

WIZARD_ANSWERS = {
    "date_of_birth": "1990-05-17",
    "skin_type": "oily",
    "phototype": "3",
    "area": "back",
    "concerns": ["blackheads"],
    "conditions": ["psoriasis"],
    "medications": ["isotretinoin"],
    "last_taken-isotretinoin": "2026-08-01",
    "allergies": ["latex_allergy"],
    "other_allergies": "Sticking plaster",
    "no_risk_factors": "1",
    "note": "Works outdoors; back acne since her teens.",
}


def wizard(client_id: int) -> str:
    return f"/clients/{client_id}/consultations/new"


def test_reception_cannot_open_the_wizard(api: LiveApi) -> None:
    client_id = new_client(api)
    with Browser(api) as browser:
        browser.log_in("reception")
        assert browser.get(wizard(client_id)).status_code == 403
        response = browser.submit("/", wizard(client_id), WIZARD_ANSWERS)
        assert response.status_code == 403


def test_reception_sees_contact_details_and_nothing_clinical(api: LiveApi) -> None:
    client_id = new_client(api, phone="+34 600 000 001", skin_type="oily")
    with Browser(api) as browser:
        browser.log_in("reception")
        text = browser.page(f"/clients/{client_id}").visible_text()
    assert "+34 600 000 001" in text
    assert "Skin type" not in text
    assert "Timeline" not in text


@pytest.mark.parametrize("path", ["/clients", "/clients/{id}", "/clients/{id}/consultations/new"])
def test_an_administrator_sees_no_client_records(api: LiveApi, path: str) -> None:
    client_id = new_client(api)
    with Browser(api) as browser:
        browser.log_in("admin")
        assert browser.get(path.format(id=client_id)).status_code == 403


@pytest.mark.parametrize("path", ["/", "/clients", "/clients/{id}", "/consultations/1"])
def test_pages_with_client_data_need_sign_in(api: LiveApi, path: str) -> None:
    client_id = new_client(api)
    with Browser(api) as browser:
        response = browser.get(path.format(id=client_id))
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")


def test_a_record_page_is_neither_cached_nor_framed(api: LiveApi) -> None:
    client_id = new_client(api)
    with Browser(api) as browser:
        browser.log_in("reception")
        response = browser.get(f"/clients/{client_id}")
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-frame-options"] == "DENY"


def test_another_clinics_client_is_not_found(api: LiveApi) -> None:
    client_id = new_client(api)
    with Browser(api) as browser:
        browser.log_in("other")
        assert browser.get(f"/clients/{client_id}").status_code == 404


def test_search_finds_a_client_by_family_name(api: LiveApi) -> None:
    client_id = new_client(api)
    with api.as_("reception") as http:
        family = http.get(f"/api/clients/{client_id}").json()["family_name"]
    with Browser(api) as browser:
        browser.log_in("reception")
        found = browser.get("/clients", params={"q": family.lower()})
        fragment = browser.get("/clients", params={"q": family}, headers={"HX-Request": "true"})
    assert f'href="/clients/{client_id}"' in found.text
    assert f'href="/clients/{client_id}"' in fragment.text
    assert "<html" not in fragment.text


def test_the_wizard_stores_a_consultation_and_shows_labels_not_codes(api: LiveApi) -> None:
    client_id = new_client(api)
    with Browser(api) as browser:
        browser.log_in("practitioner")
        response = browser.submit(wizard(client_id), wizard(client_id), WIZARD_ANSWERS)
        assert response.status_code == 303, response.text
        location = response.headers["location"]
        assert re.fullmatch(r"/consultations/\d+", location)
        page = browser.page(location)
    with api.as_("practitioner") as http:
        stored = http.get(f"/api/clients/{client_id}/consultations").json()
    assert [row["profile"]["conditions"] for row in stored] == [["psoriasis"]]
    text = page.visible_text()
    assert "Psoriasis" in text
    assert "Contraindicated" in text
    assert "Recommended" in text
    assert codes_shown(text, stored[0]["assessment"]) == []


def codes_shown(text: str, assessment: dict[str, Any]) -> list[str]:
    """Codes in the page's own words: the knowledge base's prose (reasons, citations, names) may
    use a word that is also a code ("acid peeling over psoriasis"), the page itself may not."""
    kb = default_knowledge_base()
    prose = [reason["text"] for item in assessment["procedures"] for reason in item["reasons"]]
    prose += [source.citation for source in kb.sources.values()]
    prose += [procedure.name for procedure in kb.procedures]
    for passage in sorted(prose, key=len, reverse=True):
        text = text.replace(re.sub(r"\s+", " ", passage), " ")
    codes = [*kb.codes("conditions"), *kb.codes("concerns"), *kb.codes("areas")]
    codes += [procedure.id for procedure in kb.procedures]
    return [code for code in codes if re.search(rf"\b{code}\b", text)]


def test_the_wizard_shows_errors_beside_the_fields_and_stores_nothing(api: LiveApi) -> None:
    client_id = new_client(api)
    answers = {**WIZARD_ANSWERS, "skin_type": "", "area": "elbow"}
    with Browser(api) as browser:
        browser.log_in("practitioner")
        response = browser.submit(wizard(client_id), wizard(client_id), answers)
    assert response.status_code == 422
    assert 'id="skin_type-error"' in response.text
    assert 'id="area-error"' in response.text
    with api.as_("practitioner") as http:
        assert http.get(f"/api/clients/{client_id}/consultations").json() == []


def test_the_record_shows_the_consultation_on_the_timeline(api: LiveApi) -> None:
    client_id = new_client(api)
    with Browser(api) as browser:
        browser.log_in("practitioner")
        browser.submit(wizard(client_id), wizard(client_id), WIZARD_ANSWERS)
        text = browser.page(f"/clients/{client_id}").visible_text()
    assert "Consultation" in text
    assert "Medical history Psoriasis" in text
    assert "Type III" in text


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("practitioner", "/"),
        ("practitioner", "/clients"),
        ("practitioner", "/clients/{id}"),
        ("practitioner", "/clients/{id}/consultations/new"),
        ("reception", "/clients/{id}"),
    ],
)
def test_every_field_has_a_label(api: LiveApi, who: str, path: str) -> None:
    client_id = new_client(api)
    with Browser(api) as browser:
        browser.log_in(who)
        page = browser.page(path.format(id=client_id))
    assert page.fields, "the page has no form to check"
    assert page.unlabelled() == []


def test_the_pages_are_in_russian_when_the_user_chooses_it(api: LiveApi) -> None:
    client_id = new_client(api)
    with Browser(api) as browser:
        browser.log_in("practitioner")
        response = browser.submit("/", "/language", {"language": "ru", "next": "/"})
        assert response.headers["location"] == "/"
        home = browser.get("/").text
        form = browser.get(wizard(client_id)).text
        browser.submit("/", "/language", {"language": "en", "next": "/"})  # kept on the account
    assert '<html lang="ru">' in home
    assert "Сегодня" in home
    assert "Тип кожи" in form
    assert "Skin type" not in form


def test_an_unknown_language_is_ignored(api: LiveApi) -> None:
    with Browser(api) as browser:
        browser.log_in("reception")
        browser.submit("/", "/language", {"language": "xx", "next": "/"})
        assert '<html lang="en">' in browser.get("/").text


def test_the_home_page_lists_the_practitioners_appointments_today(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    plan_id = builders.new_plan(api, client_id)
    body = calendar_builders.booking_body(api, plan_id)
    booked = builders.created(api, "reception", "/api/bookings", body)
    with api.as_("practitioner") as http:
        family = http.get(f"/api/clients/{client_id}").json()["family_name"]
    api.clock.now = datetime.fromisoformat(body["start"]).replace(hour=7).astimezone(UTC)
    with Browser(api) as browser:
        browser.log_in("practitioner")
        text = browser.page("/").visible_text()
    local = datetime.fromisoformat(booked["start"]).astimezone(ZoneInfo("Europe/Madrid"))
    assert f"{local:%H:%M}" in text
    assert family in text
    assert "No appointments today." not in text
