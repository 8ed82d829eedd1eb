"""Issue 11, knowledge base 2.0: one test per finding of the clinical review. Each asserts the
new verdict (the old one fails it) and names the source the change rests on."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from corneum.assessment import Assessment, ProcedureVerdict, assess, validate_profile
from corneum.knowledge import KnowledgeBase
from tests.conftest import ASSESSED_ON, profile_data

AssessWith = Callable[..., Assessment]
ROLLER = "dermal_roller"
LASER = "laser_back_resurfacing"
PEEL = "chemical_peel"
ACID = "atraumatic_back_cleansing"
ULTRASONIC = "ultrasonic_back_cleansing"
COMBINED = "combined_back_cleansing"
MECHANICAL = "mechanical_cleansing"
ABRASION = "microdermabrasion"
MASK = "home_clay_mask"
IN_CLINIC = (ACID, PEEL, COMBINED, ROLLER, LASER, MECHANICAL, ABRASION, ULTRASONIC)


def reasons_for(verdict: ProcedureVerdict, code: str) -> set[tuple[str, str]]:
    """(effect, source) of every reason the client code ``code`` triggered."""
    return {(r.effect, r.source) for r in verdict.reasons if r.code == code}


# -- Needling: real contraindications, not clinic-practice cautions ---------------------------


@pytest.mark.parametrize(
    ("condition", "source"),
    [
        ("damaged_epidermis", "S1"),  # S1: not over microtraumas; FDA: no numbing on broken skin
        ("sunburn", "S1"),
        ("eczema", "IADVL2008"),  # IADVL: active dermatitis
        ("psoriasis", "S1"),
        ("oncological_disease", "S1"),
        ("atypical_moles", "S1"),
        ("herpes", "IADVL2008"),  # active viral infection; Chu 2021: active infection
        ("skin_infection", "IADVL2008"),
        ("inflammatory_exacerbation", "S1"),
    ],
)
def test_needling_is_contraindicated_where_it_breaches_diseased_or_broken_skin(
    assess_with: AssessWith, condition: str, source: str
) -> None:
    result = assess_with(conditions=[condition], concerns=["post_acne_scars"])
    verdict = result.verdict(ROLLER)
    assert verdict.verdict == "contraindicated"
    assert ("contraindicated", source) in reasons_for(verdict, condition)
    assert ROLLER not in result.recommended


def test_needling_with_a_metal_allergy_is_a_relative_contraindication_chu_2021(
    assess_with: AssessWith,
) -> None:
    verdict = assess_with(allergies=["metal_allergy"]).verdict(ROLLER)
    assert verdict.verdict == "caution"
    assert ("relative_contraindication", "Chu2021") in reasons_for(verdict, "metal_allergy")


def test_needling_is_not_done_under_22_fda_authorisation(assess_with: AssessWith) -> None:
    young = assess_with(age=21, concerns=["post_acne_scars"]).verdict(ROLLER)
    adult = assess_with(age=22, concerns=["post_acne_scars"]).verdict(ROLLER)
    assert young.verdict == "contraindicated"
    assert ("contraindicated", "FDAMicroneedling") in reasons_for(young, "age")
    assert not reasons_for(adult, "age")


# -- Laser resurfacing ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "source"),
    [
        ("pregnancy", "Lee2013"),
        ("immunosuppression", "MayoLaser"),
        ("autoimmune_disease", "MayoLaser"),
        ("radiotherapy_area", "MayoLaser"),
        ("eczema", "IADVL2008"),
        ("psoriasis", "S1"),
        ("atypical_moles", "S1"),
        ("inflammatory_exacerbation", "S1"),
    ],
)
def test_laser_resurfacing_is_contraindicated(
    assess_with: AssessWith, condition: str, source: str
) -> None:
    verdict = assess_with(conditions=[condition], concerns=["post_acne_scars"]).verdict(LASER)
    assert verdict.verdict == "contraindicated"
    assert ("contraindicated", source) in reasons_for(verdict, condition)


def test_a_photosensitising_drug_makes_laser_at_least_a_caution(assess_with: AssessWith) -> None:
    verdict = assess_with(medications=["photosensitising_drug"]).verdict(LASER)
    assert verdict.verdict == "caution"
    assert ("relative_contraindication", "Drucker2011") in reasons_for(
        verdict, "photosensitising_drug"
    )


# -- Inflammatory flare, rosacea, moles --------------------------------------------------------


@pytest.mark.parametrize("procedure", [MECHANICAL, COMBINED, ULTRASONIC, ABRASION, ACID, PEEL])
def test_a_flare_blocks_every_cleansing_and_peeling_method_s1(
    assess_with: AssessWith, procedure: str
) -> None:
    result = assess_with(conditions=["inflammatory_exacerbation"])
    verdict = result.verdict(procedure)
    assert verdict.verdict == "contraindicated"
    assert ("contraindicated", "S1") in reasons_for(verdict, "inflammatory_exacerbation")
    assert procedure not in result.recommended


@pytest.mark.parametrize("procedure", [MECHANICAL, COMBINED])
def test_rosacea_cautions_steaming_and_extraction_gallo_2018(
    assess_with: AssessWith, procedure: str
) -> None:
    verdict = assess_with(conditions=["rosacea"]).verdict(procedure)
    assert verdict.verdict == "caution"
    assert ("caution", "Gallo2018") in reasons_for(verdict, "rosacea")


@pytest.mark.parametrize("procedure", [ACID, ULTRASONIC])
def test_rosacea_still_no_bar_to_atraumatic_cleansing_s1(
    assess_with: AssessWith, procedure: str
) -> None:
    verdict = assess_with(conditions=["rosacea"]).verdict(procedure)
    assert verdict.verdict == "suitable"
    assert ("allowed", "S1") in reasons_for(verdict, "rosacea")


@pytest.mark.parametrize("procedure", [ACID, PEEL, LASER, ABRASION, ROLLER, MECHANICAL, COMBINED])
def test_atypical_moles_block_every_procedure_reaching_that_skin(
    assess_with: AssessWith, procedure: str
) -> None:
    verdict = assess_with(conditions=["atypical_moles"]).verdict(procedure)
    assert verdict.verdict == "contraindicated"
    assert ("contraindicated", "S1") in reasons_for(verdict, "atypical_moles")


# -- Age ---------------------------------------------------------------------------------------


def test_a_young_child_is_referred_and_offered_nothing_eichenfield_2013(
    assess_with: AssessWith,
) -> None:
    result = assess_with(age=3, concerns=["acne", "blackheads"])
    assert result.recommended == ()
    assert {(r.code, r.source) for r in result.referrals} == {("age", "Eichenfield2013")}
    assert all(v.verdict == "contraindicated" for v in result.procedures)


@pytest.mark.parametrize("procedure", IN_CLINIC)
def test_a_minor_needs_a_guardians_consent_katz_webb_2016(
    assess_with: AssessWith, procedure: str
) -> None:
    verdict = assess_with(age=16).verdict(procedure)
    assert ("caution", "KatzWebb2016") in reasons_for(verdict, "age")
    assert verdict.verdict != "suitable"
    adult = assess_with(age=18).verdict(procedure)
    assert not any(r.rule.endswith("minor_consent") for r in adult.reasons)


# -- Wash-outs for every drug and a last dose in the future -------------------------------------


def test_every_medication_states_a_window(kb: KnowledgeBase) -> None:
    for medication in kb.vocabulary.medications:
        stated = [medication.washout_days, medication.washout_months, medication.while_taking]
        assert sum(bool(x) for x in stated) == 1, medication.code
        assert medication.washout_source in kb.sources


@pytest.mark.parametrize(
    ("medication", "procedure", "inside", "outside"),
    [
        ("photosensitising_drug", PEEL, "2026-11-20", "2024-11-01"),  # Drucker 2011, two weeks
        ("anticoagulant", ROLLER, "2026-11-21", "2023-01-01"),  # Douketis 2012, five days
        ("immunosuppressant", LASER, "2026-10-01", "2024-01-01"),
        ("topical_retinoid", ABRASION, "2026-11-20", "2025-01-01"),
    ],
)
def test_a_drug_stopped_long_ago_no_longer_counts(
    assess_with: AssessWith, medication: str, procedure: str, inside: str, outside: str
) -> None:
    recent = assess_with(medications=[{"code": medication, "last_taken": inside}])
    stopped = assess_with(medications=[{"code": medication, "last_taken": outside}])
    held = [r for r in recent.verdict(procedure).reasons if r.code == medication]
    assert held
    assert all(r.eligible_from is not None and r.eligible_from > ASSESSED_ON for r in held)
    assert not [r for r in stopped.verdict(procedure).reasons if r.code == medication]


def test_a_last_dose_after_the_assessment_date_is_refused(kb: KnowledgeBase) -> None:
    data = profile_data(
        medications=[{"code": "anticoagulant", "last_taken": "2026-12-01"}],
        assessed_on="2026-11-23",
    )
    with pytest.raises(ValidationError) as refused:
        validate_profile(data, kb)
    (error,) = refused.value.errors()
    assert error["loc"] == ("medications", 0, "last_taken")
    assert error["type"] == "date_after_assessment"


def test_a_last_dose_after_today_is_refused_when_no_date_is_stated(kb: KnowledgeBase) -> None:
    data = profile_data(medications=[{"code": "isotretinoin", "last_taken": "2026-11-24"}])
    with pytest.raises(ValidationError) as refused:
        validate_profile(data, kb, today=ASSESSED_ON)
    assert refused.value.errors()[0]["loc"] == ("medications", 0, "last_taken")
    validate_profile(data, kb, today=date(2026, 11, 24))


# -- Allergies ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("allergy", "procedure", "effect", "source"),
    [
        ("salicylate_allergy", PEEL, "relative_contraindication", "Arif2015"),
        ("egg_allergy", MASK, "contraindicated", "S1"),
        ("amide_anaesthetic_allergy", LASER, "relative_contraindication", "EMLALabel"),
        ("amide_anaesthetic_allergy", ROLLER, "caution", "EMLALabel"),
        ("metal_allergy", ROLLER, "relative_contraindication", "Chu2021"),
        ("latex_allergy", ACID, "caution", "NIOSH1997"),
        ("fragrance_allergy", ULTRASONIC, "caution", "deGroot2020"),
    ],
)
def test_allergies_are_screened(
    assess_with: AssessWith, allergy: str, procedure: str, effect: str, source: str
) -> None:
    verdict = assess_with(allergies=[allergy]).verdict(procedure)
    assert (effect, source) in reasons_for(verdict, allergy)
    assert verdict.verdict != "suitable"


def test_allergies_are_optional_and_unknown_ones_are_refused(kb: KnowledgeBase) -> None:
    assert validate_profile(profile_data(), kb).allergies == ()
    with pytest.raises(ValidationError) as refused:
        validate_profile(profile_data(allergies=["peanut"]), kb)
    (error,) = refused.value.errors()
    assert (error["loc"], error["type"]) == (("allergies", 0), "unknown_code")
    assert "latex_allergy" in error["msg"]
    assert set(kb.codes("allergies")) >= {
        "salicylate_allergy",
        "egg_allergy",
        "amide_anaesthetic_allergy",
        "metal_allergy",
        "latex_allergy",
        "fragrance_allergy",
    }


# -- Condition location ------------------------------------------------------------------------


def test_scalp_psoriasis_does_not_block_a_back_peel(assess_with: AssessWith) -> None:
    elsewhere = assess_with(conditions=[{"code": "psoriasis", "in_treated_area": False}])
    bare = assess_with(conditions=["psoriasis"])
    assert elsewhere.verdict(ACID).verdict == "suitable"
    assert bare.verdict(ACID).verdict == "contraindicated"  # a bare code: in the area


def test_a_keloid_tendency_counts_wherever_it_is(assess_with: AssessWith) -> None:
    result = assess_with(conditions=[{"code": "keloid_scars", "in_treated_area": False}])
    assert result.verdict(ACID).verdict == "contraindicated"


def test_conditions_keep_their_stored_shape(kb: KnowledgeBase) -> None:
    profile = validate_profile(
        profile_data(conditions=["rosacea", {"code": "psoriasis", "in_treated_area": False}]), kb
    )
    assert profile.condition_codes() == ("rosacea", "psoriasis")
    dumped: dict[str, Any] = profile.model_dump(mode="json")
    assert dumped["conditions"] == ["rosacea", {"code": "psoriasis", "in_treated_area": False}]
    assert validate_profile(dumped, kb) == profile


def test_an_unknown_bare_condition_is_reported_at_its_position(kb: KnowledgeBase) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_profile(profile_data(conditions=["rosacea", "psoriasiss"]), kb)
    assert refused.value.errors()[0]["loc"] == ("conditions", 1)


# -- Sun protection, salicylism, topical anaesthetic -------------------------------------------


@pytest.mark.parametrize("procedure", [ACID, PEEL])
def test_acid_aftercare_asks_for_sun_protection_fda_2005(kb: KnowledgeBase, procedure: str) -> None:
    assert any(item.source == "FDA2005AHA" for item in kb.procedure(procedure).aftercare)


def test_salicylic_peel_over_the_whole_back_warns_of_salicylism_madan_levitt_2014(
    assess_with: AssessWith,
) -> None:
    back = assess_with(area="back").verdict(PEEL)
    face = assess_with(area="face").verdict(PEEL)
    assert any(r.rule == f"{PEEL}.salicylism_large_area" for r in back.reasons)
    assert back.verdict == "caution"
    assert not any(r.rule == f"{PEEL}.salicylism_large_area" for r in face.reasons)


@pytest.mark.parametrize("procedure", [LASER, ROLLER])
def test_numbing_a_large_area_is_cautioned_fda_2009(
    assess_with: AssessWith, procedure: str
) -> None:
    verdict = assess_with(area="back").verdict(procedure)
    flagged = [r for r in verdict.reasons if r.rule == f"{procedure}.anaesthetic_large_area"]
    assert [r.source for r in flagged] == ["FDAAnaesthetic2009"]


# -- Red flags ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "source"),
    [
        ("severe_nodulocystic_acne", "Zaenglein2016"),
        ("suspected_malassezia_folliculitis", "Rubenstein2014"),
        ("hidradenitis_suppurativa", "Alikhan2019"),
    ],
)
def test_red_flags_refer_to_a_dermatologist(
    assess_with: AssessWith, condition: str, source: str
) -> None:
    result = assess_with(conditions=[condition], concerns=["acne"])
    assert [(r.code, r.effect, r.source) for r in result.referrals] == [
        (condition, "refer", source)
    ]
    assert result.recommended == ()
    assert result.to_dict()["referrals"][0]["code"] == condition
    for verdict in result.procedures:
        assert ("refer", source) in reasons_for(verdict, condition)


def test_a_flag_elsewhere_still_refers(assess_with: AssessWith) -> None:
    result = assess_with(
        conditions=[{"code": "severe_nodulocystic_acne", "in_treated_area": False}]
    )
    assert result.referrals


def test_an_assessment_without_flags_has_an_empty_referral_list(assess_with: AssessWith) -> None:
    assert assess_with().to_dict()["referrals"] == []


# -- The profile shape older clients send still works -----------------------------------------


def test_a_profile_without_allergies_or_locations_assesses_as_before(kb: KnowledgeBase) -> None:
    profile = validate_profile(profile_data(conditions=["psoriasis"]), kb)
    result = assess(profile, kb, assessed_on=ASSESSED_ON)
    assert result.verdict(ACID).verdict == "contraindicated"
