"""Texts the core and the services word (a reason, a conflict, a refusal) as a template and its
values, so that what is stored and what the API answers stays English while a page shows the
same text in its user's language.

A template is a message id of the web app's catalogue, marked with :func:`N_` where it is
defined so that ``pybabel extract`` finds it (see ``src/corneum/web/babel.cfg``). A template of
placeholders and punctuation only (:meth:`Phrase.verbatim`, :func:`joined`) needs no
translation and is left unmarked. This module imports nothing but the standard library: the
core may use it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field


def N_(text: str) -> str:  # noqa: N802 -- the conventional name of a no-op gettext marker
    """Mark ``text`` for translation without translating it here."""
    return text


@dataclass(frozen=True, slots=True)
class Code:
    """A knowledge-base code among a phrase's values (a procedure id, a device kind): the
    English text keeps the code itself, a page shows its label in the user's language."""

    code: str


@dataclass(frozen=True, slots=True)
class Phrase:
    """A template and its values. Numbers, dates, times and source ids are values as they
    are; a value may itself be a phrase (what is in the way of a time, say)."""

    template: str
    values: Mapping[str, Value] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The English text, codes as they are: what is stored and what the API answers."""
        return self.said(_same, _same)

    def said(self, translate: Callable[[str], str], label: Callable[[str], str]) -> str:
        """The text in a language: ``translate`` gives a template's translation, ``label`` a
        code's name; phrases among the values are said alike."""
        values = {name: _said(value, translate, label) for name, value in self.values.items()}
        return translate(self.template) % values

    @classmethod
    def verbatim(cls, text: str) -> Phrase:
        """A text worded in English only, shown as it is in every language."""
        return cls(VERBATIM, {"text": text})


Value = str | int | Code | Phrase
VERBATIM = "%(text)s"
JOINED = "%(first)s; %(then)s"


def joined(phrases: Sequence[Phrase]) -> Phrase:
    """Several phrases as one, separated by semicolons (a refusal naming every conflict)."""
    first, *rest = phrases
    return Phrase(JOINED, {"first": first, "then": joined(rest)}) if rest else first


def _said(value: Value, translate: Callable[[str], str], label: Callable[[str], str]) -> str | int:
    if isinstance(value, Phrase):
        return value.said(translate, label)
    if isinstance(value, Code):
        return label(value.code)
    return value


def _same(text: str) -> str:
    return text
