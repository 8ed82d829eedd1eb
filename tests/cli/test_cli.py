"""The corneum command line, run as a real process."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from corneum.knowledge import KnowledgeBase, default_knowledge_base
from corneum.knowledge.load import default_data_dir
from tests.conftest import profile_data


def corneum(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "corneum", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def write(tmp_path: Path, data: Any) -> str:
    path = tmp_path / "profile.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return str(path)


def test_assess_json_follows_the_contract(tmp_path: Path, kb: KnowledgeBase) -> None:
    profile = profile_data(conditions=["psoriasis"], assessed_on="2026-11-23")
    done = corneum("assess", write(tmp_path, profile), "--format", "json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["knowledge_base"] == {"version": kb.version, "sha256": kb.sha256}
    assert {p["id"] for p in out["procedures"]} == {p.id for p in kb.procedures}
    acid = next(p for p in out["procedures"] if p["id"] == "atraumatic_back_cleansing")
    assert acid["verdict"] == "contraindicated"
    reason = next(r for r in acid["reasons"] if r["code"] == "psoriasis")
    assert {"rule", "code", "effect", "source", "text"} <= set(reason)
    assert (reason["effect"], reason["source"]) == ("contraindicated", "S1")
    assert "atraumatic_back_cleansing" not in out["recommended"]
    assert out["recommended"][0] == "home_clay_mask"


def test_assess_json_is_byte_identical_between_runs(tmp_path: Path) -> None:
    path = write(tmp_path, profile_data(assessed_on="2026-11-23"))
    first = corneum("assess", path, "-f", "json").stdout
    assert first
    assert first == corneum("assess", path, "-f", "json").stdout


def test_assess_reads_stdin_and_prints_a_table() -> None:
    done = corneum("assess", "-", stdin=json.dumps(profile_data(conditions=["rosacea"])))
    assert done.returncode == 0, done.stderr
    assert "Deep atraumatic back cleansing" in done.stdout
    assert "Recommended:" in done.stdout


def test_dated_medication_gives_eligible_from(tmp_path: Path) -> None:
    profile = profile_data(
        medications=[{"code": "isotretinoin", "last_taken": "2026-08-01"}],
        assessed_on="2026-11-23",
    )
    out = json.loads(corneum("assess", write(tmp_path, profile), "-f", "json").stdout)
    laser = next(p for p in out["procedures"] if p["id"] == "laser_back_resurfacing")
    dates = {r["rule"]: r["eligible_from"] for r in laser["reasons"] if r["code"] == "isotretinoin"}
    assert dates == {
        "laser_back_resurfacing.isotretinoin_ablative": "2027-02-01",
        "laser_back_resurfacing.isotretinoin_twelve_months": "2027-08-01",
    }


BAD_PROFILES = [
    ("malformed JSON", "{age: 29", "not valid JSON"),
    ("not an object", "[1, 2]", "expected a JSON object"),
    ("negative age", profile_data(age=-3), "age: Input should be greater than or equal to 0"),
    ("age as text", profile_data(age="29"), "age: Input should be a valid integer"),
    ("phototype 7", profile_data(fitzpatrick=7), "fitzpatrick: Input should be less than or"),
    ("missing field", {k: v for k, v in profile_data().items() if k != "skin_type"},
     "skin_type: Field required"),
    ("unknown condition", profile_data(conditions=["rosacea", "psoriazis"]),
     "conditions.1: unknown code 'psoriazis'; allowed: acid_intolerance,"),
    ("unknown concern", profile_data(concerns=["wrinkles"]), "concerns.0: unknown code 'wrinkles'"),
    ("unknown area", profile_data(area="knee"), "area: unknown code 'knee'; allowed: back, face"),
    ("unknown medication", profile_data(medications=["aspirin"]),
     "medications.0.code: unknown code 'aspirin'; allowed: isotretinoin"),
    ("bad date", profile_data(medications=[{"code": "isotretinoin", "last_taken": "soon"}]),
     "medications.0.last_taken: Input should be a valid date"),
    ("typo in a medication", profile_data(medications=[{"code": "isotretinoin", "last": "x"}]),
     "medications.0.last: Extra inputs are not permitted"),
    # KB 2.0 (issue 11): a last dose in the future, an unknown allergy, a located condition
    ("last dose after assessment",
     profile_data(medications=[{"code": "anticoagulant", "last_taken": "2026-12-01"}],
                  assessed_on="2026-11-23"),
     "medications.0.last_taken: the last dose 2026-12-01 is after the assessment date"),
    ("last dose after today", profile_data(medications=[{"code": "isotretinoin",
                                                         "last_taken": "2999-01-01"}]),
     "medications.0.last_taken: the last dose 2999-01-01 is after the assessment date"),
    ("unknown allergy", profile_data(allergies=["peanut"]),
     "allergies.0: unknown code 'peanut'; allowed: salicylate_allergy"),
    ("unknown located condition", profile_data(conditions=[{"code": "psoriazis",
                                                            "in_treated_area": False}]),
     "conditions.0.code: unknown code 'psoriazis'"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "content", "message"), BAD_PROFILES, ids=[c[0] for c in BAD_PROFILES]
)
def test_bad_profile_exits_2_with_one_line_naming_the_field(
    tmp_path: Path, case: str, content: Any, message: str
) -> None:
    done = corneum("assess", write(tmp_path, content), "--format", "json")
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert message in lines[0]


def test_allergies_and_condition_locations_are_read_and_red_flags_shown(tmp_path: Path) -> None:
    profile = profile_data(
        conditions=[{"code": "psoriasis", "in_treated_area": False}, "hidradenitis_suppurativa"],
        allergies=["latex_allergy"],
        assessed_on="2026-11-23",
    )
    out = json.loads(corneum("assess", write(tmp_path, profile), "-f", "json").stdout)
    assert [r["code"] for r in out["referrals"]] == ["hidradenitis_suppurativa"]
    acid = next(p for p in out["procedures"] if p["id"] == "atraumatic_back_cleansing")
    assert not [r for r in acid["reasons"] if r["code"] == "psoriasis"]
    assert any(r["code"] == "latex_allergy" for r in acid["reasons"])
    text = corneum("assess", write(tmp_path, profile)).stdout
    assert "Refer to a dermatologist" in text


def test_missing_profile_file_exits_2(tmp_path: Path) -> None:
    done = corneum("assess", str(tmp_path / "absent.json"))
    assert (done.returncode, done.stdout) == (2, "")
    assert "PROFILE: cannot read" in done.stderr


def test_unknown_format_exits_2(tmp_path: Path) -> None:
    done = corneum("assess", write(tmp_path, profile_data()), "--format", "xml")
    assert (done.returncode, done.stdout) == (2, "")
    assert "--format: unknown value 'xml'; allowed: text, json" in done.stderr


def test_unknown_profile_keys_are_warned_about_not_fatal(tmp_path: Path) -> None:
    done = corneum("assess", write(tmp_path, profile_data(sex="f")), "-f", "json")
    assert done.returncode == 0
    assert "ignored unknown profile fields: sex" in done.stderr
    json.loads(done.stdout)


def test_procedure_json_gives_stages_and_total(kb: KnowledgeBase) -> None:
    done = corneum("procedure", "ultrasonic_back_cleansing", "--format", "json")
    out = json.loads(done.stdout)
    assert out["id"] == "ultrasonic_back_cleansing"
    assert out["total_minutes"] == {"min": 120, "max": 120}
    assert out["stages"][0]["name"] == "Cleansing"
    assert all("duration_minutes" in s for s in out["stages"])
    laser = json.loads(corneum("procedure", "laser_back_resurfacing", "-f", "json").stdout)
    assert [s["duration_minutes"] for s in laser["stages"]] == [
        None, {"min": 20, "max": 50}, {"min": 35, "max": 50},
    ]  # fmt: skip
    assert laser["total_minutes"] is None


def test_unknown_procedure_exits_2_listing_ids() -> None:
    done = corneum("procedure", "facelift")
    assert (done.returncode, done.stdout) == (2, "")
    assert "ID: unknown procedure 'facelift'; allowed: atraumatic_back_cleansing" in done.stderr


def test_procedures_codes_version_and_kb_check(kb: KnowledgeBase) -> None:
    listing = json.loads(corneum("procedures", "-f", "json").stdout)
    assert [p["id"] for p in listing] == [p.id for p in kb.procedures]
    assert "post_acne_scars" in corneum("codes").stdout
    codes = json.loads(corneum("codes", "-f", "json").stdout)
    assert "sunburn" in {c["code"] for c in codes["conditions"]}
    assert kb.sha256 in corneum("--version").stdout
    check = corneum("kb", "check")
    assert check.returncode == 0
    assert kb.sha256 in check.stdout


def test_kb_check_reports_a_broken_copy(tmp_path: Path) -> None:
    (tmp_path / "knowledge.yaml").write_text("version: one\n")
    done = corneum("kb", "check", "--data-dir", str(tmp_path))
    assert done.returncode == 1
    assert "knowledge.yaml: version" in done.stderr


def test_kb_check_reports_an_outdated_translation(tmp_path: Path) -> None:
    copy = tmp_path / "data"
    shutil.copytree(default_data_dir(), copy)
    russian = copy / "translations" / "ru.yaml"
    text = russian.read_text(encoding="utf-8")
    english = default_knowledge_base().procedures[0].name
    russian.write_text(text.replace(f'en: "{english}"', 'en: "An older name"', 1), encoding="utf-8")
    assert "An older name" in russian.read_text(encoding="utf-8")
    done = corneum("kb", "check", "--data-dir", str(copy))
    assert done.returncode == 1
    assert "translations/ru.yaml" in done.stderr
    assert "outdated" in done.stderr
