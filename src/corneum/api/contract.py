"""The API's contract as its OpenAPI schema states it, drawn from the routes in one place:
operation ids from the route functions' names, tags with descriptions, and on every operation
the errors it can answer, each a problem-details body (:class:`corneum.http.problems.Problem`).

Which errors a route can answer follows from what it depends on, not from a list kept by hand:
401 when it signs the user in, 403 when it checks her role, 404 when its path (or its body, by
an ``_id``) names a record, 409 when it writes to the database, 422 when it takes input, 400 and
413 when it takes a body (one it cannot parse, one too large). The few a route raises for
reasons of its own (a full photo disk) are named in :data:`OWN_ERRORS`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute

from corneum.http.deps import ROLE_CHECKS, current_user, get_session, get_write_session
from corneum.http.paging import HEADERS
from corneum.http.problems import MEDIA_TYPE, Problem

TAGS: list[dict[str, Any]] = [
    {
        "name": "auth",
        "description": "Signing in and out (a bearer token for the API, a cookie "
        "for the web app) and your own account: language, password, second factor",
    },
    {
        "name": "knowledge",
        "description": "The knowledge base, read-only: procedures with their "
        "stages, rules, care and sources; the vocabulary of codes; the consent texts",
    },
    {
        "name": "clients",
        "description": "The clinic's clients: contact details for reception, "
        "and for practitioners the clinical record (history, medications, allergies)",
    },
    {
        "name": "consultations",
        "description": "Assessments of a skin profile against every "
        "procedure, with the reasons and sources behind each verdict, and the consultations "
        "that keep them",
    },
    {
        "name": "plans",
        "description": "A client's course of a procedure, as the consultation allows it",
    },
    {
        "name": "sessions",
        "description": "Treatment sessions, stage by stage: cautions "
        "acknowledged, products, observations, adverse events",
    },
    {
        "name": "outcomes",
        "description": "Graded outcomes of sessions and their before and after photos",
    },
    {
        "name": "consents",
        "description": "Consents a client signed, to the version of the text she read",
    },
    {
        "name": "patch tests",
        "description": "Patch tests of an agent before a course's first session, and their reading",
    },
    {"name": "privacy", "description": "A client's data, exported whole or erased (admins)"},
    {"name": "users", "description": "Staff accounts of the clinic (admins)"},
    {"name": "audit", "description": "Who did what to which record, when (admins)"},
    {
        "name": "calendar",
        "description": "Slot search, bookings, courses, iCalendar feeds, and "
        "the rooms, devices and working hours behind them",
    },
    {
        "name": "portal",
        "description": "The client's portal: personal links sent to a client, and the "
        "clinic's portal settings",
    },
    {"name": "service", "description": "The service itself: liveness"},
]
"""Every operation's tag, in the order the documentation shows them."""

ERRORS: dict[int, str] = {
    400: "The body cannot be read as its content type says (text that is not UTF-8, a broken "
    "multipart form)",
    401: "Not signed in: no bearer token, or one that has expired or been revoked",
    403: "Signed in without the role this needs",
    404: "No such record in your clinic (another clinic's record is not found either)",
    409: "The request conflicts with what is stored; `field` names what, and `reasons` the "
    "screening's reasons when a clinical rule refuses it",
    413: "The request body is larger than the limit",
    422: "A value is refused: `errors` (and `detail`) give each one's field path and why, "
    "with the allowed values where there is a list of them",
    503: "A file could not be written; try again later",
    507: "The disk is full; tell the clinic's administrator",
}
OWN_ERRORS: dict[str, tuple[int, ...]] = {"add_photo": (503, 507)}
"""Errors a route answers for reasons its dependencies do not show, by operation id."""
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
DATABASE = frozenset({get_session, get_write_session})


def operation_id(route: APIRoute) -> str:
    """``list_clients``, not ``list_clients_api_clients_get``: the route function's name."""
    return route.name


