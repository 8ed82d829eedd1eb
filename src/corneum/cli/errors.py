"""How the database commands report bad input: one line on stderr naming the field, exit code 2."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NoReturn

import typer
from pydantic import ValidationError

USAGE_ERROR = 2
FAILURE = 1


def fail(message: str, code: int = USAGE_ERROR) -> NoReturn:
    typer.echo(f"corneum: {message}", err=True)
    raise typer.Exit(code)


def describe(exc: ValidationError, names: Mapping[str, str]) -> str:
    """Every error of ``exc`` on one line, each field under the name the user typed (``--role``).

    Only the field and pydantic's message are shown, never the value given: it may be a password.
    """
    parts = []
    for error in exc.errors(include_input=False, include_url=False):
        field = str(error["loc"][0]) if error["loc"] else ""
        parts.append(f"{names.get(field, field or 'input')}: {error['msg']}")
    return " | ".join(parts)
