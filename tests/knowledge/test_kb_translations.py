"""The knowledge base's Russian texts: every client-facing text translated, nothing left over,
and a translation whose English has since changed reported as outdated."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from corneum.knowledge import KnowledgeBase, default_knowledge_base
from corneum.knowledge.load import KnowledgeBaseError, default_data_dir
from corneum.knowledge.translations import (
    TRANSLATIONS_DIR,
    load_translation,
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
    ],
)
def test_a_bad_translation_is_refused_naming_the_text(
    data_dir: Path, change: str, expected: str
) -> None:
    problems = edit(data_dir, change)
    assert len(problems) == 1
    assert problems[0].startswith(f"translations/ru.yaml: {expected}")


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
    assert kb.procedure(acne.id).name == acne.name  # the English base is left as it was
