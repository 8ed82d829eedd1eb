"""Outcomes as the API and the CLI take and give them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Self

from pydantic import Field, model_validator

from corneum.records.fields import Count, Input, Note, Output

GradeScale = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=32)]


class OutcomeCreate(Input):
    open_comedones: Count | None = None
    closed_comedones: Count | None = None
    papules: Count | None = None
    pustules: Count | None = None
    nodules: Count | None = None
    grade_scale: GradeScale | None = None
    """The grading system, e.g. ``iga`` (0-4) or ``gags`` (0-44); given with ``grade_value``."""
    grade_value: Count | None = None
    note: Note | None = None

    @model_validator(mode="after")
    def _grade_with_scale(self) -> Self:
        if (self.grade_scale is None) != (self.grade_value is None):
            raise ValueError("grade_scale and grade_value go together: give both or neither")
        return self


class OutcomeRead(Output):
    id: int
    session_id: int
    open_comedones: int | None
    closed_comedones: int | None
    papules: int | None
    pustules: int | None
    nodules: int | None
    grade_scale: str | None
    grade_value: int | None
    note: str | None
    recorded_by: int | None
    created_at: datetime
