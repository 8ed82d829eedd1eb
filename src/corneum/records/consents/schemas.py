"""Consents as the API and the CLI take and give them."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Annotated, Self

from pydantic import Field, StringConstraints, ValidationInfo, field_validator, model_validator

from corneum.records.consents.tables import SignatureMethod
from corneum.records.fields import Input, Moment, Name, Output, ProcedureId

Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
SIGNATURE_BOX = (600, 200)
"""Width and height of the box a drawn signature's coordinates are given in."""
_POINT = r"[ML]\d{1,4}(?:\.\d)? \d{1,4}(?:\.\d)?"
SvgPath = Annotated[
    str, StringConstraints(max_length=200_000, pattern=rf"^{_POINT}(?: {_POINT})*$")
]
"""SVG path data made of moves and lines only (``M12 40 L13.5 41 ...``): nothing in it can run
as script when the signature is drawn in a page."""


class ConsentCreate(Input):
    text_version: Annotated[str, Field(min_length=1, max_length=64)]
    text_sha256: Sha256
    """SHA-256 (lower-case hex) of the exact text the client was shown and signed."""
    signer_name: Name
    signed_at: Moment
    procedure_id: ProcedureId | None = None
    signature_method: SignatureMethod | None = None
    signature_svg: SvgPath | None = None
    """The drawn signature (``signature_method`` ``drawn``) in a ``SIGNATURE_BOX``."""
    signed_text: Annotated[str, Field(min_length=1, max_length=100_000)] | None = None
    """The exact text signed, kept as given; it must hash to ``text_sha256``."""

    @field_validator("signed_text")
    @classmethod
    def _hashes_to_the_signed_hash(cls, value: str | None, info: ValidationInfo) -> str | None:
        expected = info.data.get("text_sha256")
        if (
            value is not None
            and expected
            and hashlib.sha256(value.encode()).hexdigest() != expected
        ):
            raise ValueError("its SHA-256 must be text_sha256: give the exact text that was signed")
        return value

    @model_validator(mode="after")
    def _drawing_only_when_drawn(self) -> Self:
        if (self.signature_method == "drawn") != (self.signature_svg is not None):
            raise ValueError("signature_svg is given exactly when signature_method is 'drawn'")
        return self


class ConsentRead(Output):
    id: int
    client_id: int
    text_version: str
    text_sha256: str
    signer_name: str
    signed_at: datetime
    recorded_by: int | None
    procedure_id: str | None
    signature_method: SignatureMethod | None
    signature_svg: str | None
    signed_text: str | None
