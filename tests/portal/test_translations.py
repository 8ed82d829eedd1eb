"""The portal's own Russian catalogue: every text its templates and Python mark is translated,
with the same placeholders, and the compiled catalogue is the source's."""

from __future__ import annotations

import re

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from corneum.portal.templating import LOCALE_DIR

PORTAL_DIR = LOCALE_DIR.parent
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def marked() -> set[str]:
    with (PORTAL_DIR / "babel.cfg").open() as file:
        method_map, options_map = parse_mapping_cfg(file)  # type: ignore[no-untyped-call]
    found = extract_from_dir(
        str(PORTAL_DIR.parent),
        method_map=method_map,
        options_map=options_map,
        keywords={**DEFAULT_KEYWORDS, "N_": None},
    )
    return {message for _, _, message, _, _ in found if isinstance(message, str)}


def russian() -> dict[str, str]:
    with (LOCALE_DIR / "ru" / "LC_MESSAGES" / "messages.po").open("rb") as file:
        return {str(m.id): str(m.string) for m in read_po(file, locale="ru") if m.id}


def test_every_portal_text_has_its_russian_with_the_same_placeholders() -> None:
    texts, ru = marked(), russian()
    assert {"Sign in", "My appointments", "We have sent a code to %(contact)s."} <= texts
    assert sorted(texts - set(ru)) == []
    for text in texts:
        assert ru[text].strip(), text
        assert set(PLACEHOLDER.findall(ru[text])) == set(PLACEHOLDER.findall(text)), text


def test_the_compiled_catalogue_matches_its_source() -> None:
    with (LOCALE_DIR / "ru" / "LC_MESSAGES" / "messages.mo").open("rb") as file:
        compiled = {str(m.id): str(m.string) for m in read_mo(file) if m.id}
    assert compiled == russian()
