"""The grading scales and lesion kinds are knowledge-base data, checked when it loads."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from corneum.knowledge import KnowledgeBase, KnowledgeBaseError, load_knowledge_base
from corneum.knowledge.load import default_data_dir
from tests.knowledge.test_load import Edit, problems_after


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(default_data_dir(), copy)
    return copy


def scale(data: dict[str, Any], scale_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(s for s in data["scales"] if s["id"] == scale_id)
    return found


def test_iga_grades_the_face_from_clear_to_severe(kb: KnowledgeBase) -> None:
    iga = kb.scales["iga"]
    assert [g.label for g in iga.grades] == ["Clear", "Almost clear", "Mild", "Moderate", "Severe"]
    assert (iga.lowest, iga.highest, iga.areas) == (0, 4, ("face",))
    assert kb.sources[iga.source].evidence == "A"


def test_cass_grades_face_chest_and_back_apart_up_to_very_severe(kb: KnowledgeBase) -> None:
    cass = kb.scales["cass"]
    assert set(cass.areas) == {"face", "chest", "back"}
    assert [g.value for g in cass.grades] == [0, 1, 2, 3, 4, 5]
    very_severe = cass.grade(5)
    assert very_severe is not None
    assert very_severe.label == "Very severe"
    assert cass.grade(6) is None


def test_lesions_are_grouped_as_the_literature_counts_them(kb: KnowledgeBase) -> None:
    groups = {lesion.code: lesion.group for lesion in kb.lesions}
    assert groups == {
        "open_comedones": "non_inflammatory",
        "closed_comedones": "non_inflammatory",
        "papules": "inflammatory",
        "pustules": "inflammatory",
        "nodules": "nodular",
    }


def duplicate_grade(data: dict[str, Any]) -> None:
    scale(data, "cass")["grades"][4]["value"] = 3


def unordered_grades(data: dict[str, Any]) -> None:
    grades = scale(data, "iga")["grades"]
    grades[0], grades[1] = grades[1], grades[0]


CASES: list[tuple[str, Edit, str]] = [
    ("two grades share a value", duplicate_grade, "scales[1] (cass): Value error, two grades"),
    ("grades out of order", unordered_grades, "scales[0] (iga): Value error, grades are listed"),
    (
        "unknown area",
        lambda d: scale(d, "cass")["areas"].append("elbow"),
        "scales[1] (cass) areas: unknown code 'elbow'",
    ),
    (
        "unknown source",
        lambda d: scale(d, "iga").update(source="Nobody2020"),
        "scales[0] (iga) source: unknown source 'Nobody2020'",
    ),
    (
        "scale id twice",
        lambda d: scale(d, "cass").update(id="iga"),
        "(top level): Value error, scale id used twice: iga",
    ),
    (
        "grade without a description",
        lambda d: scale(d, "iga")["grades"][2].pop("description"),
        "scales[0] (iga).grades[2].description: Field required",
    ),
    (
        "unknown lesion group",
        lambda d: d["lesions"][0].update(group="scarring"),
        "lesions[0] (open_comedones).group: Input should be",
    ),
]


@pytest.mark.parametrize(("change", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_bad_scale_file_is_refused_naming_file_and_entry(
    data_dir: Path, change: Edit, expected: str
) -> None:
    problems = problems_after(data_dir, "scales.yaml", change)
    assert any(p.startswith(f"scales.yaml: {expected}") for p in problems), problems


def test_the_scale_file_is_required(data_dir: Path) -> None:
    (data_dir / "scales.yaml").unlink()
    with pytest.raises(KnowledgeBaseError, match=r"scales.yaml: file is missing"):
        load_knowledge_base(data_dir)
