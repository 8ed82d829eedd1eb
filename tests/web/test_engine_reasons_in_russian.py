"""The reasons the assessment engine words itself (an indication met, an area a procedure does
not treat, a screening that found nothing) in a Russian user's consultation page, translated
from the catalogue with the values in Russian; stored in English all the same."""

from __future__ import annotations

from typing import Any

from corneum.assessment import phrases
from corneum.knowledge import default_knowledge_base
from corneum.records.consultations.schemas import StoredReason
from corneum.web.i18n import knowledge_in, load_translations
from corneum.web.verdicts import engine_phrase
from tests.api import builders
from tests.api.conftest import LiveApi
from tests.web.test_kb_in_russian import russian_page, squeezed

KB = default_knowledge_base()
RU_KB = knowledge_in(KB, "ru")
RU = load_translations("ru")


def engine_reasons(assessment: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        reason
        for item in assessment["procedures"]
        for reason in item["reasons"]
        if phrases.phrase_of(reason["rule"], reason.get("code"), KB) is not None
    ]


def in_russian(reason: dict[str, Any]) -> str:
    phrase = phrases.phrase_of(reason["rule"], reason.get("code"), RU_KB)
    assert phrase is not None
    return phrase.said(RU.gettext, RU_KB.label)


def test_a_russian_user_reads_the_engines_own_reasons_in_russian(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    consultation = builders.new_consultation(api, client_id, area="face")
    reasons = engine_reasons(consultation["assessment"])
    effects = {reason["effect"] for reason in reasons}
    assert {"indicated", "out_of_area", "no_contraindication"} <= effects
    page = russian_page(api, f"/consultations/{consultation['id']}")
    for reason in reasons:
        assert squeezed(in_russian(reason)) in page, reason["rule"]
        assert squeezed(reason["text"]) not in page, reason["rule"]
    assert all(RU_KB.label(r["code"]).lower() in in_russian(r) for r in reasons if r["code"])


def test_a_stored_reason_the_engine_no_longer_words_so_is_shown_as_stored() -> None:
    procedure = KB.procedures[0]
    rule = f"{procedure.id}.screening"
    current = phrases.screened(procedure, KB).text
    assert engine_phrase(stored(rule, current), KB, RU_KB) == phrases.screened(procedure, RU_KB)
    assert engine_phrase(stored(rule, "An older wording."), KB, RU_KB) is None
    assert engine_phrase(stored("no_such.screening", current), KB, RU_KB) is None


def stored(rule: str, text: str) -> StoredReason:
    return StoredReason(rule=rule, effect="no_contraindication", source="S1", text=text)
