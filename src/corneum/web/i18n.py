"""Languages of the web app: English (the templates' own text) and Russian (Babel catalogues in
``locale/``). Each account keeps its language (``users.language``), so it follows the user to
every device; before sign-in the language switch's cookie, else the browser's own preference,
decides."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import get_args

from babel.support import NullTranslations, Translations

from corneum.knowledge import KnowledgeBase
from corneum.knowledge.translations import in_language
from corneum.records.accounts.tables import Language

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
LANGUAGE_COOKIE = "corneum_language"
LANGUAGES: Mapping[Language, str] = {"en": "English", "ru": "Русский"}
"""Each language's code and its name in itself, as the language switch shows it."""
DEFAULT_LANGUAGE: Language = "en"


def load_translations(language: str) -> NullTranslations:
    """The compiled catalogue of ``language``; English needs none."""
    if language == DEFAULT_LANGUAGE:
        return NullTranslations()
    return Translations.load(str(LOCALE_DIR), [language], domain=DOMAIN)


def knowledge_in(kb: KnowledgeBase, language: str) -> KnowledgeBase:
    """The knowledge base as a page in ``language`` shows it (relabelled only: pages that
    store anything keep using ``kb`` itself)."""
    return in_language(kb, language)


def known_language(candidate: str | None) -> Language | None:
    """``candidate`` if it is one of our languages."""
    for language in get_args(Language):
        if candidate == language:
            known: Language = language
            return known
    return None


def chosen_language(cookie: str | None, accept_language: str | None = None) -> Language:
    """The language of a browser nobody has signed in on: the one its cookie names, else the
    first of its ``Accept-Language`` preferences we have, else English."""
    return known_language(cookie) or preferred_language(accept_language) or DEFAULT_LANGUAGE


def preferred_language(header: str | None) -> Language | None:
    """The most preferred of our languages in an ``Accept-Language`` header (``ru-RU,ru;q=0.9,
    en;q=0.8``); region subtags count as their language."""
    ranked: list[tuple[float, int, Language]] = []
    for position, item in enumerate((header or "").split(",")):
        tag, _, params = item.strip().partition(";")
        language = known_language(tag.strip().split("-")[0].lower())
        quality = _quality(params)
        if language is not None and quality > 0:  # q=0: "not this one"
            ranked.append((-quality, position, language))
    return min(ranked)[2] if ranked else None


def _quality(params: str) -> float:
    name, _, value = params.strip().partition("=")
    if name.strip() != "q":
        return 1.0
    try:
        return float(value)
    except ValueError:
        return 0.0
