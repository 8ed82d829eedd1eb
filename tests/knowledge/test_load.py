"""Loading validates the whole knowledge base; every problem names its file and its entry."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from corneum.knowledge import KnowledgeBase, KnowledgeBaseError, load_knowledge_base
from corneum.knowledge.load import default_data_dir

Edit = Callable[[dict[str, Any]], None]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(default_data_dir(), copy)
    return copy


def edit(path: Path, change: Edit) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def problems_after(data_dir: Path, name: str, change: Edit) -> list[str]:
    edit(data_dir / name, change)
    with pytest.raises(KnowledgeBaseError) as caught:
        load_knowledge_base(data_dir)
    return caught.value.problems


def test_shipped_knowledge_base_has_version_and_hash(kb: KnowledgeBase) -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", kb.version)
    assert re.fullmatch(r"[0-9a-f]{64}", kb.sha256)


def test_a_faithful_copy_loads_with_the_same_hash(kb: KnowledgeBase, data_dir: Path) -> None:
    assert load_knowledge_base(data_dir).sha256 == kb.sha256


def test_any_change_changes_the_hash(kb: KnowledgeBase, data_dir: Path) -> None:
    path = data_dir / "procedures" / "chemical_peel.yaml"
    path.write_text(path.read_text() + "\n# reviewed\n")
    assert load_knowledge_base(data_dir).sha256 != kb.sha256


def first_contraindication(data: dict[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = data["contraindications"][0]
    return entry


CASES: list[tuple[str, str, Edit, str]] = [
    (
        "unknown key",
        "procedures/laser_back_resurfacing.yaml",
        lambda d: d.update(colour="red"),
        "colour: Extra inputs are not permitted",
    ),
    (
        "missing source",
        "procedures/laser_back_resurfacing.yaml",
        lambda d: first_contraindication(d).pop("source"),
        "contraindications[0] (pregnancy).source: Field required",
    ),
    (
        "unknown source",
        "procedures/laser_back_resurfacing.yaml",
        lambda d: first_contraindication(d).update(source="Nobody2020"),
        "contraindications[0] (pregnancy): unknown source 'Nobody2020'",
    ),
    (
        "unknown code",
        "procedures/chemical_peel.yaml",
        lambda d: first_contraindication(d).update(code="eczma"),
        "contraindications[0] (eczma): unknown code 'eczma'",
    ),
    (
        "empty duration",
        "procedures/laser_back_resurfacing.yaml",
        lambda d: d["stages"][1].update(duration_minutes={"min": 50, "max": 20}),
        "stages[1] (Anaesthetic cream).duration_minutes: Value error, empty duration range",
    ),
    (
        "zero duration",
        "procedures/home_clay_mask.yaml",
        lambda d: d["stages"][4].update(duration_minutes={"min": 0, "max": 0}),
        "stages[4] (Mask on).duration_minutes.min",
    ),
    (
        "stages overrun the total",
        "procedures/ultrasonic_back_cleansing.yaml",
        lambda d: (
            d["stages"][0].update(duration_minutes={"min": 100, "max": 110})
            or d["stages"][1].update(duration_minutes={"min": 30, "max": 30})
        ),
        "stage durations overlap the total",
    ),
    (
        "a contraindication on clinic practice alone",
        "procedures/chemical_peel.yaml",
        lambda d: first_contraindication(d).update(source="ClinicPractice"),
        "evidence C, too weak for a contraindication",
    ),
    (
        "timer without duration",
        "procedures/chemical_peel.yaml",
        lambda d: d["stages"][0].update(timer=True),
        "a timed stage needs duration_minutes",
    ),
]


@pytest.mark.parametrize(("name", "file", "change", "expected"), CASES, ids=[c[0] for c in CASES])
def test_load_error_names_file_and_entry(
    data_dir: Path, name: str, file: str, change: Edit, expected: str
) -> None:
    problems = problems_after(data_dir, file, change)
    assert any(p.startswith(file) and expected in p for p in problems), problems


def test_unknown_condition_implied_in_codes(data_dir: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["conditions"][0]["implies"] = ["nothing_like_it"]

    problems = problems_after(data_dir, "codes.yaml", change)
    assert any("conditions (acid_intolerance).implies" in p for p in problems), problems


def test_a_procedure_in_the_wrong_file_is_refused(data_dir: Path) -> None:
    problems = problems_after(
        data_dir, "procedures/dermal_roller.yaml", lambda d: d.update(id="needling")
    )
    assert any("must live in needling.yaml" in p for p in problems), problems


def test_all_problems_are_reported_at_once(data_dir: Path) -> None:
    edit(data_dir / "procedures" / "chemical_peel.yaml", lambda d: d.update(colour="red"))
    problems = problems_after(
        data_dir, "procedures/dermal_roller.yaml", lambda d: d.update(flavour="mint")
    )
    assert len([p for p in problems if "Extra inputs" in p]) == 2


def test_malformed_yaml_names_the_file(data_dir: Path) -> None:
    (data_dir / "sources.yaml").write_text("sources: [unclosed\n")
    with pytest.raises(KnowledgeBaseError) as caught:
        load_knowledge_base(data_dir)
    assert caught.value.problems[0].startswith("sources.yaml: not valid YAML")


def test_an_unknown_source_in_a_home_care_plan_is_refused(data_dir: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["home_care"][0]["rules"][0]["source"] = "Hearsay"

    problems = problems_after(data_dir, "home_care.yaml", change)
    assert any(p.startswith("home_care.yaml: s1_back_prevention") for p in problems), problems


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["booking"]["laser_back_resurfacing"].update(stage_minutes=[5, 60, 50]),
            "laser_back_resurfacing: stage_minutes[1] (Anaesthetic cream): 60 min is outside "
            "the 20-50 min the source gives",
        ),
        (
            lambda d: d["booking"]["ultrasonic_back_cleansing"].update(
                stage_minutes=[10, 15, 5, 15, 5, 40, 20, 30]
            ),
            "ultrasonic_back_cleansing: stage_minutes add up to 140 min; the source gives 120-120",
        ),
        (
            lambda d: d["booking"]["chemical_peel"].update(stage_minutes=[10, 5]),
            "chemical_peel: stage_minutes has 2 entries for 3 stages",
        ),
        (
            lambda d: d["booking"].pop("microdermabrasion"),
            "microdermabrasion: missing; the calendar cannot book it",
        ),
    ],
    ids=["outside the source's range", "total overrun", "wrong length", "missing"],
)
def test_booking_defaults_must_fit_the_stages(data_dir: Path, change: Edit, expected: str) -> None:
    problems = problems_after(data_dir, "scheduling.yaml", change)
    assert f"scheduling.yaml: {expected}" in problems, problems


def test_the_extension_guide_names_every_data_file() -> None:
    guide = (Path(__file__).parents[2] / "docs" / "knowledge-base.md").read_text()
    missing = [p.name for p in default_data_dir().glob("*.yaml") if f"`{p.name}`" not in guide]
    assert missing == []
