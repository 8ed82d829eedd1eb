"""How errors reach an API client: 422 with the field path, 404, 409, 401/403; never a 500
for bad input. Every one is a problem-details body (:mod:`corneum.http.problems`). Messages
name fields and ids, never a person's data."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from corneum.http.problems import invalid_input, problem_response
from corneum.records.errors import ConflictError, InvalidInputError, NotFoundError, StorageError


async def _validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    return invalid_input(list(exc.errors()), request.url.path)


async def _invalid(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, InvalidInputError)
    return invalid_input(list(exc.problems), request.url.path)


async def not_found(request: Request, exc: Exception) -> Response:
    return problem_response(404, str(exc), request.url.path)


async def _conflict(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ConflictError)
    reasons: list[dict[str, Any]] | None = exc.reasons or None
    return problem_response(409, exc.message, request.url.path, field=exc.field, reasons=reasons)


async def _integrity(request: Request, __: Exception) -> Response:
    return problem_response(409, "the request conflicts with stored records", request.url.path)


def storage_status(exc: StorageError) -> int:
    """507 Insufficient Storage for a full disk, 503 for any other failure to write."""
    return 507 if exc.full else 503


async def storage_failed(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StorageError)
    return problem_response(storage_status(exc), exc.message, request.url.path)


async def _http(request: Request, exc: Exception) -> Response:
    """FastAPI's and Starlette's own refusals (401, 403, 404 for an unknown path, 405, 413)."""
    assert isinstance(exc, HTTPException)
    if exc.status_code < 400:  # not an error: nothing to describe
        return Response(status_code=exc.status_code, headers=exc.headers)
    return problem_response(exc.status_code, exc.detail, request.url.path, headers=exc.headers)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(InvalidInputError, _invalid)
    app.add_exception_handler(NotFoundError, not_found)
    app.add_exception_handler(ConflictError, _conflict)
    app.add_exception_handler(IntegrityError, _integrity)
    app.add_exception_handler(StorageError, storage_failed)
