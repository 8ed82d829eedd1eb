"""Outcomes and photos as the API and the CLI take and give them.

Grades are checked against the shipped knowledge base's scales (``scales.yaml``): the scale must
exist, grade the area given, and have the value given; each refusal names its field."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from corneum.knowledge import default_knowledge_base
from corneum.records.fields import Count, Input, Moment, Note, Output, known_code
from corneum.records.outcomes.tables import PhotoMoment, PhotoType

MAX_GRADES = 20
"""More grades than any clinic gives in one session (every scale times every area)."""


def _known_scale(scale_id: str) -> str:
    scales = default_knowledge_base().scales
    if scale_id not in scales:
        raise PydanticCustomError(
            "unknown_scale",
            "unknown scale '{scale}'; allowed: {allowed}",
            {"scale": scale_id, "allowed": ", ".join(scales)},
        )
    return scale_id


ScaleId = Annotated[str, AfterValidator(_known_scale)]
AreaCode = Annotated[str, known_code("areas")]


class GradeCreate(Input):
    scale: ScaleId
    area: str
    """An area the scale grades (IGA: the face; CASS: the face, the chest or the back)."""
    value: int

    @field_validator("area")
    @classmethod
    def _graded_area(cls, area: str, info: ValidationInfo) -> str:
        scale = default_knowledge_base().scales.get(info.data.get("scale", ""))
        if scale is not None and area not in scale.areas:
            raise PydanticCustomError(
                "area_not_graded",
                "{scale} does not grade the area '{area}'; it grades: {allowed}",
                {"scale": scale.id, "area": area, "allowed": ", ".join(scale.areas)},
            )
        return area

    @field_validator("value")
    @classmethod
    def _on_the_scale(cls, value: int, info: ValidationInfo) -> int:
        scale = default_knowledge_base().scales.get(info.data.get("scale", ""))
        if scale is not None and scale.grade(value) is None:
            raise PydanticCustomError(
                "grade_out_of_range",
                "{scale} has no grade {value}; its grades are {lowest} to {highest}",
                {
                    "scale": scale.id,
                    "value": value,
                    "lowest": scale.lowest,
                    "highest": scale.highest,
                },
            )
        return value


class OutcomeCreate(Input):
    open_comedones: Count | None = None
    closed_comedones: Count | None = None
    papules: Count | None = None
    pustules: Count | None = None
    nodules: Count | None = None
    grades: list[GradeCreate] = Field(default_factory=list, max_length=MAX_GRADES)
    """At most one grade per scale and area."""
    note: Note | None = None

    @field_validator("grades")
    @classmethod
    def _one_per_scale_and_area(cls, grades: list[GradeCreate]) -> list[GradeCreate]:
        seen: set[tuple[str, str]] = set()
        for grade in grades:
            key = (grade.scale, grade.area)
            if key in seen:
                raise PydanticCustomError(
                    "duplicate_grade",
                    "two grades on {scale} for the area '{area}'",
                    {"scale": grade.scale, "area": grade.area},
                )
            seen.add(key)
        return grades


class GradeRead(Output):
    scale: str
    area: str
    value: int


class OutcomeRead(Output):
    id: int
    session_id: int
    open_comedones: int | None
    closed_comedones: int | None
    papules: int | None
    pustules: int | None
    nodules: int | None
    grades: list[GradeRead]
    note: str | None
    recorded_by: int | None
    created_at: datetime


class CourseOutcomeRead(OutcomeRead):
    """An outcome with the time of its session, as a client's course lists them."""

    session_scheduled_at: datetime


class PhotoCreate(Input):
    """What is said about a photo besides its bytes (sent as form fields with the file)."""

    area: AreaCode
    moment: PhotoMoment
    taken_at: Moment | None = None
    """When the photo was taken; the upload's time when not given."""


class PhotoRead(Output):
    id: int
    session_id: int
    area: str
    moment: PhotoMoment
    taken_at: datetime
    content_type: PhotoType
    sha256: str
    size_bytes: int
    uploaded_by: int | None
    created_at: datetime
