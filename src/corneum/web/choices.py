"""The knowledge base's vocabulary as form choices: a value and its plain-language label."""

from __future__ import annotations

from dataclasses import dataclass

from corneum.knowledge import KnowledgeBase


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    label: str
    hint: str = ""


def vocabulary_choices(kb: KnowledgeBase, kind: str) -> list[Choice]:
    """``skin_types``, ``areas``, ``concerns`` or ``conditions``, labelled."""
    return [Choice(code, kb.label(code)) for code in kb.codes(kind)]


def phototype_choices(kb: KnowledgeBase) -> list[Choice]:
    """Fitzpatrick phototypes with how the skin reacts to sun, as the client would say it."""
    return [
        Choice(str(term.value), term.label, term.description) for term in kb.vocabulary.phototypes
    ]


def phototype_label(kb: KnowledgeBase, value: int | None) -> str:
    for choice in phototype_choices(kb):
        if value is not None and choice.value == str(value):
            return f"{choice.label} ({choice.hint})"
    return ""
