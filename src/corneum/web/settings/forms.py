"""Reading the settings forms into the API's own schemas, and refusals beside their fields."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from corneum.phrase import Phrase
from corneum.records.errors import ConflictError, InvalidInputError
from corneum.web.forms import text, texts

Errors = dict[str, str | Phrase]
Refusal = (ValidationError, InvalidInputError, ConflictError)
"""What a settings form may be refused with."""


def filled(form: FormData, *names: str) -> dict[str, Any]:
    """The named fields that were filled in; an empty one is left out (its default then)."""
    return {name: text(form, name) for name in names if text(form, name)}


def ticked(form: FormData, name: str) -> bool:
    return bool(texts(form, name))


def errors_of(
    session: Session, exc: ValidationError | InvalidInputError | ConflictError
) -> tuple[Errors, int]:
    """Each refusal by the form field it names, and the page's status: 409 for a conflict,
    422 for invalid input. A service's refusal rolls back what it began."""
    if isinstance(exc, ConflictError):
        session.rollback()
        return {exc.field: exc.phrase}, 409
    if isinstance(exc, ValidationError):
        exc = InvalidInputError.from_validation(exc, lambda loc: loc)
    else:
        session.rollback()
    errors: Errors = {}
    for problem in exc.problems:
        name = next((str(p) for p in reversed(problem["loc"]) if isinstance(p, str)), "form")
        errors.setdefault(name, problem.get("phrase") or problem["msg"])
    return errors, 422
