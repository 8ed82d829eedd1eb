"""The facts of shared/domain/seed-facts.md, each found in the knowledge base with its source."""

from __future__ import annotations

import pytest

from corneum.knowledge import KnowledgeBase
from corneum.knowledge.model import Instruction, MinuteRange, Procedure

REQUIRED_PROCEDURES = {
    "atraumatic_back_cleansing",
    "ultrasonic_back_cleansing",
    "combined_back_cleansing",
    "mechanical_cleansing",
    "laser_back_resurfacing",
    "microdermabrasion",
    "chemical_peel",
    "dermal_roller",
    "home_clay_mask",
}
S1_INDICATIONS = [
    "excess_sebum", "dryness", "enlarged_pores", "blackheads", "whiteheads", "pimples", "acne",
    "age_spots", "photoaging", "fine_wrinkles", "aging_skin", "uneven_tone", "uneven_texture",
]  # fmt: skip
S2_CONCERNS = ["dull_complexion", "clogged_pores", "uneven_texture", "uneven_tone"]


def stage_minutes(procedure: Procedure) -> list[tuple[int, int] | None]:
    return [
        None if s.duration_minutes is None else (s.duration_minutes.min, s.duration_minutes.max)
        for s in procedure.stages
    ]


def mentions(items: tuple[Instruction, ...], *words: str, source: str) -> bool:
    return any(i.source == source and all(w in i.text.lower() for w in words) for i in items)


def test_all_required_procedures_are_present(kb: KnowledgeBase) -> None:
    assert {p.id for p in kb.procedures} >= REQUIRED_PROCEDURES


def test_s1_indications_are_the_acid_cleansing_indications(kb: KnowledgeBase) -> None:
    acid = kb.procedure("atraumatic_back_cleansing")
    cited = {i.concern: i.source for i in acid.indications}
    assert {code: cited.get(code) for code in S1_INDICATIONS} == dict.fromkeys(S1_INDICATIONS, "S1")


@pytest.mark.parametrize("procedure", ["microdermabrasion", "chemical_peel"])
def test_s2_concerns_are_indications_of_the_s2_treatments(
    kb: KnowledgeBase, procedure: str
) -> None:
    cited = {i.concern: i.source for i in kb.procedure(procedure).indications}
    assert {c: cited.get(c) for c in S2_CONCERNS} == dict.fromkeys(S2_CONCERNS, "S2")


def test_acid_cleansing_has_six_stages_with_the_ten_minute_napkins(kb: KnowledgeBase) -> None:
    acid = kb.procedure("atraumatic_back_cleansing")
    assert len(acid.stages) == 6
    assert stage_minutes(acid) == [None, None, None, None, (10, 10), None]
    napkins = acid.stages[4]
    assert napkins.timer
    assert "napkins" in napkins.purpose.lower()
    assert "glycolic acid" in acid.stages[2].agents
    assert "whey" in acid.stages[3].purpose
    assert all(s.source == "S1" for s in acid.stages)


def test_ultrasonic_cleansing_takes_about_two_hours(kb: KnowledgeBase) -> None:
    ultrasonic = kb.procedure("ultrasonic_back_cleansing")
    assert ultrasonic.duration == MinuteRange(min=120, max=120)
    names = [s.name for s in ultrasonic.stages]
    assert names.index("Steaming") < names.index("Ultrasonic peeling")
    assert {"ultrasonic_device", "steamer"} <= set(ultrasonic.equipment)


def test_laser_anaesthesia_waits_unattended_then_35_to_50_minutes(kb: KnowledgeBase) -> None:
    laser = kb.procedure("laser_back_resurfacing")
    assert laser.performers == ("doctor",)
    assert stage_minutes(laser) == [None, (20, 50), (35, 50)]
    cream = laser.stages[1]
    assert cream.timer
    assert not cream.attended
    assert "cold_air_cooler" in laser.stages[2].equipment
    assert mentions(laser.pre_treatment, "examination", "doctor", source="S1")


def test_home_clay_mask_recipe_and_twenty_minutes(kb: KnowledgeBase) -> None:
    mask = kb.procedure("home_clay_mask")
    assert mask.performers == ("client",)
    assert stage_minutes(mask) == [(15, 15), None, None, None, (20, 20), None]
    assert "50 ml warm water" in mask.stages[0].agents
    assert "egg white" in mask.stages[2].agents


