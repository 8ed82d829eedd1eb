"""Issue 11, knowledge base 2.0: the data findings (citations, agents, patch test, scales,
sequencing, home care, Russian meaning) and the checks `corneum kb check` makes of the new
structures."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from corneum.knowledge import KnowledgeBase, KnowledgeBaseError, load_knowledge_base
from corneum.knowledge.load import default_data_dir
from corneum.knowledge.translations import shipped_translation

Edit = Callable[[Any], None]


def test_the_version_is_2_1_0(kb: KnowledgeBase) -> None:
    assert kb.version == "2.1.0"


# -- Citations ---------------------------------------------------------------------------------


def test_every_source_has_a_full_reference(kb: KnowledgeBase) -> None:
    for source in kb.sources.values():
        if source.kind in ("seed", "clinic_practice"):
            continue
        assert source.authors, source.id
        assert source.title, source.id
        assert source.publisher, source.id
        assert source.year, source.id
        assert source.doi or source.pmid or source.url, source.id


@pytest.mark.parametrize("kind", ["consumer_page", "trial_exclusions", "textbook"])
def test_weak_kinds_of_source_are_graded_b_at_most(kb: KnowledgeBase, kind: str) -> None:
    graded = {s.id: s.evidence for s in kb.sources.values() if s.kind == kind}
    assert graded
    assert set(graded.values()) <= {"B", "C"}, graded


def test_consumer_pages_and_trial_exclusions_are_graded_b(kb: KnowledgeBase) -> None:
    for source_id in ("MayoLaser", "MayoPeel", "AADPeelFAQ", "ASDS", "Cosmetics2024"):
        assert kb.sources[source_id].evidence == "B", source_id


def test_a_contraindication_resting_on_a_textbook_names_its_chapter(kb: KnowledgeBase) -> None:
    for rules in kb.rules.values():
        for rule in rules:
            source = kb.sources[rule.source]
            blocking = rule.effect in ("contraindicated", "relative_contraindication", "refer")
            if blocking and source.kind == "textbook":
                assert source.edition, rule.id
                assert source.chapter, rule.id


def test_the_atraumatic_course_is_not_credited_to_s1(kb: KnowledgeBase) -> None:
    course = kb.procedure("atraumatic_back_cleansing").course
    assert course is not None
    assert course.source != "S1"
    assert "S1" not in course.see_also


def test_the_peel_agent_list_is_not_credited_to_s2(kb: KnowledgeBase) -> None:
    application = kb.procedure("chemical_peel").stages[0]
    assert application.agents
    assert application.source == "IADVL2008"


def test_mechanical_cleansing_takes_s1s_list_only_by_analogy(kb: KnowledgeBase) -> None:
    procedure = kb.procedure("mechanical_cleansing")
    assert "s1_deep_cleansing" not in procedure.rule_sets
    for rule in kb.rule_sets["s1_by_analogy"].contraindications:
        assert "names as a bar" not in rule.reason, rule.code
        assert any(word in rule.reason for word in ("analogy", "squeez", "extraction")), rule.code


# -- Chemical peel agents ----------------------------------------------------------------------


def test_tca_and_jessners_are_for_doctors_only_iadvl_2008(kb: KnowledgeBase) -> None:
    uses = {use.agent: use for use in kb.procedure("chemical_peel").agent_uses}
    assert uses["Jessner's solution"].performers == ("doctor",)
    assert uses["trichloroacetic acid 10-30%"].performers == ("doctor",)
    assert not any("35" in agent for agent in uses)
    assert all(use.depth != "medium" for use in uses.values())


def test_each_peel_agent_has_its_own_contact_time_or_end_point(kb: KnowledgeBase) -> None:
    peel = kb.procedure("chemical_peel")
    contact = next(stage for stage in peel.stages if stage.name == "Contact time")
    assert (contact.timer, contact.agent_timer) == (False, True)
    salicylic = next(use for use in peel.agent_uses if use.agent.startswith("salicylic"))
    assert salicylic.contact_minutes is not None
    assert (salicylic.contact_minutes.min, salicylic.contact_minutes.max) == (3, 5)
    assert salicylic.source == "Grimes1999"
    assert all(use.end_point for use in peel.agent_uses)


# -- Patch test --------------------------------------------------------------------------------


@pytest.mark.parametrize("procedure", ["atraumatic_back_cleansing", "chemical_peel"])
def test_a_patch_test_precedes_the_first_acid_session_s1(kb: KnowledgeBase, procedure: str) -> None:
    (step,) = kb.procedure(procedure).pre_steps
    assert (step.id, step.before, step.source) == ("patch_test", "first_session", "S1")
    assert step.days_before.min >= 1
    assert step.reaction_shows == "acid_intolerance"
    assert "acid_intolerance" in {rule.code for rule in kb.procedure(procedure).contraindications}


# -- Scales ------------------------------------------------------------------------------------


def test_iga_is_worded_as_the_fda_2018_guidance(kb: KnowledgeBase) -> None:
    iga = kb.scales["iga"]
    almost_clear = iga.grade(1)
    assert almost_clear is not None
    assert "one small inflammatory" in almost_clear.description
    moderate = iga.grade(3)
    assert moderate is not None
    assert "one small nodule" in moderate.description


def test_gags_bands_its_total_doshi_1997(kb: KnowledgeBase) -> None:
    score = kb.scales["gags"].score
    assert score is not None
    assert score.most == 44
    assert [score.band(t) for t in (0, 1, 18, 19, 30, 31, 38, 39, 44, 45)] == [
        0,
        1,
        1,
        2,
        2,
        3,
        3,
        4,
        4,
        None,
    ]


def test_leeds_revised_grades_face_and_trunk_apart_obrien_1998(kb: KnowledgeBase) -> None:
    assert (kb.scales["leeds_face"].lowest, kb.scales["leeds_face"].highest) == (1, 12)
    assert (kb.scales["leeds_trunk"].lowest, kb.scales["leeds_trunk"].highest) == (1, 8)
    assert set(kb.scales["leeds_trunk"].areas) == {"chest", "back"}


def test_goodman_baron_grades_scars_on_the_back_goodman_baron_2006(kb: KnowledgeBase) -> None:
    scale = kb.scales["goodman_baron"]
    assert scale.source == "GoodmanBaron2006"
    assert "back" in scale.areas
    assert [g.value for g in scale.grades] == [1, 2, 3, 4]


# -- Sequencing and home care ------------------------------------------------------------------


def test_sequencing_between_procedures_has_sources(kb: KnowledgeBase) -> None:
    after_laser = kb.min_gap("laser_back_resurfacing", "chemical_peel")
    assert after_laser is not None
    assert (after_laser.min_days, after_laser.source) == (28, "MayoLaser")
    after_peel = kb.min_gap("chemical_peel", "dermal_roller")
    assert after_peel is not None
    assert after_peel.min_days == 7
    assert kb.min_gap("chemical_peel", "home_clay_mask") is None


def test_back_acne_home_care_is_evidence_based_zaenglein_2016(kb: KnowledgeBase) -> None:
    plan = kb.home_care["back_acne_evidence"]
    texts = " ".join(rule.text for rule in plan.rules)
    assert "benzoyl peroxide" in texts
    assert "retinoid" in texts
    assert "non-comedogenic" in texts
    assert {rule.source for rule in plan.rules} <= {"Zaenglein2016", "FDA2005AHA"}
    for procedure in ("atraumatic_back_cleansing", "ultrasonic_back_cleansing"):
        assert "back_acne_evidence" in kb.procedure(procedure).home_care


# -- Russian meaning fixes ---------------------------------------------------------------------


def test_russian_meaning_fixes() -> None:
    ru = shipped_translation("ru")
    ablative = ru["reasons.laser_back_resurfacing.isotretinoin_ablative"]
    assert "нельзя" in ablative
    wait = ru["stages.laser_back_resurfacing.1.purpose"]
    assert "от 20 до 50 минут" in wait
    assert "дольше" not in wait
    assert "местной анестезией" not in ru["procedures.laser_back_resurfacing.summary"]
    before = "За два месяца до"  # noqa: RUF001 - "within two months before" read as "two months before"
    assert before not in ru["reasons.laser_back_resurfacing.recent_tan"]
    assert before not in ru["procedures.laser_back_resurfacing.pre_treatment.1"]
    assert "лица" not in ru["labels.concerns.dull_complexion"]


# -- What kb check refuses ---------------------------------------------------------------------


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(default_data_dir(), copy)
    return copy


def problems_after(data_dir: Path, name: str, change: Edit) -> list[str]:
    path = data_dir / name
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    with pytest.raises(KnowledgeBaseError) as caught:
        load_knowledge_base(data_dir)
    return caught.value.problems


def _medication(data: Any, code: str) -> dict[str, Any]:
    return next(m for m in data["medications"] if m["code"] == code)


def _source(data: Any, source_id: str) -> dict[str, Any]:
    return next(s for s in data["sources"] if s["id"] == source_id)


def _agent(data: Any, index: int) -> dict[str, Any]:
    return data["agent_uses"][index]  # type: ignore[no-any-return]


CHECKS: list[tuple[str, str, Edit, str]] = [
    (
        "a medication without a window",
        "codes.yaml",
        lambda d: _medication(d, "anticoagulant").pop("washout_days"),
        "states exactly one of washout_days, washout_months, while_taking",
    ),
    (
        "a consumer page graded A",
        "sources.yaml",
        lambda d: _source(d, "MayoLaser").update(evidence="A"),
        "consumer_page source is graded at most B",
    ),
    (
        "a source without an identifier",
        "sources.yaml",
        lambda d: _source(d, "Chu2021").pop("doi"),
        "lacks an identifier",
    ),
    (
        "a contraindication on a textbook without a chapter",
        "procedures/laser_back_resurfacing.yaml",
        lambda d: d["contraindications"][0].update(source="DermTextbook"),
        "a textbook without a chapter",
    ),
    (
        "a medium-depth agent for a cosmetologist",
        "procedures/chemical_peel.yaml",
        lambda d: _agent(d, 0).update(depth="medium"),
        "a medium-depth agent is applied by a doctor only",
    ),
    (
        "an agent for someone who does not perform the procedure",
        "procedures/chemical_peel.yaml",
        lambda d: _agent(d, 0).update(performers=["client"]),
        "does not perform this procedure",
    ),
    (
        "an unknown allergy in a rule",
        "procedures/home_clay_mask.yaml",
        lambda d: d["contraindications"][0].update(code="egg_alergy"),
        "unknown code 'egg_alergy'",
    ),
    (
        "anywhere on a condition that is not local",
        "rule_sets.yaml",
        lambda d: d["rule_sets"][1]["cautions"][1].update(anywhere=True),
        "'anywhere' is for a local condition",
    ),
    (
        "sequencing an unknown procedure",
        "sequencing.yaml",
        lambda d: d["sequencing"][0].update(then="deep_peel"),
        "unknown procedure 'deep_peel'",
    ),
    (
        "a referral resting on clinic practice",
        "rule_sets.yaml",
        lambda d: d["rule_sets"][0]["referrals"][0].update(source="ClinicPractice"),
        "too weak for a contraindication",
    ),
    (
        "GAGS bands with a gap",
        "scales.yaml",
        lambda d: next(s for s in d["scales"] if s["id"] == "gags")["score"]["bands"][1].update(
            max=17
        ),
        "bands leave a gap",
    ),
    (
        "a patch test whose reaction shows an unknown condition",
        "procedures/chemical_peel.yaml",
        lambda d: d["pre_steps"][0].update(reaction_shows="acid_intolerence"),
        "unknown code 'acid_intolerence'",
    ),
    (
        "a stage timed by its agent in a procedure without agents",
        "procedures/chemical_peel.yaml",
        lambda d: d.pop("agent_uses"),
        "agent_timer needs the procedure's agent_uses",
    ),
    (
        "a stage timed both by its duration and by its agent",
        "procedures/chemical_peel.yaml",
        lambda d: d["stages"][1].update(timer=True, duration_minutes={"min": 3, "max": 5}),
        "by its duration or by its agent, not both",
    ),
]


@pytest.mark.parametrize(("name", "file", "change", "expected"), CHECKS, ids=[c[0] for c in CHECKS])
def test_kb_check_validates_the_new_structures(
    data_dir: Path, name: str, file: str, change: Edit, expected: str
) -> None:
    problems = problems_after(data_dir, file, change)
    assert any(expected in p for p in problems), problems
