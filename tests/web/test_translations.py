"""The Russian catalogue: complete, compiled from its .po, and covering every text the
templates and the web app's Python mark for translation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po
from babel.support import Translations

from corneum.web.i18n import DOMAIN, LOCALE_DIR

WEB_DIR = LOCALE_DIR.parent
PO = LOCALE_DIR / "ru" / "LC_MESSAGES" / f"{DOMAIN}.po"


def russian() -> dict[str, str]:
    with PO.open("rb") as file:
        catalog = read_po(file, locale="ru")
    return {str(message.id): str(message.string) for message in catalog if message.id}


def marked_texts(directory: Path) -> set[str]:
    """What ``pybabel extract -F babel.cfg -k N_`` would find (see src/corneum/web/babel.cfg)."""
    found = extract_from_dir(
        str(directory),
        method_map=[("**.py", "python"), ("templates/**.html", "jinja2")],
        options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n"}},
        keywords={**DEFAULT_KEYWORDS, "N_": None},
    )
    return {message for _, _, message, _, _ in found if isinstance(message, str)}


def test_every_marked_text_is_in_the_russian_catalogue() -> None:
    marked = marked_texts(WEB_DIR)
    assert {"Log in", "Skin type", "Suitable"} <= marked  # the extraction itself works
    assert sorted(marked - set(russian())) == []


def test_every_russian_message_is_translated() -> None:
    assert [source for source, text in russian().items() if not text] == []


def test_the_compiled_catalogue_matches_its_source() -> None:
    compiled = Translations.load(str(LOCALE_DIR), ["ru"], domain=DOMAIN)
    stale = [source for source, text in russian().items() if compiled.gettext(source) != text]
    assert stale == [], "run: pybabel compile -d src/corneum/web/locale"
