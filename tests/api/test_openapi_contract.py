"""The API's OpenAPI contract: operation ids from the route names, tags with descriptions, every
operation declaring its errors as problem details, one paging style; and the live API keeping
it (problem bodies with their media type, the paging headers). tests/api/test_schema_fuzz.py
checks every status Schemathesis sees against what its operation declares."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi import FastAPI

from corneum.api.contract import api_routes
from corneum.app import create_app
from corneum.config import Settings
from corneum.http.problems import MEDIA_TYPE, Problem
from tests.api import builders
from tests.api.conftest import LiveApi

NOT_PAGED = {"search_slots"}
"""The one operation answering a list that is not paged: a search, whose ``count`` says how
many free places to find, not a page of stored records."""
PROBLEM = {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}


@pytest.fixture(scope="module")
def app() -> FastAPI:
    return create_app(Settings(database_url="sqlite://", mode="development"))


@pytest.fixture(scope="module")
def schema(app: FastAPI) -> dict[str, Any]:
    return app.openapi()


def operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    ]


def test_every_operation_id_is_its_route_functions_name_and_no_two_are_alike(
    app: FastAPI, schema: dict[str, Any]
) -> None:
    names = {
        (method, route.path_format): route.endpoint.__name__
        for route in api_routes(app.routes)
        if route.include_in_schema
        for method in route.methods or ()
    }
    ids = {(method, path): op["operationId"] for method, path, op in operations(schema)}
    assert ids == names
    assert len(set(ids.values())) == len(ids)
    assert ids[("GET", "/api/procedures")] == "list_procedures"


def test_every_operation_has_a_tag_and_every_tag_a_description(schema: dict[str, Any]) -> None:
    described = {tag["name"] for tag in schema["tags"] if tag["description"].strip()}
    used = {tag for _, _, op in operations(schema) for tag in op["tags"]}
    assert all(op["tags"] for _, _, op in operations(schema))
    assert used == described == {tag["name"] for tag in schema["tags"]}


def test_every_error_an_operation_declares_is_a_problem(schema: dict[str, Any]) -> None:
    errors = [
        (method, path, code, answer)
        for method, path, op in operations(schema)
        for code, answer in op["responses"].items()
        if int(code) >= 400
    ]
    assert len(errors) > 300
    assert [(m, p, c) for m, p, c, answer in errors if answer.get("content") != PROBLEM] == []
    assert all(answer["description"] for *_, answer in errors)
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    assert schema["components"]["schemas"]["Problem"]["required"] == ["title", "status", "detail"]


def declared(schema: dict[str, Any], method: str, path: str) -> set[int]:
    return {int(code) for code in schema["paths"][path][method.lower()]["responses"]}


@pytest.mark.parametrize(
    ("method", "path", "errors"),
    [
        ("GET", "/api/health", set()),
        ("GET", "/api/codes", set()),
        ("GET", "/api/procedures/{procedure_id}", {404, 422}),
        ("GET", "/api/auth/me", {401}),
        ("POST", "/api/auth/token", {400, 401, 413, 422, 429, 503}),
        ("GET", "/api/clients/{client_id}", {401, 403, 404, 422}),
        ("PATCH", "/api/clients/{client_id}", {400, 401, 403, 404, 409, 413, 422}),
        # its body names a plan or a client, which may not be the clinic's: 404
        ("POST", "/api/bookings", {400, 401, 403, 404, 409, 413, 422}),
        ("POST", "/api/clients", {400, 401, 403, 409, 413, 422}),
        ("GET", "/api/calendar/settings", {401, 403}),
        (
            "POST",
            "/api/sessions/{session_id}/photos",
            {400, 401, 403, 404, 409, 413, 422, 503, 507},
        ),
    ],
)
def test_an_operation_declares_the_errors_its_dependencies_can_answer(
    schema: dict[str, Any], method: str, path: str, errors: set[int]
) -> None:
    assert {code for code in declared(schema, method, path) if code >= 400} == errors


def is_list(operation: dict[str, Any]) -> bool:
    success = next(answer for code, answer in operation["responses"].items() if code < "300")
    body = success.get("content", {}).get("application/json", {}).get("schema", {})
    return body.get("type") == "array" or "PageRead" in body.get("$ref", "")


def test_every_list_pages_by_offset_and_limit_and_answers_the_paging_headers(
    schema: dict[str, Any],
) -> None:
    lists = [(op["operationId"], op) for _, _, op in operations(schema) if is_list(op)]
    paged = {
        name
        for name, op in lists
        if {"offset", "limit"} <= {param["name"] for param in op.get("parameters", [])}
        and set(op["responses"]["200"].get("headers", {})) == {"X-Total-Count", "Link"}
    }
    assert len(lists) >= 18  # the test sees the lists it is about
    assert {name for name, _ in lists} - paged == NOT_PAGED


def test_a_page_says_the_total_and_links_to_the_next_and_last_pages(api: LiveApi) -> None:
    for _ in range(3):
        builders.new_client(api)
    with api.as_("practitioner") as http:
        page = http.get("/api/clients", params={"offset": 1, "limit": 1})
        total = page.json()["total"]
        links = {link.rel: link.href for link in parse_links(page.headers["Link"])}
        following = http.get(links["next"])
        last = http.get(links["last"])
    assert page.headers["X-Total-Count"] == str(total)
    assert query(links["first"]) == {"offset": ["0"], "limit": ["1"]}
    assert query(links["prev"]) == {"offset": ["0"], "limit": ["1"]}
    assert query(links["next"]) == {"offset": ["2"], "limit": ["1"]}
    assert query(links["last"]) == {"offset": [str(total - 1)], "limit": ["1"]}
    assert following.json()["items"] != page.json()["items"]
    assert "next" not in {link.rel for link in parse_links(last.headers["Link"])}


def test_a_plain_list_pages_the_same_way_and_keeps_its_shape(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    for code in ("eczema", "psoriasis"):
        builders.add_history(api, client_id, code)
    with api.as_("practitioner") as http:
        page = http.get(f"/api/clients/{client_id}/history", params={"limit": 1})
    assert (page.headers["X-Total-Count"], len(page.json())) == ("2", 1)
    assert {link.rel for link in parse_links(page.headers["Link"])} == {"first", "next", "last"}


class Link:
    def __init__(self, text: str) -> None:
        href, rel = text.split(";")
        self.href = href.strip().removeprefix("<").removesuffix(">")
        self.rel = rel.strip().removeprefix('rel="').removesuffix('"')


def parse_links(header: str) -> list[Link]:
    return [Link(part) for part in header.split(", ")]


def query(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


def problem_of(response: Any) -> Problem:
    assert response.headers["content-type"] == MEDIA_TYPE
    problem = Problem.model_validate_json(response.content)
    assert problem.status == response.status_code
    return problem


def test_a_refused_value_is_a_problem_naming_the_field_and_the_allowed_values(
    api: LiveApi,
) -> None:
    with api.as_("practitioner") as http:
        refused = http.patch("/api/auth/me", json={"language": "fr"})
    problem = problem_of(refused)
    assert refused.status_code == 422
    assert (problem.title, problem.instance) == (HTTPStatus(422).phrase, "/api/auth/me")
    assert problem.errors is not None
    [error] = problem.errors
    assert (error.field, error.loc, error.allowed) == (
        "language",
        ["body", "language"],
        ["en", "ru"],
    )
    assert refused.json()["detail"] == [
        {"loc": ["body", "language"], "field": "language", "msg": error.msg, "type": error.type}
    ]


def test_an_unknown_code_names_the_codes_allowed(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    with api.as_("practitioner") as http:
        refused = http.post(
            f"/api/clients/{client_id}/history", json={"condition_code": "no_such_code"}
        )
    problem = problem_of(refused)
    assert problem.errors is not None
    assert problem.errors[0].field == "condition_code"
    assert {"eczema", "psoriasis"} <= set(problem.errors[0].allowed or [])


@pytest.mark.parametrize(
    ("who", "method", "path", "status"),
    [
        (None, "GET", "/api/clients", 401),
        (None, "POST", "/api/clients", 401),
        ("reception", "GET", "/api/users", 403),
        ("practitioner", "GET", "/api/clients/987654321", 404),
        ("practitioner", "GET", "/api/no-such-thing", 404),
        ("practitioner", "DELETE", "/api/clients", 405),
    ],
)
def test_refusals_of_every_kind_are_problems(
    api: LiveApi, who: str | None, method: str, path: str, status: int
) -> None:
    with api.as_(who) if who else api.client() as http:
        refused = http.request(method, path)
    problem = problem_of(refused)
    assert (refused.status_code, problem.type) == (status, "about:blank")
    assert isinstance(problem.detail, str)
    assert problem.detail
    if status == 401:
        assert refused.headers["www-authenticate"] == "Bearer"
