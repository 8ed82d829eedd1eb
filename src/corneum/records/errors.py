"""What a service refuses with; the API maps these to 404 and 409, the CLI to its exit codes.

Messages name the resource, the id and the field, never a person's data.
"""

from __future__ import annotations


class NotFoundError(LookupError):
    """No such record in the caller's clinic (another clinic's record is not found either)."""

    def __init__(self, resource: str, resource_id: int | str) -> None:
        super().__init__(f"{resource} {resource_id} not found")
        self.resource = resource
        self.resource_id = resource_id


class ConflictError(ValueError):
    """The request contradicts what is stored (a taken email, a second outcome for a session)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
