"""The Russian catalogue: complete, compiled from its .po, and covering every text the
templates, the web app's Python and the phrases of the core and the services mark for
translation."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from babel.support import Translations

from corneum.web.i18n import DOMAIN, LOCALE_DIR, load_translations

WEB_DIR = LOCALE_DIR.parent
PACKAGE_DIR = WEB_DIR.parent
PO = LOCALE_DIR / "ru" / "LC_MESSAGES" / f"{DOMAIN}.po"
CORE = ("assessment", "planning", "records")
"""The packages outside the web app whose phrases pages show (see ``corneum.phrase``)."""
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def russian_catalog() -> Catalog:
    with PO.open("rb") as file:
        return read_po(file, locale="ru")


def russian() -> dict[str, str]:
    return {str(message.id): str(message.string) for message in russian_catalog() if message.id}


def marked_texts() -> dict[str, set[str]]:
    """What ``pybabel extract -F web/babel.cfg -k N_`` run in src/corneum finds (see the
    README), with the top-level package (``web``, ``planning``, ...) each text is marked in."""
    with (WEB_DIR / "babel.cfg").open() as file:
        method_map, options_map = parse_mapping_cfg(file)  # type: ignore[no-untyped-call]
    found = extract_from_dir(
        str(PACKAGE_DIR),
        method_map=method_map,
        options_map=options_map,
        keywords={**DEFAULT_KEYWORDS, "N_": None},
    )
    texts: dict[str, set[str]] = {}
    for filename, _, message, _, _ in found:
        if isinstance(message, str):
            texts.setdefault(message, set()).add(Path(filename).parts[0])
    return texts


def test_every_marked_text_is_in_the_russian_catalogue() -> None:
    marked = marked_texts()
    assert {"Log in", "Skin type", "Suitable"} <= set(marked)  # the extraction itself works
    assert sorted(set(marked) - set(russian())) == []


def test_every_phrase_of_the_core_and_the_services_is_translated_with_its_values() -> None:
    """Every template the assessment engine, the planning core and the services mark is in
    Russian, and its translation has room for exactly the same values."""
    ru = load_translations("ru")
    core = sorted(text for text, packages in marked_texts().items() if packages & set(CORE))
    assert {
        "Treats %(concern)s (weight %(weight)s of %(most)s).",  # the assessment engine's
        "the new time is not free: %(what)s",  # the planning core's
        "booking %(booking)s is done",  # the calendar service's
    } <= set(core)
    for template in core:
        translation = ru.gettext(template)
        assert translation != template, template
        assert set(PLACEHOLDER.findall(translation)) == set(PLACEHOLDER.findall(template))


def test_every_russian_message_is_translated() -> None:
    assert [source for source, text in russian().items() if not text] == []
    assert [m.id for m in russian_catalog() if m.fuzzy and m.id] == []  # pybabel's guesses


def test_the_compiled_catalogue_matches_its_source() -> None:
    compiled = Translations.load(str(LOCALE_DIR), ["ru"], domain=DOMAIN)
    stale = [source for source, text in russian().items() if compiled.gettext(source) != text]
    assert stale == [], "run: pybabel compile -d src/corneum/web/locale"
