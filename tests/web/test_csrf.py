"""The CSRF token: bound to the browser's cookie and to the session."""

from __future__ import annotations

import pytest

from corneum.http.csrf import new_browser_secret, token_for, token_is_valid
from corneum.web.forms import local_path

KEY = b"k" * 32


def test_a_token_is_valid_for_its_browser_and_session() -> None:
    browser = new_browser_secret()
    assert token_is_valid(KEY, browser, "session", token_for(KEY, browser, "session"))


@pytest.mark.parametrize(
    ("browser", "session", "token_browser", "token_session", "key"),
    [
        ("a", "s", "b", "s", KEY),  # another browser's token
        ("a", "s", "a", "t", KEY),  # another session's token
        ("a", "s", "a", None, KEY),  # the token from before signing in
        ("a", None, "a", "s", KEY),  # signed out since
        ("a", "s", "a", "s", b"x" * 32),  # made with another key
    ],
)
def test_a_token_made_for_anything_else_is_refused(
    browser: str, session: str | None, token_browser: str, token_session: str | None, key: bytes
) -> None:
    token = token_for(key, token_browser, token_session)
    assert not token_is_valid(KEY, browser, session, token)


@pytest.mark.parametrize(("secret", "token"), [(None, "x"), ("a", None), ("", ""), ("a", "")])
def test_a_missing_cookie_or_token_is_refused(secret: str | None, token: str | None) -> None:
    assert not token_is_valid(KEY, secret, None, token)


@pytest.mark.parametrize(
    ("candidate", "expected"),
    [
        ("/clients/3", "/clients/3"),
        ("//evil.example/", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("", "/"),
    ],
)
def test_next_is_a_path_on_this_site(candidate: str, expected: str) -> None:
    assert local_path(candidate) == expected
