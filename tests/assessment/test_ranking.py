"""Scores and the recommended list."""

from __future__ import annotations

from collections.abc import Callable

from corneum.assessment import Assessment

AssessWith = Callable[..., Assessment]


def test_score_is_matched_weight_over_the_most_possible(assess_with: AssessWith) -> None:
    # Atraumatic cleansing weighs blackheads 3 and dryness 1: (3 + 1) / (3 * 2).
    verdict = assess_with(concerns=["blackheads", "dryness"]).verdict("atraumatic_back_cleansing")
    assert verdict.score == round(4 / 6, 3)


def test_a_procedure_not_done_on_the_area_scores_zero_and_says_why(
    assess_with: AssessWith,
) -> None:
    result = assess_with(area="face", concerns=["post_acne_scars"])
    laser = result.verdict("laser_back_resurfacing")
    assert (laser.score, laser.area_covered) == (0.0, False)
    assert any(r.effect == "out_of_area" and r.code == "face" for r in laser.reasons)
    assert "laser_back_resurfacing" not in result.recommended
    assert "dermal_roller" in result.recommended


def test_recommended_puts_suitable_before_caution_then_by_score(
    assess_with: AssessWith,
) -> None:
    result = assess_with(concerns=["blackheads", "excess_sebum"], conditions=["rosacea"])
    by_id = {v.id: v for v in result.procedures}
    rank = {"suitable": 0, "caution": 1}
    keys = [(rank[by_id[i].verdict], -by_id[i].score, i) for i in result.recommended]
    assert keys == sorted(keys)
    assert result.recommended[0] == "atraumatic_back_cleansing"  # rosacea allowed by S1
    assert "microdermabrasion" not in result.recommended[:3]  # rosacea: relative there


def test_no_concerns_means_nothing_to_recommend(assess_with: AssessWith) -> None:
    result = assess_with(concerns=[])
    assert result.recommended == ()
    assert all(v.score == 0 for v in result.procedures)


def test_acne_scars_on_the_back_rank_the_scar_treatments_first(assess_with: AssessWith) -> None:
    result = assess_with(concerns=["post_acne_scars"])
    assert set(result.recommended[:2]) == {"laser_back_resurfacing", "dermal_roller"}
    assert result.recommended[:2] == ("dermal_roller", "laser_back_resurfacing")  # tie: by id
    assert "atraumatic_back_cleansing" not in result.recommended
