"""Rules from literature-facts.md: time-aware wash-outs, cautions where evidence is unsettled."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from corneum.assessment import Assessment, ProcedureVerdict, Reason

AssessWith = Callable[..., Assessment]
LASER = "laser_back_resurfacing"


def isotretinoin(last_taken: str | None = None) -> list[object]:
    return [{"code": "isotretinoin", "last_taken": last_taken}]


def ablative_caution(verdict: ProcedureVerdict) -> Reason:
    return next(r for r in verdict.reasons if r.rule == f"{LASER}.isotretinoin_ablative")


def test_isotretinoin_inside_six_months_rules_out_only_an_ablative_laser_regime(
    assess_with: AssessWith,
) -> None:
    """Waldman 2017 (ASDS) advises against fully ablative laser within six months; it and
    Spring 2017 find no reason to delay non-ablative or fractional work: a caution that names
    the ablative regime, not a block of the whole procedure."""
    verdict = assess_with(medications=isotretinoin("2026-08-01")).verdict(LASER)
    assert verdict.verdict == "caution"
    block = ablative_caution(verdict)
    assert (block.code, block.source, block.effect) == ("isotretinoin", "Waldman2017", "caution")
    assert block.eligible_from == date(2027, 2, 1)
    assert "2027-02-01" in block.text
    assert "ablative" in block.text
    year = next(r for r in verdict.reasons if r.rule == f"{LASER}.isotretinoin_twelve_months")
    assert year.eligible_from == date(2027, 8, 1)


def test_isotretinoin_between_six_and_twelve_months_only_cautions_laser(
    assess_with: AssessWith,
) -> None:
    verdict = assess_with(medications=isotretinoin("2026-03-01")).verdict(LASER)
    assert verdict.verdict == "caution"
    (caution,) = [r for r in verdict.reasons if r.code == "isotretinoin"]
    assert (caution.effect, caution.eligible_from) == ("caution", date(2027, 3, 1))


def test_isotretinoin_more_than_a_year_ago_is_silent(assess_with: AssessWith) -> None:
    result = assess_with(medications=isotretinoin("2025-06-01"))
    for verdict in result.procedures:
        assert all(r.code != "isotretinoin" for r in verdict.reasons), verdict.id


def test_window_ends_on_the_eligible_date_itself(assess_with: AssessWith) -> None:
    on_the_day = assess_with(medications=isotretinoin("2026-05-23"))
    day_before = assess_with(medications=isotretinoin("2026-05-24"))
    assert "isotretinoin" not in {r.code for r in on_the_day.verdict("chemical_peel").reasons}
    assert day_before.verdict("chemical_peel").verdict == "caution"


def test_bare_isotretinoin_condition_holds_without_a_date(assess_with: AssessWith) -> None:
    block = ablative_caution(assess_with(conditions=["isotretinoin_recent"]).verdict(LASER))
    assert (block.code, block.eligible_from) == ("isotretinoin_recent", None)


def test_isotretinoin_still_taken_holds_without_a_date(assess_with: AssessWith) -> None:
    verdict = assess_with(medications=["isotretinoin"]).verdict(LASER)
    assert verdict.verdict == "caution"
    assert all(r.eligible_from is None for r in verdict.reasons)


@pytest.mark.parametrize(
    "procedure",
    ["chemical_peel", "atraumatic_back_cleansing", "dermal_roller", "microdermabrasion"],
)
def test_isotretinoin_only_cautions_superficial_procedures(
    assess_with: AssessWith, procedure: str
) -> None:
    verdict = assess_with(medications=isotretinoin("2026-10-01")).verdict(procedure)
    assert verdict.verdict == "caution"
    assert any(r.source == "Waldman2017" and r.effect == "caution" for r in verdict.reasons)


def test_assessed_on_in_the_profile_sets_the_clock(assess_with: AssessWith) -> None:
    later = assess_with(medications=isotretinoin("2026-08-01"), assessed_on="2027-02-01")
    assert later.assessed_on == date(2027, 2, 1)
    assert later.verdict(LASER).verdict == "caution"  # past six months, inside twelve


def test_month_arithmetic_clamps_to_month_end(assess_with: AssessWith) -> None:
    block = ablative_caution(assess_with(medications=isotretinoin("2026-08-31")).verdict(LASER))
    assert block.eligible_from == date(2027, 2, 28)


def test_pacemaker_bars_ultrasound_over_the_back(assess_with: AssessWith) -> None:
    verdict = assess_with(conditions=["pacemaker"]).verdict("ultrasonic_back_cleansing")
    assert verdict.verdict == "contraindicated"
    assert any(r.source == "UltrasoundLabelling" for r in verdict.reasons)


def test_pacemaker_only_cautions_combined_cleansing_which_can_use_vacuum(
    assess_with: AssessWith,
) -> None:
    verdict = assess_with(conditions=["pacemaker"]).verdict("combined_back_cleansing")
    assert verdict.verdict == "caution"


@pytest.mark.parametrize("condition", ["anticoagulants", "pregnancy"])
def test_clinic_practice_facts_only_caution_needling(
    assess_with: AssessWith, condition: str
) -> None:
    verdict = assess_with(area="face", conditions=[condition]).verdict("dermal_roller")
    assert verdict.verdict == "caution"
    assert {r.source for r in verdict.reasons if r.code == condition} == {"ClinicPractice"}


def test_anticoagulant_medication_implies_the_condition(assess_with: AssessWith) -> None:
    verdict = assess_with(area="face", medications=["anticoagulant"]).verdict("dermal_roller")
    assert verdict.verdict == "caution"
    assert any(r.code == "anticoagulant" for r in verdict.reasons)


def test_pregnancy_is_relative_for_chemical_peel_and_a_caution_for_aha_cleansing(
    assess_with: AssessWith,
) -> None:
    result = assess_with(conditions=["pregnancy"])
    peel = {r.effect for r in result.verdict("chemical_peel").reasons if r.code == "pregnancy"}
    acid = {
        r.effect
        for r in result.verdict("atraumatic_back_cleansing").reasons
        if r.code == "pregnancy"
    }
    assert peel == {"relative_contraindication"}
    assert acid == {"caution"}


@pytest.mark.parametrize("phototype", [4, 5, 6])
def test_darker_phototypes_caution_peels(assess_with: AssessWith, phototype: int) -> None:
    verdict = assess_with(fitzpatrick=phototype).verdict("chemical_peel")
    assert verdict.verdict == "caution"
    assert any(r.code == f"fitzpatrick_{phototype}" for r in verdict.reasons)


def test_rosacea_disagreement_is_a_caution_for_generic_peels(assess_with: AssessWith) -> None:
    verdict = assess_with(conditions=["rosacea"]).verdict("chemical_peel")
    assert verdict.verdict == "caution"
    assert any(r.code == "rosacea" and "disagree" in r.text for r in verdict.reasons)


def test_a_last_dose_at_the_end_of_the_calendar_holds_without_an_end(
    assess_with: AssessWith,
) -> None:
    block = ablative_caution(assess_with(medications=isotretinoin("9999-12-01")).verdict(LASER))
    assert (block.code, block.eligible_from) == ("isotretinoin", None)
