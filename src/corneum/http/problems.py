"""The one shape of every error the API answers: problem details (RFC 9457), served as
``application/problem+json``.

The standard members (``type``, ``title``, ``status``, ``detail``, ``instance``) come with the
extensions clients already read: ``field`` (the field path of a conflict), ``reasons`` (a
screening's), ``code_needed`` (a sign-in that needs its one-time code) and, for 422, ``errors``:
each refused value's location, field path, message and, where the check names them, the allowed
values. A 422's ``detail`` stays the list it always was (clients read ``detail[0].field``);
RFC 9457 asks a client to ignore a member of an unexpected type, so the list breaks no reader.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import JSONResponse

MEDIA_TYPE = "application/problem+json"
ALLOWED_LIST = re.compile(r"'([^']*)'")


class FieldError(BaseModel):
    """One refused value: where it is (``loc``, and ``field``, the same as a dotted path
    without ``body``/``query``/``path``), why (``msg``, ``type``) and, for a value out of a
    fixed list, that list (``allowed``)."""

    model_config = ConfigDict(extra="forbid")

    loc: list[str | int]
    field: str
    msg: str
    type: str
    allowed: list[str] | None = None


class Problem(BaseModel):
    """An error answer (RFC 9457 problem details, with Corneum's extensions)."""

    model_config = ConfigDict(extra="forbid")

    type: str = Field("about:blank", description="A URI naming the kind of problem")
    title: str = Field(description="The HTTP status's phrase, for a person to read")
    status: int = Field(description="The HTTP status code, as the response has it")
    detail: str | list[FieldError] = Field(
        description="What went wrong, naming fields and ids (never a person's data); for 422 "
        "the list of refused values, as in ``errors`` but without ``allowed``"
    )
    instance: str | None = Field(None, description="The path of the request that failed")
    field: str | None = Field(None, description="The field a conflict (409) is about")
    reasons: list[dict[str, Any]] | None = Field(
        None,
        description="Clinical reasons behind a refusal (a screening's): rule, code, effect, "
        "source, text, eligible_from",
    )
    errors: list[FieldError] | None = Field(None, description="For 422: every refused value")
    code_needed: bool | None = Field(
        None, description="For a refused sign-in: the account needs its one-time code too"
    )


def problem(
    status: int, detail: str | list[dict[str, Any]], instance: str | None = None, **extensions: Any
) -> dict[str, Any]:
    """The body of a problem answer: the standard members, then the extensions given (those
    given as None are left out)."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if instance is not None:
        body["instance"] = instance
    body.update({key: value for key, value in extensions.items() if value is not None})
    return body


def problem_response(
    status: int,
    detail: str | list[dict[str, Any]],
    instance: str | None = None,
    headers: Mapping[str, str] | None = None,
    **extensions: Any,
) -> JSONResponse:
    return JSONResponse(
        problem(status, detail, instance, **extensions),
        status_code=status,
        headers=headers,
        media_type=MEDIA_TYPE,
    )


def field_path(loc: tuple[Any, ...] | list[Any]) -> str:
    """``("body", "profile", "conditions", 1)`` -> ``"profile.conditions.1"``."""
    parts = [str(part) for part in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie"}:
        parts = parts[1:] or parts
    return ".".join(parts)


def field_errors(errors: list[Any]) -> list[dict[str, Any]]:
    """Pydantic's (or a service's) errors as ``detail`` has always listed them."""
    return [
        {
            "loc": list(error["loc"]),
            "field": field_path(error["loc"]),
            "msg": error["msg"],
            "type": error["type"],
        }
        for error in errors
    ]


def invalid_input(errors: list[Any], instance: str | None) -> JSONResponse:
    """422 for ``errors``: ``detail`` as it always was, ``errors`` with the allowed values."""
    listed = field_errors(errors)
    extended = [
        {**item, **({"allowed": allowed} if (allowed := allowed_values(error)) else {})}
        for item, error in zip(listed, errors, strict=True)
    ]
    return problem_response(422, listed, instance, errors=extended)


def allowed_values(error: Any) -> list[str] | None:
    """The values a check allows, where it names them: a code list's ``allowed`` ("a, b"),
    or a literal's or an enum's ``expected`` ("'a', 'b' or 'c'")."""
    context = error.get("ctx") or {}
    if isinstance(context.get("allowed"), str):
        return [value for value in context["allowed"].split(", ") if value]
    if error.get("type") in {"literal_error", "enum"} and isinstance(context.get("expected"), str):
        return ALLOWED_LIST.findall(context["expected"])
    return None
