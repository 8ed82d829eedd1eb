"""Every contraindication fact of seed-facts.md that the engine decides, as a table (S1)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from corneum.assessment import Assessment, ProcedureVerdict

ACID = "atraumatic_back_cleansing"
AssessWith = Callable[..., Assessment]

# S1: "Contraindications to deep atraumatic (acid) back cleansing".
S1_ACID_CONTRAINDICATIONS = [
    "acid_intolerance",
    "eczema",
    "herpes",
    "psoriasis",
    "pustular_infection",
    "damaged_epidermis",
    "keloid_scars",
    "atypical_moles",
    "oncological_disease",
]


def reasons_for(verdict: ProcedureVerdict, code: str, effect: str) -> list[str]:
    return [r.source for r in verdict.reasons if r.code == code and r.effect == effect]


@pytest.mark.parametrize("condition", S1_ACID_CONTRAINDICATIONS)
def test_each_s1_contraindication_blocks_acid_cleansing_citing_s1(
    assess_with: AssessWith, condition: str
) -> None:
    verdict = assess_with(conditions=[condition]).verdict(ACID)
    assert verdict.verdict == "contraindicated"
    assert "S1" in reasons_for(verdict, condition, "contraindicated")
    assert ACID not in assess_with(conditions=[condition]).recommended


def test_a_healthy_client_may_have_acid_cleansing(assess_with: AssessWith) -> None:
    result = assess_with()
    assert result.verdict(ACID).verdict == "suitable"
    assert ACID in result.recommended


@pytest.mark.parametrize("condition", ["rosacea", "hypersensitive_skin"])
def test_rosacea_and_hypersensitive_skin_do_not_block_acid_cleansing(
    assess_with: AssessWith, condition: str
) -> None:
    verdict = assess_with(conditions=[condition]).verdict(ACID)
    assert verdict.verdict == "suitable"
    assert reasons_for(verdict, condition, "allowed") == ["S1"]


@pytest.mark.parametrize("skin_type", ["normal", "dry", "oily", "combination", "sensitive"])
def test_every_skin_type_suits_acid_cleansing(assess_with: AssessWith, skin_type: str) -> None:
    assert assess_with(skin_type=skin_type).verdict(ACID).verdict == "suitable"


@pytest.mark.parametrize("procedure", [ACID, "chemical_peel"])
@pytest.mark.parametrize("condition", ["inflammatory_exacerbation", "damaged_epidermis"])
def test_inflammatory_exacerbation_or_microtraumas_block_peeling(
    assess_with: AssessWith, procedure: str, condition: str
) -> None:
    verdict = assess_with(conditions=[condition]).verdict(procedure)
    assert verdict.verdict == "contraindicated"
    assert "S1" in reasons_for(verdict, condition, "contraindicated")


def test_sunburn_is_a_burn_so_it_blocks_acid_cleansing(assess_with: AssessWith) -> None:
    verdict = assess_with(conditions=["sunburn"]).verdict(ACID)
    assert verdict.verdict == "contraindicated"
    blocking = [r for r in verdict.reasons if r.effect == "contraindicated"]
    assert [(r.code, r.rule, r.source) for r in blocking] == [
        ("sunburn", "s1_deep_cleansing.damaged_epidermis", "S1")
    ]


@pytest.mark.parametrize(
    "procedure",
    ["ultrasonic_back_cleansing", "combined_back_cleansing", "mechanical_cleansing"],
)
@pytest.mark.parametrize("condition", ["psoriasis", "keloid_scars", "oncological_disease"])
def test_s1_list_also_bars_the_other_deep_cleansings(
    assess_with: AssessWith, procedure: str, condition: str
) -> None:
    assert assess_with(conditions=[condition]).verdict(procedure).verdict == "contraindicated"


def test_home_clay_mask_is_safe_for_blackheads_on_the_back(assess_with: AssessWith) -> None:
    result = assess_with(concerns=["blackheads"])
    verdict = result.verdict("home_clay_mask")
    assert verdict.verdict == "suitable"
    assert verdict.score == 1.0
    assert [r.effect for r in verdict.reasons] == ["indicated", "no_contraindication"]
