"""What a service refuses with; the API maps these to 404, 409 and 422, the CLI to its exit codes.

Messages name the resource, the id and the field, never a person's data.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NotRequired, TypedDict

from pydantic import ValidationError

from corneum.phrase import Phrase


class NotFoundError(LookupError):
    """No such record in the caller's clinic (another clinic's record is not found either)."""

    def __init__(self, resource: str, resource_id: int | str) -> None:
        super().__init__(f"{resource} {resource_id} not found")
        self.resource = resource
        self.resource_id = resource_id


class ConflictError(ValueError):
    """The request contradicts what is stored (a taken email, a second outcome for a session).

    ``message`` is the English text (what the API answers); ``phrase`` the same for a page to
    show in its language (the English as it is, for a refusal worded as a plain string)."""

    reasons: list[dict[str, Any]]
    """Clinical reasons behind the refusal (a screening's), each with its rule, code, effect,
    source, text and ``eligible_from``; empty for any other conflict."""

    def __init__(self, field: str, message: str | Phrase) -> None:
        self.phrase = message if isinstance(message, Phrase) else Phrase.verbatim(message)
        self.message = self.phrase.text
        super().__init__(f"{field}: {self.message}")
        self.field = field
        self.reasons = []


class Problem(TypedDict):
    """One reason an input was refused, shaped like a Pydantic error so the API shows both alike."""

    loc: tuple[str | int, ...]
    """Where: ``("body", "profile", "conditions", 0)`` for the request, ``("client", "phototype")``
    for a field of a stored record the request relies on."""
    msg: str
    type: str
    phrase: NotRequired[Phrase]
    """``msg`` for a page to show in its language, where a service words it as a phrase; the
    API shows ``msg``."""


class InvalidInputError(ValueError):
    """Input that passed its schema but fails a check only a service can make: against stored
    records (a client with no date of birth cannot be assessed) or the knowledge base."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("; ".join(f"{_path(p['loc'])}: {p['msg']}" for p in problems))
        self.problems = list(problems)

    @classmethod
    def from_validation(
        cls, exc: ValidationError, locate: Callable[[tuple[str | int, ...]], tuple[str | int, ...]]
    ) -> InvalidInputError:
        """Re-address a model's validation errors: ``locate`` maps each error's location in the
        model to where the caller gave (or stored) that value."""
        return cls(
            [
                Problem(loc=locate(tuple(error["loc"])), msg=error["msg"], type=error["type"])
                for error in exc.errors()
            ]
        )


def _path(loc: tuple[str | int, ...]) -> str:
    return ".".join(str(part) for part in loc)


class StorageError(OSError):
    """A file could not be written (a full disk, a lost mount). ``full`` says it was space: the
    API answers 507 then, 503 otherwise; nothing half-written is left behind."""

    def __init__(self, what: str, *, full: bool) -> None:
        reason = "is full" if full else "cannot be written to"
        super().__init__(f"the {what} store {reason}; tell the clinic's administrator")
        self.full = full
        self.message = str(self)
