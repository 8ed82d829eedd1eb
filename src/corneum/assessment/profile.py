"""The client profile an assessment reads, validated against the knowledge base's vocabulary.

Pass the knowledge base as validation context (:func:`validate_profile` does) so that every code
is checked; an unknown code fails with its field path (``conditions.1``) and the allowed values.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    ValidationInfo,
    field_validator,
    model_serializer,
    model_validator,
)
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
AllergyCode = Annotated[str, AfterValidator(_code_of("allergies"))]
RiskFactorCode = Annotated[str, AfterValidator(_code_of("risk_factors"))]
SkinTypeCode = Annotated[str, AfterValidator(_code_of("skin_types"))]
AreaCode = Annotated[str, AfterValidator(_code_of("areas"))]
Age = Annotated[int, Field(strict=True, ge=0, le=120)]
PhototypeValue = Annotated[int, Field(strict=True, ge=1, le=6)]


def _last_dose_error(last_taken: date, on: date) -> PydanticCustomError:
    return PydanticCustomError(
        "date_after_assessment",
        "the last dose {last_taken} is after the assessment date {on}; a last dose cannot be "
        "in the future",
        {"last_taken": last_taken.isoformat(), "on": on.isoformat()},
    )


class MedicationEntry(BaseModel):
    """A medication the client takes or took; ``last_taken`` dates the last dose if stopped.
    A last dose after the assessment date is refused (validation context ``on``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: MedicationCode
    last_taken: date | None = None

    @field_validator("last_taken")
    @classmethod
    def _not_in_future(cls, value: date | None, info: ValidationInfo) -> date | None:
        on = info.context.get("on") if isinstance(info.context, dict) else None
        if value is not None and isinstance(on, date) and value > on:
            raise _last_dose_error(value, on)
        return value


class ConditionEntry(BaseModel):
    """A condition and where it is. ``in_treated_area`` false means elsewhere on the body
    (scalp psoriasis when the back is treated): rules about the treated skin then do not
    apply. Given as a bare code, a condition counts as in the treated area, the safer
    reading; it is stored back as the bare code."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: ConditionCode
    in_treated_area: bool = True

    @model_serializer(mode="wrap")
    def _compact(self, handler: SerializerFunctionWrapHandler) -> Any:
        return self.code if self.in_treated_area else handler(self)


def _bare_condition(value: Any, info: ValidationInfo) -> Any:
    """A bare code is a condition in the treated area; an unknown one is reported at the
    list position, as before conditions could carry a location."""
    if isinstance(value, str):
        return {"code": _code_of("conditions")(value, info)}
    return value


ConditionItem = Annotated[ConditionEntry, BeforeValidator(_bare_condition)]


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
    conditions: tuple[ConditionItem, ...]
    medications: tuple[MedicationEntry, ...]
    risk_factors: tuple[RiskFactorCode, ...] = ()
    assessed_on: date | None = None
    allergies: tuple[AllergyCode, ...] = ()
    """Known allergies (codes of ``kb.codes("allergies")``); optional, none by default."""

    def condition_codes(self) -> tuple[str, ...]:
        """The condition codes, wherever the conditions are."""
        return tuple(entry.code for entry in self.conditions)

    @model_validator(mode="after")
    def _doses_not_after_assessment(self) -> Profile:
        if self.assessed_on is not None:
            for entry in self.medications:
                if entry.last_taken is not None and entry.last_taken > self.assessed_on:
                    raise _last_dose_error(entry.last_taken, self.assessed_on)
        return self

    @field_validator("medications", mode="before")
    @classmethod
    def _bare_codes(cls, value: Any) -> Any:
        """A medication may be given as its bare code: currently taken, no date."""
        if isinstance(value, list | tuple):
            return [{"code": v} if isinstance(v, str) else v for v in value]
        return value


def validate_profile(data: Any, kb: KnowledgeBase, *, today: date | None = None) -> Profile:
    """Validate raw profile data (a parsed JSON object) against the knowledge base.

    A medication's ``last_taken`` after the assessment date (the profile's ``assessed_on``,
    else ``today`` when given) fails at ``medications.N.last_taken``."""
    return Profile.model_validate(data, context={"kb": kb, "on": _stated_on(data) or today})


def _stated_on(data: Any) -> date | None:
    stated = data.get("assessed_on") if isinstance(data, dict) else None
    if isinstance(stated, date):
        return stated
    if isinstance(stated, str):
        try:
            return date.fromisoformat(stated)
        except ValueError:
            return None
    return None
