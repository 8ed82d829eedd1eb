"""The password rules, as a table: what is refused and why, and what is let through."""

from __future__ import annotations

import pytest

from corneum.records.accounts import passwords
from corneum.records.accounts.passwords import password_problem
from corneum.records.errors import InvalidInputError

EMAIL = "dr.vega@clear-skin.example"


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        (" " * 12, passwords.ONLY_SPACES),
        ("\t \n" * 5, passwords.ONLY_SPACES),
        ("password1234", passwords.COMMON),
        ("PASSWORD1234", passwords.COMMON),
        ("password 1234", passwords.COMMON),
        ("qwerty123456", passwords.COMMON),
        ("1q2w3e4r5t6y", passwords.COMMON),
        (EMAIL, passwords.OWN_EMAIL),
        ("DR.VEGA@clear-skin.example", passwords.OWN_EMAIL),
        ("dr.vega-summer-2026", passwords.OWN_EMAIL),
        ("aaaaaaaaaaaa", passwords.TOO_FEW_CHARACTERS),
        ("abababababab", passwords.TOO_FEW_CHARACTERS),
        ("abc abc abc abc", passwords.TOO_FEW_CHARACTERS),
    ],
)
def test_a_weak_password_is_refused_with_its_reason(password: str, problem: str) -> None:
    assert password_problem(password, email=EMAIL) == problem


@pytest.mark.parametrize(
    "password",
    ["correct horse battery staple", "  spaces around it  ", "Пароль для клиники 7", "vega's"],
)
def test_a_good_password_passes(password: str) -> None:
    assert password_problem(password, email=EMAIL) is None


def test_a_short_name_part_of_the_email_may_be_in_a_password_by_chance() -> None:
    assert password_problem("ann's clinic passphrase", email="ann@example.org") is None


def test_the_shipped_list_is_the_full_one() -> None:
    common = passwords.common_passwords()
    assert len(common) > 19_000
    assert {"123456", "password", "qwerty"} <= common
    assert (passwords.COMMON_PASSWORDS.with_name("common-passwords.NOTICE")).is_file()


def test_a_refusal_names_the_field_it_is_about() -> None:
    with pytest.raises(InvalidInputError) as caught:
        passwords.check_password("password1234", email=EMAIL, field="new_password")
    [problem] = caught.value.problems
    assert problem["loc"] == ("body", "new_password")
