"""The knowledge base's Russian texts: every client-facing text translated, nothing left over,
and a translation whose English has since changed reported as outdated."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from corneum.knowledge import KnowledgeBase, default_knowledge_base, load_knowledge_base
from corneum.knowledge.load import KnowledgeBaseError, default_data_dir
from corneum.knowledge.translations import (
    TRANSLATIONS_DIR,
    load_translation,
    rule_reasons,
    shipped_translation,
    translatable_texts,
    translated,
)

KB: KnowledgeBase = default_knowledge_base()


def test_the_shipped_russian_covers_every_text() -> None:
    russian = shipped_translation("ru")
    assert set(russian) == set(translatable_texts(KB))
    assert all(text.strip() for text in russian.values())


def test_every_handout_text_and_choice_label_is_translatable() -> None:
    keys = set(translatable_texts(KB))
    for procedure in KB.procedures:
        assert f"procedures.{procedure.id}.name" in keys
        assert len([k for k in keys if k.startswith(f"procedures.{procedure.id}.aftercare.")]) == (
            len(procedure.aftercare)
        )
    assert {f"labels.conditions.{term.code}" for term in KB.vocabulary.conditions} <= keys


def test_every_rule_reason_stage_and_scale_text_is_translatable() -> None:
    keys = set(translatable_texts(KB))
    rule_ids = {rule.id for rules in KB.rules.values() for rule in rules}
    assert {f"reasons.{rule_id}" for rule_id in rule_ids} <= keys
    assert {f"reasons.{rule_id}" for rule_id in rule_reasons(KB)} == {
        key for key in keys if key.startswith("reasons.")
    }
    for procedure in KB.procedures:
        for index, stage in enumerate(procedure.stages):
            key = f"stages.{procedure.id}.{index}"
            assert {f"{key}.name", f"{key}.purpose"} <= keys
            assert {f"{key}.agents.{n}" for n in range(len(stage.agents))} <= keys
    for scale in KB.scales.values():
        assert {f"scales.{scale.id}.name", f"scales.{scale.id}.summary"} <= keys
        for grade in scale.grades:
            key = f"scales.{scale.id}.grades.{grade.value}"
            assert {f"{key}.label", f"{key}.description"} <= keys
    assert {f"lesions.{lesion.code}.label" for lesion in KB.lesions} <= keys
    assert {f"phototypes.{term.value}.label" for term in KB.vocabulary.phototypes} <= keys


def test_every_course_note_season_note_and_device_has_a_section_of_its_own() -> None:
    """Outside ``procedures.<id>``, which holds what a handout says of a procedure."""
    texts = translatable_texts(KB)
    season_notes = {
        f"season_notes.{procedure.id}.{index}": note.text
        for procedure in KB.procedures
        for index, note in enumerate(procedure.season_notes)
    }
    course_notes = {
        f"courses.{procedure.id}.note": procedure.course.note
        for procedure in KB.procedures
        if procedure.course is not None and procedure.course.note is not None
    }
    assert "season_notes.laser_back_resurfacing.0" in season_notes  # the test means something
    assert {key: text for key, text in texts.items() if key.startswith("season_notes.")} == (
        season_notes
    )
    assert {key: text for key, text in texts.items() if key.startswith("courses.")} == course_notes
    procedures = [text for key, text in texts.items() if key.startswith("procedures.")]
    assert not set(procedures) & {*season_notes.values(), *course_notes.values()}
    devices = {f"labels.equipment.{term.code}" for term in KB.vocabulary.equipment}
    assert devices <= set(texts)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(default_data_dir(), copy)
    return copy


def edit(data_dir: Path, change: str) -> list[str]:
    """Apply ``change`` to the Russian file of a copy of the data; the problems it causes."""
    path = data_dir / TRANSLATIONS_DIR / "ru.yaml"
    document = yaml.safe_load(path.read_text())
    procedure = document["procedures"]["chemical_peel"]
    if change == "missing":
        procedure["aftercare"].pop()
    elif change == "outdated":
        procedure["name"]["en"] = "Chemical peel (deep)"
    elif change == "empty":
        procedure["summary"]["ru"] = " "
    elif change == "unknown":
        document["procedures"]["no_such_procedure"] = {"name": {"en": "X", "ru": "X"}}
    elif change == "missing stage":
        del document["stages"]["chemical_peel"][2]["name"]
    elif change == "outdated reason":
        document["reasons"]["chemical_peel"]["keloid_scars"]["en"] = "Keloids bar a peel."
    elif change == "empty grade":
        document["scales"]["cass"]["grades"][5]["label"]["ru"] = ""
    elif change == "unknown rule":
        document["reasons"]["chemical_peel"]["no_such_rule"] = {"en": "X", "ru": "X"}
    elif change == "missing season note":
        del document["season_notes"]["laser_back_resurfacing"]
    elif change == "outdated course note":
        document["courses"]["chemical_peel"]["note"]["en"] = "Repeat weekly."
    elif change == "unknown season note":
        document["season_notes"]["chemical_peel"] = [{"en": "X", "ru": "X"}]
    path.write_text(yaml.safe_dump(document, allow_unicode=True))
    with pytest.raises(KnowledgeBaseError) as refused:
        load_translation(KB, "ru", data_dir)
    problems: list[str] = refused.value.problems
    return problems


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("missing", "procedures.chemical_peel.aftercare.1: missing"),
        ("outdated", "procedures.chemical_peel.name: outdated: the English now reads"),
        ("empty", "procedures.chemical_peel.summary: the translation is empty"),
        ("unknown", "procedures.no_such_procedure.name: no such text in the knowledge base"),
        ("missing stage", "stages.chemical_peel.2.name: missing"),
        ("outdated reason", "reasons.chemical_peel.keloid_scars: outdated: the English now reads"),
        ("empty grade", "scales.cass.grades.5.label: the translation is empty"),
        ("unknown rule", "reasons.chemical_peel.no_such_rule: no such text in the knowledge base"),
        ("missing season note", "season_notes.laser_back_resurfacing.0: missing"),
        ("outdated course note", "courses.chemical_peel.note: outdated: the English now reads"),
        ("unknown season note", "season_notes.chemical_peel.0: no such text in the knowledge base"),
    ],
)
def test_a_bad_translation_is_refused_naming_the_text(
    data_dir: Path, change: str, expected: str
) -> None:
    problems = edit(data_dir, change)
    assert len(problems) == 1
    assert problems[0].startswith(f"translations/ru.yaml: {expected}")


def test_a_rule_reason_reworded_in_english_is_reported_as_outdated(data_dir: Path) -> None:
    """The knowledge base's own English changes: its old Russian must not stay in the pages."""
    path = data_dir / "rule_sets.yaml"
    english = "S1 lists psoriasis among the skin diseases that bar deep back cleansing."
    reworded = "S1 names psoriasis as a bar to deep back cleansing."
    path.write_text(path.read_text().replace(english, reworded))
    with pytest.raises(KnowledgeBaseError) as refused:
        load_translation(load_knowledge_base(data_dir), "ru", data_dir)
    assert refused.value.problems == [
        "translations/ru.yaml: reasons.s1_deep_cleansing.psoriasis: outdated: the English now "
        f"reads {reworded!r}"
    ]


