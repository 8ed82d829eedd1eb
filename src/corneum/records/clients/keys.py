"""The folded keys a client is found by: the same on SQLite (whose ``lower()`` folds ASCII
only) and PostgreSQL, because Python computes them and the database only compares them."""

from __future__ import annotations

import re
import unicodedata

NOT_A_DIGIT = re.compile(r"\D")
NATIONAL_DIGITS = 10
"""A number typed with this many digits or more is matched by its last ten, so a trunk prefix
or a country code written another way ("8 912...", "+7 912...", "007 912...") finds it."""


def folded(text: str) -> str:
    """``text`` as search compares it: compatibility forms unified (NFKC), case folded in any
    script, Cyrillic yo read as ye (Russian writes either: Алёна, Алена), runs of spaces as one."""
    normal = unicodedata.normalize("NFKC", text).casefold().replace("\u0451", "\u0435")
    return " ".join(normal.split())


def name_key(given_name: str, family_name: str) -> str:
    """The names folded, family name first: the list's order by name, and what a search by
    any part of a name matches."""
    return folded(f"{family_name} {given_name}")


def digits(text: str) -> str:
    """Only the digits of ``text`` (a phone number in any format)."""
    return NOT_A_DIGIT.sub("", unicodedata.normalize("NFKC", text))
