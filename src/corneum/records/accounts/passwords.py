"""What a password must be: long enough (the schema), not only spaces, not one of the 20,000
most common passwords, not the account's own e-mail address or its name part, and not one
character or two repeated.

The list of common passwords ships with Corneum (``common-passwords.txt.gz``; where it comes
from: ``common-passwords.NOTICE`` beside it) and is read once per process. A password is
compared lower-cased, and with its spaces taken out too: ``Password 1234`` is ``password1234``.
"""

from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path

from corneum.phrase import N_
from corneum.records.errors import InvalidInputError, Problem

COMMON_PASSWORDS = Path(__file__).with_name("common-passwords.txt.gz")
MIN_DIFFERENT_CHARACTERS = 4
MIN_NAME_PART = 4
"""An e-mail's name part shorter than this may be in a password by chance (``ann``)."""
# Worded once, marked for the web app's catalogue: a page shows them in the user's language.
ONLY_SPACES = N_("the password is only spaces")
COMMON = N_("the password is one of the most common passwords; choose another")
OWN_EMAIL = N_("the password contains the account's e-mail address; choose another")
TOO_FEW_CHARACTERS = N_("the password needs at least 4 different characters")


@cache
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def password_problem(password: str, *, email: str) -> str | None:
    """Why ``password`` may not be used by the account with ``email``, or None."""
    if not password.strip():
        return ONLY_SPACES
    folded = password.casefold()
    squeezed = "".join(folded.split())
    if folded in common_passwords() or squeezed in common_passwords():
        return COMMON
    address = email.strip().casefold()
    name = address.split("@", 1)[0]
    if squeezed in {address, name} or (len(name) >= MIN_NAME_PART and name in squeezed):
        return OWN_EMAIL
    if len(set(squeezed)) < MIN_DIFFERENT_CHARACTERS:
        return TOO_FEW_CHARACTERS
    return None


def check_password(password: str, *, email: str, field: str = "password") -> None:
    """Refuse (422 naming ``field``) a password :func:`password_problem` finds fault with."""
    problem = password_problem(password, email=email)
    if problem is not None:
        raise InvalidInputError([Problem(loc=("body", field), msg=problem, type="weak_password")])