def install_contract(app: FastAPI) -> None:
    """Make the app's schema declare every operation's errors and list headers, with the
    problem model in its components. Call once every route is in place."""
    routes = {
        (method.lower(), route.path_format): route
        for route in api_routes(app.routes)
        if route.include_in_schema
        for method in route.methods or ()
    }
    refuse_repeated_ids(list(routes.values()))
    build = app.openapi
    done: list[int] = []

    def openapi() -> dict[str, Any]:
        schema = build()  # FastAPI's, made once (again if routes are added)
        if done != [id(schema)]:
            declare(schema, routes)
            done[:] = [id(schema)]
        return schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's way to extend the schema


def api_routes(routes: Sequence[BaseRoute]) -> Iterator[APIRoute]:
    """The API routes among ``routes``, those of included routers too (which recent FastAPI
    keeps as one entry for the router, older versions as copies of its routes)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from api_routes(included.routes)


def refuse_repeated_ids(routes: list[APIRoute]) -> None:
    named = Counter(operation_id(route) for route in routes)
    repeated = sorted(name for name, count in named.items() if count > 1)
    if repeated:
        raise ValueError(f"operations named alike: {', '.join(repeated)}; rename the routes")


def declare(schema: dict[str, Any], routes: dict[tuple[str, str], APIRoute]) -> None:
    """Every operation's responses as :func:`declared_responses` has them, and the problem
    model in place of FastAPI's validation-error model."""
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            route = routes[(method, path)]
            operation["responses"] = declared_responses(route, operation["responses"])
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
    components.update(problem_schemas())


def declared_responses(route: APIRoute, responses: dict[str, Any]) -> dict[str, Any]:
    """The operation's responses, with every error the route can answer as a problem
    (keeping a description the route gave) and, for a list, the paging headers."""
    declared = dict(responses)
    for code in sorted(error_codes(route)):
        own = route.responses.get(code, {})
        declared[str(code)] = {
            "description": own.get("description", ERRORS.get(code, "")),
            "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
    if {"offset", "limit"} <= {param.name for param in params(route.dependant, "query_params")}:
        success = str(route.status_code or 200)
        declared[success] = {**declared[success], "headers": HEADERS}
    return declared


def error_codes(route: APIRoute) -> set[int]:
    """The errors ``route`` can answer, from what it depends on (see the module's docstring)."""
    calls = {dependant.call for dependant in dependants(route.dependant)}
    checks_role = bool(calls & ROLE_CHECKS)
    writes = bool(WRITES.intersection(route.methods or ())) and bool(calls & DATABASE)
    rules = {
        401: checks_role or current_user in calls,
        403: checks_role,
        404: bool(params(route.dependant, "path_params")) or names_a_record(route),
        409: writes,
        400: route.body_field is not None,
        413: route.body_field is not None,
        422: route.body_field is not None or any(params(route.dependant, kind) for kind in INPUT),
    }
    own = {int(code) for code in route.responses if str(code).isdigit() and int(code) >= 400}
    extra = set(OWN_ERRORS.get(operation_id(route), ()))
    return {code for code, applies in rules.items() if applies} | extra | own


def names_a_record(route: APIRoute) -> bool:
    """Whether the route's body names a stored record by its id (``client_id``, ``plan_id``...),
    one that may not exist in the caller's clinic."""
    if route.body_field is None:
        return False
    model = getattr(route.body_field.field_info, "annotation", None)
    fields = getattr(model, "model_fields", {})
    return any(name.endswith("_id") for name in fields)


INPUT = ("path_params", "query_params", "header_params", "cookie_params", "body_params")


def dependants(dependant: Dependant) -> Iterator[Dependant]:
    yield dependant
    for sub in dependant.dependencies:
        yield from dependants(sub)


def params(dependant: Dependant, kind: str) -> list[Any]:
    """Every parameter of one kind (``"query_params"``...) the route or its dependencies take."""
    return [param for each in dependants(dependant) for param in getattr(each, kind)]


def problem_schemas() -> dict[str, Any]:
    """``Problem`` and the models it refers to, as the schema's components."""
    schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    nested: dict[str, Any] = schema.pop("$defs", {})
    return {**nested, "Problem": schema}
