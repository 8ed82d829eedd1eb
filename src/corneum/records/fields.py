"""What the areas' schemas share: input and output bases, and field types (names, notes,
contacts, knowledge-base codes).

Codes are checked against the shipped knowledge base when a record is written, so an unknown code
fails with its field path and the allowed values. Read schemas use plain strings: a record written
under an older knowledge base must stay readable.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

from corneum.knowledge import default_knowledge_base


class Input(BaseModel):
    """What a caller sends: an unknown field is an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class Output(BaseModel):
    """What a service's record looks like to the caller, read from the table's attributes."""

    model_config = ConfigDict(from_attributes=True)


Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=10_000)]
Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
]
Phone = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9][0-9 ()./-]{2,48}$")
]
Phototype = Annotated[int, Field(ge=1, le=6)]
Count = Annotated[int, Field(ge=0)]


def known_code(kind: str, *, excluding: frozenset[str] = frozenset()) -> AfterValidator:
    """Check a value against one vocabulary list of the shipped knowledge base."""

    def check(code: str) -> str:
        allowed = [c for c in default_knowledge_base().codes(kind) if c not in excluding]
        if code not in allowed:
            raise PydanticCustomError(
                "unknown_code",
                "unknown code '{code}'; allowed: {allowed}",
                {"code": code, "allowed": ", ".join(allowed)},
            )
        return code

    return AfterValidator(check)


def known_procedure() -> AfterValidator:
    def check(procedure_id: str) -> str:
        allowed = [p.id for p in default_knowledge_base().procedures]
        if procedure_id not in allowed:
            raise PydanticCustomError(
                "unknown_procedure",
                "unknown procedure '{id}'; allowed: {allowed}",
                {"id": procedure_id, "allowed": ", ".join(allowed)},
            )
        return procedure_id

    return AfterValidator(check)


SkinTypeCode = Annotated[str, known_code("skin_types")]
RiskFactorCode = Annotated[str, known_code("risk_factors")]
ConditionCode = Annotated[str, known_code("conditions")]
MedicationCode = Annotated[str, known_code("medications")]
# The knowledge base's performers include the client (home care), who is no staff qualification.
Qualification = Annotated[str, known_code("performers", excluding=frozenset({"client"}))]
ProcedureId = Annotated[str, known_procedure()]