def test_a_missing_language_is_refused(data_dir: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match=r"translations/de\.yaml: file is missing"):
        load_translation(KB, "de", data_dir)


def test_a_translated_knowledge_base_shows_russian_and_keeps_everything_else() -> None:
    kb = KB
    texts = shipped_translation("ru")
    russian = translated(kb, texts)
    acne = kb.procedures[0]
    assert russian.procedure(acne.id).name == texts[f"procedures.{acne.id}.name"] != acne.name
    concern = kb.codes("concerns")[0]
    assert russian.label(concern) == texts[f"labels.concerns.{concern}"] != kb.label(concern)
    first_aftercare = russian.procedure(acne.id).aftercare[0]
    assert first_aftercare.text == texts[f"procedures.{acne.id}.aftercare.0"]
    assert first_aftercare.source == acne.aftercare[0].source
    assert (russian.sha256, russian.version, russian.rules) == (kb.sha256, kb.version, kb.rules)
    assert (russian.rule_index, russian.sources) == (kb.rule_index, kb.sources)
    assert kb.procedure(acne.id).name == acne.name  # the English base is left as it was


def test_a_translated_knowledge_base_shows_reasons_stages_and_scales_in_russian() -> None:
    texts = shipped_translation("ru")
    russian = translated(KB, texts)
    psoriasis = "s1_deep_cleansing.psoriasis"
    assert rule_reasons(russian)[psoriasis] == texts[f"reasons.{psoriasis}"]
    combined = russian.rules["combined_back_cleansing"]
    applied = next(rule for rule in combined if rule.id == psoriasis)
    assert applied.reason == rule_reasons(KB)[psoriasis]  # the engine's rules keep the English
    peel, english_peel = russian.procedure("chemical_peel"), KB.procedure("chemical_peel")
    first = peel.contraindications[0]
    assert first.reason == texts[f"reasons.chemical_peel.{first.local_id}"]
    assert first.model_dump(exclude={"reason"}) == english_peel.contraindications[0].model_dump(
        exclude={"reason"}
    )
    timed = peel.stages[1]
    assert (timed.name, timed.purpose) == (
        texts["stages.chemical_peel.1.name"],
        texts["stages.chemical_peel.1.purpose"],
    )
    assert (timed.duration_minutes, timed.timer) == (
        english_peel.stages[1].duration_minutes,
        english_peel.stages[1].timer,
    )
    cass = russian.scales["cass"]
    assert (cass.name, cass.abbreviation) == (texts["scales.cass.name"], "CASS")
    assert [(grade.value, grade.label) for grade in cass.grades] == [
        (grade.value, texts[f"scales.cass.grades.{grade.value}.label"])
        for grade in KB.scales["cass"].grades
    ]
    assert [(lesion.code, lesion.label) for lesion in russian.lesions] == [
        (lesion.code, texts[f"lesions.{lesion.code}.label"]) for lesion in KB.lesions
    ]
    assert russian.vocabulary.phototypes[0].label == texts["phototypes.1.label"]
    assert russian.codes("phototypes") == KB.codes("phototypes")


def test_a_translated_knowledge_base_shows_course_and_season_notes_and_devices_in_russian() -> None:
    texts = shipped_translation("ru")
    russian = translated(KB, texts)
    laser = russian.procedure("laser_back_resurfacing")
    english_laser = KB.procedure(laser.id)
    (note,), (english_note,) = laser.season_notes, english_laser.season_notes
    assert note.text == texts["season_notes.laser_back_resurfacing.0"] != english_note.text
    assert (note.avoid_months, note.source) == (english_note.avoid_months, english_note.source)
    assert laser.course is not None
    assert english_laser.course is not None
    assert laser.course.note == texts["courses.laser_back_resurfacing.note"]
    assert laser.course.model_dump(exclude={"note"}) == english_laser.course.model_dump(
        exclude={"note"}
    )
    assert russian.procedure("mechanical_cleansing").course is None  # none to translate
    assert russian.label("laser") == texts["labels.equipment.laser"] != KB.label("laser")
    assert russian.vocabulary.equipment == KB.vocabulary.equipment  # codes and flags as they were
