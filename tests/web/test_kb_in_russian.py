"""The knowledge base's texts beyond labels and handouts, in a Russian user's pages: the
assessment's rule reasons, the protocol runner's stages, the outcome scales and lesion kinds, the
wizard's phototypes; while what is stored, and what the API answers, stays English."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from corneum.knowledge import default_knowledge_base
from corneum.knowledge.translations import shipped_translation
from corneum.records.consultations.schemas import StoredReason
from corneum.web.i18n import day_in, knowledge_in, load_translations
from corneum.web.verdicts import ReasonTexts
from tests.api import builders
from tests.api.conftest import LiveApi
from tests.web.browser import Browser
from tests.web.staff import log_in_as, new_staff

KB = default_knowledge_base()
RUSSIAN = shipped_translation("ru")
PROCEDURE = KB.procedure(builders.ACNE_PROCEDURE)
PSORIASIS = "s1_deep_cleansing.psoriasis"
ELIGIBLE_FROM = load_translations("ru").gettext("Eligible from %(day)s.")
ENGLISH_REASONS = {rule.id: rule.reason.strip() for rules in KB.rules.values() for rule in rules}


def squeezed(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def russian_page(api: LiveApi, path: str) -> str:
    """The visible text of ``path`` for a practitioner who reads Russian."""
    with Browser(api) as browser:
        log_in_as(browser, new_staff(api, language="ru"))
        return browser.page(path).visible_text()


def rule_reasons(assessment: dict[str, Any]) -> list[dict[str, Any]]:
    """The stored reasons that come from a rule of the knowledge base."""
    return [
        reason
        for item in assessment["procedures"]
        for reason in item["reasons"]
        if reason["rule"] in ENGLISH_REASONS
    ]


def test_a_russian_user_reads_the_assessments_reasons_in_russian(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    builders.add_history(api, client_id, "psoriasis")
    consultation = builders.new_consultation(api, client_id)
    page = russian_page(api, f"/consultations/{consultation['id']}")
    reasons = rule_reasons(consultation["assessment"])
    assert PSORIASIS in {reason["rule"] for reason in reasons}
    for reason in reasons:
        assert squeezed(RUSSIAN[f"reasons.{reason['rule']}"]) in page, reason["rule"]
        assert squeezed(reason["text"]) not in page, reason["rule"]
    stored = builders.fetched(api, "practitioner", f"/api/consultations/{consultation['id']}")
    assert rule_reasons(stored["assessment"]) == reasons  # stored and served in English
    assert {reason["text"] for reason in reasons} <= set(ENGLISH_REASONS.values())


def test_a_reason_with_a_wash_out_says_its_day_once_in_the_pages_language(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    last_taken = api.clock.now.date() - timedelta(days=30)
    builders.add_medication(api, client_id, "isotretinoin", last_taken=last_taken.isoformat())
    consultation = builders.new_consultation(api, client_id)
    dated = [r for r in rule_reasons(consultation["assessment"]) if r["eligible_from"]]
    days = {reason["eligible_from"] for reason in dated}
    assert dated
    path = f"/consultations/{consultation['id']}"
    russian = russian_page(api, path)
    with Browser(api) as browser:
        browser.log_in("practitioner")
        english = browser.page(path).visible_text()
    for day in days:
        written = {language: day_in(language, date.fromisoformat(day)) for language in ("en", "ru")}
        assert english.count(f"Eligible from {written['en']}.") == sum(
            r["eligible_from"] == day for r in dated
        )
        assert ELIGIBLE_FROM % {"day": written["ru"]} in russian
    assert "Eligible from" not in russian
    for reason in dated:
        assert squeezed(RUSSIAN[f"reasons.{reason['rule']}"]) in russian


def test_a_reason_the_knowledge_base_no_longer_words_so_is_shown_as_stored() -> None:
    texts = ReasonTexts.of(knowledge_in(KB, "ru"))
    current = stored(rule=PSORIASIS, text=ENGLISH_REASONS[PSORIASIS])
    assert texts.text(current) == RUSSIAN[f"reasons.{PSORIASIS}"]
    older = current.model_copy(update={"text": "Psoriasis bars every cleansing."})
    assert texts.text(older) == "Psoriasis bars every cleansing."
    longer = current.model_copy(update={"text": f"{ENGLISH_REASONS[PSORIASIS]} And more."})
    assert texts.text(longer) == longer.text  # no wash-out day: not the rule's text
    worded_by_the_engine = stored(rule="chemical_peel.screening", text="Its sources record...")
    assert texts.text(worded_by_the_engine) == "Its sources record..."


def stored(**fields: str) -> StoredReason:
    """A stored reason with these fields (the effect and source do not matter here)."""
    return StoredReason.model_validate({"effect": "contraindicated", "source": "S1", **fields})


def test_the_wizard_offers_the_phototypes_in_russian(api: LiveApi) -> None:
    page = russian_page(api, f"/clients/{builders.new_client(api)}/consultations/new")
    for term in KB.vocabulary.phototypes:
        assert RUSSIAN[f"phototypes.{term.value}.label"] in page
        assert RUSSIAN[f"phototypes.{term.value}.description"] in page
        assert term.description not in page


def test_the_runner_shows_the_stages_in_russian_and_stores_them_in_english(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    session_id = builders.ready_session(api, client_id, builders.new_plan(api, client_id))
    run = f"/sessions/{session_id}/run"
    with Browser(api) as browser:
        log_in_as(browser, new_staff(api, language="ru"))
        started = browser.submit(run, f"/sessions/{session_id}/stages/0/start", {})
        page = browser.page(run).visible_text()
    assert started.status_code == 303
    assert RUSSIAN[f"procedures.{PROCEDURE.id}.name"] in page
    for index, stage in enumerate(PROCEDURE.stages):
        key = f"stages.{PROCEDURE.id}.{index}"
        assert f"{index + 1}. {RUSSIAN[f'{key}.name']}" in page
        assert f"{index + 1}. {stage.name}" not in page
        assert RUSSIAN[f"{key}.purpose"] in page
        assert stage.purpose not in page
        for number in range(len(stage.agents)):
            assert RUSSIAN[f"{key}.agents.{number}"] in page
    visit = builders.fetched(api, "practitioner", f"/api/sessions/{session_id}")
    assert [stage["name"] for stage in visit["stages"]] == [PROCEDURE.stages[0].name]


def test_the_outcome_pages_show_scales_grades_and_lesions_in_russian(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    session_id = builders.new_session(api, builders.new_plan(api, client_id))
    outcome = {"open_comedones": 4, "grades": [{"scale": "cass", "area": "back", "value": 2}]}
    builders.created(api, "practitioner", f"/api/sessions/{session_id}/outcome", outcome)
    entry = russian_page(api, f"/sessions/{session_id}/outcome")
    course = russian_page(api, f"/clients/{client_id}/outcomes")
    for scale in KB.scales.values():
        assert f"{RUSSIAN[f'scales.{scale.id}.name']} ({scale.abbreviation})" in entry
        assert scale.name not in entry
        for grade in scale.grades:
            key = f"scales.{scale.id}.grades.{grade.value}"
            assert f"{grade.value} — {RUSSIAN[f'{key}.label']}" in entry
            assert f"{grade.value} — {grade.label}" not in entry
            assert RUSSIAN[f"{key}.description"] in entry
    for lesion in KB.lesions:
        assert RUSSIAN[f"lesions.{lesion.code}.label"] in entry
        assert RUSSIAN[f"lesions.{lesion.code}.label"] in course
        assert lesion.label not in entry + course
    assert f"CASS — {RUSSIAN['labels.areas.back']}" in course
    served = builders.fetched(api, "practitioner", f"/api/sessions/{session_id}/outcome")
    assert served["grades"][0]["scale"] == "cass"  # codes, whatever the reader's language
