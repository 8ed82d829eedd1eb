"""The consent text: composed from the wording and the procedure's own data, in every language
the wording is written in, with a version that fits where a signed consent keeps it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from corneum.knowledge import default_knowledge_base
from corneum.knowledge.consent import consent_text, default_consent_template, load_consent_template
from corneum.knowledge.load import default_data_dir
from corneum.knowledge.model import Procedure
from corneum.knowledge.translations import shipped_translation

KB = default_knowledge_base()
TEMPLATE = default_consent_template()
VERSION_COLUMN = 64
"""``consents.text_version`` holds at most this many characters."""
PROCEDURE_IDS = [procedure.id for procedure in KB.procedures]


def translation(language: str) -> dict[str, str]:
    return {} if language == "en" else dict(shipped_translation(language))


@pytest.mark.parametrize("language", TEMPLATE.languages)
@pytest.mark.parametrize("procedure", KB.procedures, ids=PROCEDURE_IDS)
def test_every_procedure_has_a_consent_whose_version_fits(
    procedure: Procedure, language: str
) -> None:
    text = consent_text(
        TEMPLATE, procedure, KB.version, language=language, translation=translation(language)
    )
    assert len(text.version) <= VERSION_COLUMN
    assert procedure.id in text.version
    assert language in text.version


@pytest.mark.parametrize("procedure", KB.procedures, ids=PROCEDURE_IDS)
def test_a_russian_consent_leaves_nothing_in_english(procedure: Procedure) -> None:
    english = consent_text(TEMPLATE, procedure, KB.version)
    russian = consent_text(
        TEMPLATE, procedure, KB.version, language="ru", translation=translation("ru")
    )
    lines = {line for line in english.text.splitlines() if line}
    assert lines.isdisjoint(russian.text.splitlines())
    assert english.sha256 != russian.sha256


def test_the_wording_needs_english(tmp_path: Path) -> None:
    data = yaml.safe_load((default_data_dir() / "consent.yaml").read_text(encoding="utf-8"))
    del data["consent"]["texts"]["en"]
    (tmp_path / "consent.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(ValueError, match="English"):
        load_consent_template(tmp_path)
