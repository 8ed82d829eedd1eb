"""The consent text a client signs before a procedure, in the client's language.

The wording around it comes from ``data/consent.yaml``; everything clinical in it is the
procedure's own cited data (its name, summary, pre-treatment and aftercare, translated with the
rest of the knowledge base's client-facing texts), so the text shown is always the knowledge
base's. A signed consent keeps the text's version and the SHA-256 of the exact text, so what was
signed can be shown to be so even after the wording or the procedure changes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from pydantic import Field

from corneum.knowledge.load import default_data_dir
from corneum.knowledge.model import Frozen, Procedure, Text

CONSENT_FILE = "consent.yaml"


class ConsentHeadings(Frozen):
    about: Text
    before: Text
    after: Text
    declarations: Text


class ConsentWording(Frozen):
    """The consent's own words in one language."""

    title: Text
    introduction: Text
    headings: ConsentHeadings
    declarations: tuple[Text, ...] = Field(min_length=1)
    closing: Text


class ConsentTemplate(Frozen):
    version: str = Field(pattern=r"^[0-9A-Za-z.]{1,12}$")
    texts: Mapping[str, ConsentWording]
    """The wording by language code; English must be there."""

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self.texts)


@dataclass(frozen=True, slots=True)
class ConsentText:
    """One procedure's consent as shown: the exact text, its language, version and hash."""

    procedure_id: str
    language: str
    version: str
    text: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()

    @property
    def paragraphs(self) -> list[str]:
        return self.text.split("\n\n")


def load_consent_template(data_dir: Path) -> ConsentTemplate:
    """The consent wording of a knowledge-base folder, validated."""
    data = yaml.safe_load((data_dir / CONSENT_FILE).read_text(encoding="utf-8"))
    template = ConsentTemplate.model_validate(data["consent"])
    if "en" not in template.texts:
        raise ValueError(f"{CONSENT_FILE}: the English wording is missing")
    return template


@cache
def default_consent_template() -> ConsentTemplate:
    """The wording shipped with this version of Corneum, loaded once per process."""
    return load_consent_template(default_data_dir())


def consent_text(
    template: ConsentTemplate,
    procedure: Procedure,
    kb_version: str,
    *,
    language: str = "en",
    translation: Mapping[str, str] | None = None,
) -> ConsentText:
    """The consent for ``procedure`` in ``language``, its procedure texts taken from
    ``translation`` (the knowledge base's texts in that language, by key; none for English).
    The version names the procedure, the wording's version, the language and the knowledge
    base's version: a change to any of them changes what the client reads."""
    words = template.texts[language]
    heads = words.headings
    said = _in_language(procedure, translation or {})
    parts = [
        f"{words.title}: {said('name', procedure.name)}",
        words.introduction,
        f"{heads.about}\n{said('summary', procedure.summary)}",
    ]
    for heading, kind, items in (
        (heads.before, "pre_treatment", procedure.pre_treatment),
        (heads.after, "aftercare", procedure.aftercare),
    ):
        texts = [said(f"{kind}.{n}", item.text) for n, item in enumerate(items)]
        parts += _bulleted(heading, texts)
    parts += _bulleted(heads.declarations, list(words.declarations))
    parts.append(words.closing)
    version = f"{procedure.id}@{template.version}-{language}+kb{kb_version}"
    return ConsentText(procedure.id, language, version, "\n\n".join(parts))


def _in_language(procedure: Procedure, translation: Mapping[str, str]) -> Callable[[str, str], str]:
    """A lookup of the procedure's texts by key, falling back on the English."""

    def said(key: str, english: str) -> str:
        return translation.get(f"procedures.{procedure.id}.{key}", english)

    return said


def _bulleted(heading: str, items: list[str]) -> list[str]:
    """A heading and its items, or nothing when there are none."""
    return ["\n".join([heading] + [f"• {item}" for item in items])] if items else []


VERSION = re.compile(
    r"^(?P<procedure>[^@]+)@(?P<wording>[^-]+)-(?P<language>[a-z]+)\+kb(?P<kb>.+)$"
)


def version_parts(version: str) -> dict[str, str] | None:
    """A consent text's version (as :func:`consent_text` makes it) taken apart: ``procedure``,
    ``wording``, ``language`` and ``kb``; None for one made otherwise."""
    found = VERSION.match(version)
    return found.groupdict() if found else None
