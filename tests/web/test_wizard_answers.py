"""The consultation wizard asks what the engine needs: medications with the day of the last
dose (or taken now), allergies by code or as typed, risk factors and notes, with an explicit
"none" for every list; the answers reach the record and the assessment screens them."""

from __future__ import annotations

import re
from typing import Any

from tests.api import builders
from tests.api.conftest import LiveApi
from tests.web.browser import Browser, new_client
from tests.web.test_pages import WIZARD_ANSWERS, wizard

NONE_OF_ANY = {f"no_{name}": "1" for name in ("conditions", "medications", "allergies")}
SKIN = {k: WIZARD_ANSWERS[k] for k in ("date_of_birth", "skin_type", "phototype", "area")}


def submit(api: LiveApi, client_id: int, answers: dict[str, Any]) -> Any:
    with Browser(api) as browser:
        browser.log_in("practitioner")
        return browser.submit(wizard(client_id), wizard(client_id), answers)


def error_of(html: str, name: str) -> str:
    found = re.search(rf'<p class="error" id="{name}-error">([^<]+)</p>', html)
    assert found, f"no error for {name}"
    return found.group(1)


def test_every_list_needs_an_answer_even_none_and_nothing_is_saved_without(api: LiveApi) -> None:
    client_id = new_client(api)
    refused = submit(api, client_id, {**SKIN, "concerns": ["blackheads"]})
    assert refused.status_code == 422
    for name in ("conditions", "medications", "allergies", "risk_factors"):
        assert error_of(refused.text, name) == "Tick what applies, or tick “none”."
    both = submit(api, client_id, {**WIZARD_ANSWERS, "no_conditions": "1"})
    assert error_of(both.text, "conditions") == "Tick either items or “none”, not both."
    assert builders.fetched(api, "practitioner", f"/api/clients/{client_id}/consultations") == []


def test_none_is_an_answer(api: LiveApi) -> None:
    client_id = new_client(api)
    answers = {**SKIN, "concerns": ["blackheads"], **NONE_OF_ANY, "no_risk_factors": "1"}
    assert submit(api, client_id, answers).status_code == 303
    [stored] = builders.fetched(api, "practitioner", f"/api/clients/{client_id}/consultations")
    profile = stored["profile"]
    assert (profile["conditions"], profile["medications"], profile["allergies"]) == ([], [], [])


def test_medications_allergies_and_notes_reach_the_record_and_the_assessment(
    api: LiveApi,
) -> None:
    client_id = new_client(api)
    answers = {
        **WIZARD_ANSWERS,
        "conditions": [],
        "no_conditions": "1",
        "allergies": ["salicylate_allergy"],
    }
    response = submit(api, client_id, answers)
    assert response.status_code == 303, response.text
    path = f"/api/clients/{client_id}"
    medications = builders.fetched(api, "practitioner", f"{path}/medications")
    assert [(m["code"], m["last_taken"]) for m in medications] == [("isotretinoin", "2026-08-01")]
    allergies = builders.fetched(api, "practitioner", f"{path}/allergies")
    assert sorted((a["allergen"], a["code"]) for a in allergies) == [
        ("Salicylates (aspirin)", "salicylate_allergy"),
        ("Sticking plaster", None),
    ]
    [stored] = builders.fetched(api, "practitioner", f"{path}/consultations")
    assert stored["note"] == "Works outdoors; back acne since her teens."
    assert stored["profile"]["allergies"] == ["salicylate_allergy"]
    [peel] = [p for p in stored["assessment"]["procedures"] if p["id"] == "chemical_peel"]
    assert "salicylate_allergy" in [reason["code"] for reason in peel["reasons"]]


def test_a_last_dose_after_today_is_refused_beside_the_medications(api: LiveApi) -> None:
    client_id = new_client(api)
    answers = {**WIZARD_ANSWERS, "last_taken-isotretinoin": "2027-01-01"}
    refused = submit(api, client_id, answers)
    assert refused.status_code == 422
    assert "after today" in error_of(refused.text, "medications")
    assert 'value="2027-01-01"' in refused.text
    assert builders.fetched(api, "practitioner", f"/api/clients/{client_id}/medications") == []


def test_the_wizard_opens_with_what_the_record_holds(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    builders.add_medication(api, client_id, "isotretinoin", last_taken="2026-08-01")
    body = {"allergen": "Latex gloves", "code": "latex_allergy"}
    builders.created(api, "practitioner", f"/api/clients/{client_id}/allergies", body)
    with Browser(api) as browser:
        browser.log_in("practitioner")
        html = browser.get(wizard(client_id)).text
    assert re.search(r'id="medications-isotretinoin"[^>]*checked', html)
    assert 'name="last_taken-isotretinoin" value="2026-08-01"' in html
    assert re.search(r'id="allergies-latex_allergy"[^>]*checked', html)


def test_a_condition_no_longer_ticked_is_resolved_and_kept(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    builders.add_history(api, client_id, "sunburn")
    builders.add_history(api, client_id, "rosacea")
    answers = {**WIZARD_ANSWERS, "conditions": ["rosacea"]}
    assert submit(api, client_id, answers).status_code == 303
    history = builders.fetched(api, "practitioner", f"/api/clients/{client_id}/history")
    assert sorted((h["condition_code"], h["status"], h["ended_on"]) for h in history) == [
        ("rosacea", "active", None),
        ("sunburn", "resolved", "2026-11-23"),
    ]


def test_a_red_flag_is_shown_as_a_referral_on_the_assessment(api: LiveApi) -> None:
    client_id = new_client(api)
    answers = {**WIZARD_ANSWERS, "conditions": ["severe_nodulocystic_acne"]}
    with Browser(api) as browser:
        browser.log_in("practitioner")
        response = browser.submit(wizard(client_id), wizard(client_id), answers)
        page = browser.get(response.headers["location"]).text
    referrals = page[page.index('id="referrals"') : page.index('class="verdicts"')]
    assert "Refer to a dermatologist" in referrals
    assert "Severe" in referrals or "severe" in referrals
