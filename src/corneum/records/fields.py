"""What the areas' schemas share: input and output bases, and field types (names, notes,
contacts, knowledge-base codes).

Codes are checked against the shipped knowledge base when a record is written, so an unknown code
fails with its field path and the allowed values. Read schemas use plain strings: a record written
under an older knowledge base must stay readable.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from email_validator import EmailNotValidError, validate_email
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)
from pydantic_core import PydanticCustomError

from corneum.knowledge import default_knowledge_base


class Input(BaseModel):
    """What a caller sends: an unknown field is an error, not silently dropped, and so is a NUL
    character in any text (PostgreSQL cannot store one: refused here, it names its field)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if _holds_nul(value):
            raise PydanticCustomError("nul_character", "text may not contain a NUL character")
        return value


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple):
        return any(_holds_nul(item) for item in value)
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    return False


class Output(BaseModel):
    """What a service's record looks like to the caller, read from the table's attributes."""

    model_config = ConfigDict(from_attributes=True)


Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=10_000)]


def _one_address(value: str) -> str:
    """Exactly one deliverable-looking address (email-validator, no DNS look-up): a comma, a
    second address, a display name or a bare host is refused, so a reminder can only ever go to
    the one person who gave it."""
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise PydanticCustomError(
            "email", "not one valid email address: {reason}", {"reason": str(exc)}
        ) from None


Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=3, max_length=254),
    AfterValidator(_one_address),
    Field(json_schema_extra={"format": "email"}),
]
Phone = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9][0-9 ()./-]{2,48}$")
]
MAX_INTEGER = 2**31 - 1
"""The largest value an INTEGER column holds on PostgreSQL (and so every id): a bigger number in
a request is refused as invalid, never sent to the database to overflow there."""
EARLIEST = date(1900, 1, 1)
LATEST = date(2999, 12, 31)
PlausibleDate = Annotated[date, Field(ge=EARLIEST, le=LATEST)]
"""A calendar day a clinic could mean; date arithmetic (wash-out windows, ages) stays in range."""


def _in_utc(value: datetime) -> datetime:
    try:
        moment = value.astimezone(UTC)
    except OverflowError:
        raise PydanticCustomError("datetime_range", "out of range once converted to UTC") from None
    if not EARLIEST <= moment.date() <= LATEST:
        raise PydanticCustomError(
            "datetime_range",
            "must fall between {earliest} and {latest}",
            {"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()},
        )
    return moment


Moment = Annotated[AwareDatetime, AfterValidator(_in_utc)]
"""A point in time given with its time zone (a naive time is refused), held in UTC, within the
years a clinic could mean (1900 to 2999): a week, a course or a session's stages computed from it
stay far inside what dates can hold."""
Phototype = Annotated[int, Field(ge=1, le=6)]
Count = Annotated[int, Field(ge=0, le=MAX_INTEGER)]
RecordId = Annotated[int, Field(ge=1, le=MAX_INTEGER)]
"""A reference to a stored record in a request body."""


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
AreaCode = Annotated[str, known_code("areas")]
AllergyCode = Annotated[str, known_code("allergies")]
# The knowledge base's performers include the client (home care), who is no staff qualification.
Qualification = Annotated[str, known_code("performers", excluding=frozenset({"client"}))]
ProcedureId = Annotated[str, known_procedure()]
