"""Languages of the web app: English (the templates' own text) and Russian (Babel catalogues in
``locale/``). Each account keeps its language (``users.language``), so it follows the user to
every device; before sign-in the language switch's cookie, else the browser's own preference,
decides."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import get_args

from babel.dates import format_date, format_datetime
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
DAY_PATTERN = "d MMMM y"
"""A day as a person writes it, in either language: "7 December 2026", "7 декабря 2026"."""
MOMENT_PATTERN = f"{DAY_PATTERN}, HH:mm"
SHORT_DAY_PATTERN = "d MMM"
"""Where a narrow column has room for no more: "24 Nov", "24 нояб."."""


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


def day_in(
    language: str, value: date | datetime, zone: tzinfo = UTC, pattern: str = DAY_PATTERN
) -> str:
    """The day of ``value`` in ``language``; an aware moment's day on the clinic's clock
    (``zone``), a naive one's as it stands (it is on the clinic's clock already)."""
    if isinstance(value, datetime):
        value = wall_clock(value, zone).date()
    return format_date(value, pattern, locale=language)


def moment_in(language: str, value: datetime, zone: tzinfo = UTC) -> str:
    """The day and time of ``value`` in ``language``, an aware moment on the clinic's clock."""
    return format_datetime(wall_clock(value, zone), MOMENT_PATTERN, locale=language)


def wall_clock(value: datetime, zone: tzinfo) -> datetime:
    """An aware moment on the clinic's clock (naive); a naive one is on it already. One at the
    very edge of time that the zone's offset would push past it stays as stored."""
    if value.tzinfo is None:
        return value
    try:
        return value.astimezone(zone).replace(tzinfo=None)
    except OverflowError:
        return value.replace(tzinfo=None)
