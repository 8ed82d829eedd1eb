"""Languages of the web app: English (the templates' own text) and Russian (Babel catalogues in
``locale/``). Staff choose theirs; the choice is kept in a cookie, as accounts have no column
for it yet."""

from __future__ import annotations

from pathlib import Path

from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
LANGUAGE_COOKIE = "corneum_language"
LANGUAGES = {"en": "English", "ru": "Русский"}
"""Each language's code and its name in itself, as the language switch shows it."""
DEFAULT_LANGUAGE = "en"


def load_translations(language: str) -> NullTranslations:
    """The compiled catalogue of ``language``; English needs none."""
    if language == DEFAULT_LANGUAGE:
        return NullTranslations()
    return Translations.load(str(LOCALE_DIR), [language], domain=DOMAIN)


def chosen_language(cookie: str | None) -> str:
    """The language a cookie names, if it is one we have; English otherwise."""
    return cookie if cookie in LANGUAGES else DEFAULT_LANGUAGE
