"""Consultations and assessments as the API takes and gives them.

A consultation is created from validated values, not raw input: the request names the client,
the area and the concerns; the rest of the profile comes from the client's record.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PastDate, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from corneum.assessment import Verdict
from corneum.records.fields import (
    AllergyCode,
    AreaCode,
    ConditionCode,
    Input,
    MedicationCode,
    Name,
    Note,
    Output,
    Phototype,
    PlausibleDate,
    RecordId,
    RiskFactorCode,
    SkinTypeCode,
)

CodeText = Annotated[str, Field(min_length=1, max_length=64)]
"""A knowledge-base code, checked against the knowledge base when the profile is validated."""
Concerns = Annotated[list[CodeText], Field(max_length=50)]


class ClientAssessmentCreate(Input):
    """What to assess a stored client for; age, skin, phototype, active conditions, medications
    and risk factors come from the client's record."""

    area: CodeText
    concerns: Concerns
    assessed_on: PlausibleDate | None = None
    """The day the assessment is for; today when left out."""


class AssessmentCreate(Input):
    """Either ``{"profile": {...}}`` (an inline profile, as ``corneum assess`` reads it) or
    ``{"client_id": N, "area": ..., "concerns": [...], "assessed_on"?: ...}`` (a stored client)."""

    profile: dict[str, Any] | None = None
    client_id: RecordId | None = Field(default=None, validate_default=True)
    area: CodeText | None = Field(default=None, validate_default=True)
    concerns: Concerns | None = Field(default=None, validate_default=True)
    assessed_on: PlausibleDate | None = Field(default=None, validate_default=True)

    @field_validator("client_id")
    @classmethod
    def _profile_or_client(cls, value: int | None, info: ValidationInfo) -> int | None:
        if "profile" not in info.data:  # the profile was refused; its own error says why
            return value
        has_profile = info.data["profile"] is not None
        if value is None and not has_profile:
            raise PydanticCustomError(
                "missing", "give client_id (with area and concerns) or profile"
            )
        if value is not None and has_profile:
            raise PydanticCustomError("extra_forbidden", "give client_id or profile, not both")
        return value

    @field_validator("area", "concerns", "assessed_on")
    @classmethod
    def _only_beside_client(cls, value: Any, info: ValidationInfo) -> Any:
        if info.data.get("profile") is not None:
            if value is not None:
                raise PydanticCustomError(
                    "extra_forbidden", "with a profile, give this inside the profile"
                )
        elif value is None and info.field_name != "assessed_on" and _has_client(info):
            raise PydanticCustomError("missing", "required with client_id")
        return value

    def for_client(self) -> ClientAssessmentCreate:
        """The stored-client form of this request (call only when ``client_id`` is given)."""
        return ClientAssessmentCreate.model_validate(
            {"area": self.area, "concerns": self.concerns, "assessed_on": self.assessed_on}
        )


def _has_client(info: ValidationInfo) -> bool:
    return info.data.get("client_id") is not None


class KnowledgeBaseStamp(BaseModel):
    version: str
    sha256: str


class ReasonRead(BaseModel):
    rule: str
    code: str | None
    effect: str
    source: str
    text: str
    eligible_from: date | None
    note: str | None


class ProcedureVerdictRead(BaseModel):
    id: str
    name: str
    verdict: Verdict
    score: float
    area_covered: bool
    reasons: list[ReasonRead]


class AssessmentRead(BaseModel):
    """``Assessment.to_dict()``: every procedure's verdict with reasons, and what to offer."""

    knowledge_base: KnowledgeBaseStamp
    assessed_on: date
    procedures: list[ProcedureVerdictRead]
    recommended: list[str]


class MedicationAnswer(Input):
    code: MedicationCode
    last_taken: PlausibleDate | None = None
    """The day of the last dose; none while the client takes it."""


class ConsultationAnswers(Input):
    """Everything the consultation asks, as the wizard gives it. Every list is required: an
    empty list is the answer "none" (takes no drugs, knows of no allergy), not a blank."""

    date_of_birth: PastDate
    skin_type: SkinTypeCode
    phototype: Phototype
    area: AreaCode
    concerns: Concerns
    conditions: list[ConditionCode]
    medications: list[MedicationAnswer]
    allergies: list[AllergyCode]
    """Allergies the knowledge base screens for, by code."""
    other_allergies: list[Name] = Field(default_factory=list)
    """Allergens it has no code for: kept on the record for the practitioner to see."""
    risk_factors: list[RiskFactorCode]
    note: Note | None = None


class ConsultationRead(Output):
    id: int
    client_id: int
    profile: dict[str, Any]
    assessment: dict[str, Any]
    """As stored: the shape of :class:`AssessmentRead` at the time it was made."""
    note: str | None = None
    kb_version: str
    kb_sha256: str
    created_by: int | None
    created_at: datetime


STORED_ASSESSMENT_VERSION = 2
"""1: as the engine's ``to_dict`` gave it up to Corneum 1.2 (no version field); 2: the same
with ``schema_version``, ``referrals`` and each reason's ``phrase``."""


class StoredPhrase(BaseModel):
    """How a reason was worded, beside its English text: ``id`` is ``rule:<rule id>`` for a
    rule's own reason (its translation is the knowledge base's), or the catalogue template of
    a reason the engine words itself, with its ``values``."""

    model_config = ConfigDict(frozen=True)

    id: str
    values: dict[str, str | int] = Field(default_factory=dict)


class StoredReason(BaseModel):
    """One reason of a stored assessment (or a caution a booking or session carries)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    rule: str
    code: str | None = None
    effect: str
    source: str
    text: str
    eligible_from: date | None = None
    note: str | None = None
    phrase: StoredPhrase | None = None
    """None in assessments stored before version 2 and in a booking's or session's cautions."""


class StoredVerdict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str
    name: str
    verdict: Verdict
    score: float = 0.0
    area_covered: bool = True
    reasons: tuple[StoredReason, ...] = ()


class StoredKnowledgeBase(BaseModel):
    model_config = ConfigDict(frozen=True)

    version: str
    sha256: str


class StoredAssessment(BaseModel):
    """A consultation's assessment as stored, read through one typed model everywhere: the
    verdicts, their reasons and the knowledge base that gave them. Older rows (version 1) read
    the same, with no referrals."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    schema_version: int = 1
    knowledge_base: StoredKnowledgeBase
    assessed_on: date
    procedures: tuple[StoredVerdict, ...]
    recommended: tuple[str, ...] = ()
    referrals: tuple[StoredReason, ...] = ()

    def verdict(self, procedure_id: str) -> StoredVerdict | None:
        return next((item for item in self.procedures if item.id == procedure_id), None)

    def plannable(self) -> frozenset[str]:
        """The procedures the assessment did not contraindicate."""
        return frozenset(p.id for p in self.procedures if p.verdict != "contraindicated")
