"""Schemathesis over the whole OpenAPI schema of the live app, signed in as a practitioner: no
request, valid or not, gets a server error, every answer's status is one its operation declares,
every documented answer matches its schema, and every error is a problem-details body.

One test per operation and backend, with inputs that fit the schema and inputs that do not,
a few examples each and no deadline so the suite stays fast; it talks only to the live server on
loopback. ``POST /api/auth/logout`` is left out: it would revoke the practitioner's token that the
other API tests share; so are ``POST /api/auth/password`` (its wrong current passwords would make
the shared practitioner's sign-ins wait) and ``POST /api/auth/second-factor/confirm`` (a lucky
code would give her a second factor). tests/api/test_account_security.py covers those three.

Hypothesis drives Schemathesis's strategies directly: its pytest plug-in (``from_fixture``) does
not run under the pytest this project uses.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from corneum.app import create_app
from corneum.config import Settings
from corneum.http.problems import MEDIA_TYPE, Problem
from tests.api.conftest import LiveApi

MAX_EXAMPLES = 20
SPARED = {
    ("POST", "/api/auth/logout"),
    ("POST", "/api/auth/password"),
    ("POST", "/api/auth/second-factor/confirm"),
}
CHECKS = [not_a_server_error, response_schema_conformance]
SIGNED_OUT_EXAMPLES = 3
SIGN_IN = {"/api/auth/token", "/api/auth/session"}
"""Where a 401 is a refused sign-in, not a missing token."""


def documented() -> dict[tuple[str, str], set[int]]:
    """Every operation the app documents (read from an app that never serves), with the
    statuses it declares."""
    app = create_app(Settings(database_url="sqlite://", mode="development"))
    paths: dict[str, dict[str, Any]] = app.openapi()["paths"]
    return {
        (method.upper(), path): {int(code) for code in operation["responses"]}
        for path, item in paths.items()
        for method, operation in item.items()
    }


DECLARED = documented()


def operations() -> list[tuple[str, str]]:
    """Every documented operation but the spared."""
    return [operation for operation in DECLARED if operation not in SPARED]


def nul(content: bytes) -> bool:
    """The NUL guard's 422, which refuses a NUL character in the URL before any route runs
    (valid for the schema, which cannot exclude the character)."""
    return b'"nul_character"' in content


def check_declared(method: str, path: str, status: int, headers: Any, content: bytes) -> None:
    """The answer's status is one the operation declares; an error is a problem (RFC 9457)."""
    assert status in DECLARED[(method, path)], f"{method} {path}: undeclared {status} {content!r}"
    if status >= 400:
        assert headers["content-type"] == [MEDIA_TYPE]
        assert Problem.model_validate_json(content).status == status


@pytest.fixture
def live_schema(api: LiveApi) -> Any:
    return schemathesis.openapi.from_url(f"{api.base_url}/openapi.json", timeout=30)


@pytest.mark.parametrize(("method", "path"), operations())
def test_no_server_error_and_answers_match_the_schema(
    method: str, path: str, api: LiveApi, live_schema: Any
) -> None:
    operation = live_schema[path][method]
    cases = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )
    headers = api.headers("practitioner")

    @given(case=cases)
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def call(case: Any) -> None:
        answer = case.call_and_validate(
            base_url=api.base_url, headers=headers, timeout=30, checks=CHECKS
        )
        check_declared(method, path, answer.status_code, answer.headers, answer.content)

    call()
    if (method, path) == ("PATCH", "/api/auth/me"):
        # The practitioner the other tests share may now read another language: back to English.
        with api.client() as http:
            http.patch(path, json={"language": "en"}, headers=headers).raise_for_status()


@pytest.mark.parametrize(("method", "path"), list(DECLARED))
def test_signed_out_answers_are_declared_problems(
    method: str, path: str, api: LiveApi, live_schema: Any
) -> None:
    """Without a token: 401 where the operation signs the user in, as it declares, and a
    problem; a few valid requests each, so the sign-in refusals are seen for every one."""
    operation = live_schema[path][method]

    @given(case=operation.as_strategy(GenerationMode.POSITIVE))
    @settings(
        max_examples=SIGNED_OUT_EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def call(case: Any) -> None:
        answer = case.call_and_validate(base_url=api.base_url, timeout=30, checks=CHECKS)
        check_declared(method, path, answer.status_code, answer.headers, answer.content)
        if 401 in DECLARED[(method, path)] and path not in SIGN_IN and not nul(answer.content):
            assert answer.status_code == 401

    call()