def test_combined_is_hardware_then_mechanical(kb: KnowledgeBase) -> None:
    names = [s.name for s in kb.procedure("combined_back_cleansing").stages]
    assert names.index("Hardware cleansing") < names.index("Mechanical cleansing")


def test_mechanical_cleansing_is_salon_only_after_steaming(kb: KnowledgeBase) -> None:
    mechanical = kb.procedure("mechanical_cleansing")
    assert "client" not in mechanical.performers
    names = [s.name for s in mechanical.stages]
    assert names.index("Steaming") < names.index("Manual extraction")


def test_results_continue_two_days_and_redness_goes_in_hours(kb: KnowledgeBase) -> None:
    acid = kb.procedure("atraumatic_back_cleansing")
    assert mentions(acid.aftercare, "two days", source="S1")
    assert mentions(acid.aftercare, "hours", "no recovery", source="S1")
    assert mentions(kb.procedure("ultrasonic_back_cleansing").aftercare, "two", source="S1")


def test_acid_cleansing_at_most_weekly_and_fine_in_summer(kb: KnowledgeBase) -> None:
    acid = kb.procedure("atraumatic_back_cleansing")
    assert acid.course is not None
    assert acid.course.interval_days is not None
    assert acid.course.interval_days.min == 7
    assert mentions(acid.season_notes, "spring", "summer", source="S1")


def test_s2_pre_treatment_avoid_sun_and_products(kb: KnowledgeBase) -> None:
    assert mentions(kb.procedure("chemical_peel").pre_treatment, "sun", source="S2")


def test_home_prevention_rules_of_s1(kb: KnowledgeBase) -> None:
    rules = kb.home_care["s1_back_prevention"].rules
    assert len(rules) == 7
    assert all(r.source == "S1" for r in rules)
    for words in (("vegetables",), ("squeeze",), ("soap",), ("non-comedogenic",), ("scrubs",)):
        assert mentions(rules, *words, source="S1"), words


def test_risk_factors_of_s1_are_recordable(kb: KnowledgeBase) -> None:
    assert len(kb.vocabulary.risk_factors) == 9
    assert all(term.source == "S1" for term in kb.vocabulary.risk_factors)


def test_required_vocabulary_is_present(kb: KnowledgeBase) -> None:
    concerns = {
        "excess_sebum", "dryness", "enlarged_pores", "blackheads", "whiteheads", "pimples",
        "acne", "age_spots", "photoaging", "fine_wrinkles", "aging_skin", "uneven_tone",
        "uneven_texture", "dull_complexion", "clogged_pores", "post_acne_scars",
    }  # fmt: skip
    conditions = {
        "acid_intolerance", "eczema", "herpes", "psoriasis", "pustular_infection",
        "damaged_epidermis", "keloid_scars", "atypical_moles", "oncological_disease", "rosacea",
        "hypersensitive_skin", "inflammatory_exacerbation", "pregnancy", "isotretinoin_recent",
        "anticoagulants", "pacemaker", "sunburn",
    }  # fmt: skip
    assert concerns <= set(kb.codes("concerns"))
    assert conditions <= set(kb.codes("conditions"))
    assert set(kb.codes("skin_types")) == {"normal", "dry", "oily", "combination", "sensitive"}
    assert set(kb.codes("areas")) == {"back", "face", "neck", "chest", "shoulders"}
    assert kb.codes("phototypes") == ("1", "2", "3", "4", "5", "6")


def test_every_procedure_cites_its_sources(kb: KnowledgeBase) -> None:
    for procedure in kb.procedures:
        assert set(procedure.sources) <= set(kb.sources), procedure.id
        for rule in kb.rules[procedure.id]:
            assert rule.source in kb.sources, rule.id


def test_the_care_pathway_runs_from_consultation_to_home_care(kb: KnowledgeBase) -> None:
    steps = [(step.name, step.source) for step in kb.pathway]
    assert steps == [
        ("Consultation", "S2"),
        ("Pre-treatment instructions", "S2"),
        ("Procedure", "S1"),
        ("Results", "S1"),
        ("Home care and prevention", "S1"),
    ]
    assert "doctor" in kb.pathway[0].text


def test_back_acne_facts_live_on_the_concerns(kb: KnowledgeBase) -> None:
    concerns = {term.code: term for term in kb.vocabulary.concerns}
    assert "thicker" in (concerns["acne"].description or "")
    assert "scars" in (concerns["blackheads"].description or "")
    assert concerns["poor_product_absorption"].source == "S2"
