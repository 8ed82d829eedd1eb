"""The client profile an assessment reads, validated against the knowledge base's vocabulary.

Pass the knowledge base as validation context (:func:`validate_profile` does) so that every code
is checked; an unknown code fails with its field path (``conditions.1``) and the allowed values.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from corneum.knowledge.base import KnowledgeBase


def _code_of(kind: str) -> Callable[[str, ValidationInfo], str]:
    def check(code: str, info: ValidationInfo) -> str:
        kb = info.context.get("kb") if isinstance(info.context, dict) else None
        if isinstance(kb, KnowledgeBase):
            allowed = kb.codes(kind)
            if code not in allowed:
                raise PydanticCustomError(
                    "unknown_code",
                    "unknown code '{code}'; allowed: {allowed}",
                    {"code": code, "allowed": ", ".join(allowed)},
                )
        return code

    return check


ConcernCode = Annotated[str, AfterValidator(_code_of("concerns"))]
ConditionCode = Annotated[str, AfterValidator(_code_of("conditions"))]
MedicationCode = Annotated[str, AfterValidator(_code_of("medications"))]
RiskFactorCode = Annotated[str, AfterValidator(_code_of("risk_factors"))]
SkinTypeCode = Annotated[str, AfterValidator(_code_of("skin_types"))]
AreaCode = Annotated[str, AfterValidator(_code_of("areas"))]
Age = Annotated[int, Field(strict=True, ge=0, le=120)]
PhototypeValue = Annotated[int, Field(strict=True, ge=1, le=6)]


class MedicationEntry(BaseModel):
    """A medication the client takes or took; ``last_taken`` dates the last dose if stopped."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: MedicationCode
    last_taken: date | None = None


class Profile(BaseModel):
    """What the consultation recorded. The clinical fields are required: a history left out is
    not the same as a history with nothing in it, so an empty list must be given explicitly.
    Keys Corneum does not know are ignored (the CLI warns about them)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    age: Age
    skin_type: SkinTypeCode
    fitzpatrick: PhototypeValue
    area: AreaCode
    concerns: tuple[ConcernCode, ...]
    conditions: tuple[ConditionCode, ...]
    medications: tuple[MedicationEntry, ...]
    risk_factors: tuple[RiskFactorCode, ...] = ()
    assessed_on: date | None = None

    @field_validator("medications", mode="before")
    @classmethod
    def _bare_codes(cls, value: Any) -> Any:
        """A medication may be given as its bare code: currently taken, no date."""
        if isinstance(value, list | tuple):
            return [{"code": v} if isinstance(v, str) else v for v in value]
        return value


def validate_profile(data: Any, kb: KnowledgeBase) -> Profile:
    """Validate raw profile data (a parsed JSON object) against the knowledge base."""
    return Profile.model_validate(data, context={"kb": kb})
