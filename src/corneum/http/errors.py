"""How errors reach an API client: 422 with the field path, 404, 409, 401/403; never a 500
for bad input. Messages name fields and ids, never a person's data."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError

from corneum.records.errors import ConflictError, InvalidInputError, NotFoundError, StorageError


def field_path(loc: tuple[Any, ...] | list[Any]) -> str:
    """``("body", "profile", "conditions", 1)`` -> ``"profile.conditions.1"``."""
    parts = [str(part) for part in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie"}:
        parts = parts[1:] or parts
    return ".".join(parts)


def validation_detail(errors: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "loc": list(error["loc"]),
            "field": field_path(error["loc"]),
            "msg": error["msg"],
            "type": error["type"],
        }
        for error in errors
    ]


async def _validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return JSONResponse(status_code=422, content={"detail": validation_detail(list(exc.errors()))})


async def _invalid(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, InvalidInputError)
    return JSONResponse(status_code=422, content={"detail": validation_detail(exc.problems)})


async def _not_found(_: Request, exc: Exception) -> JSONResponse:
    return JSONResponse(status_code=404, content={"detail": str(exc)})


async def _conflict(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ConflictError)
    content: dict[str, Any] = {"detail": exc.message, "field": exc.field}
    if exc.reasons:
        content["reasons"] = exc.reasons
    return JSONResponse(status_code=409, content=content)


async def _integrity(_: Request, __: Exception) -> JSONResponse:
    return JSONResponse(
        status_code=409, content={"detail": "the request conflicts with stored records"}
    )


def storage_status(exc: StorageError) -> int:
    """507 Insufficient Storage for a full disk, 503 for any other failure to write."""
    return 507 if exc.full else 503


async def _storage(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StorageError)
    return JSONResponse(status_code=storage_status(exc), content={"detail": exc.message})


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(InvalidInputError, _invalid)
    app.add_exception_handler(NotFoundError, _not_found)
    app.add_exception_handler(ConflictError, _conflict)
    app.add_exception_handler(IntegrityError, _integrity)
    app.add_exception_handler(StorageError, _storage)
