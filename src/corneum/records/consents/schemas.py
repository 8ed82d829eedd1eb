"""Consents as the API and the CLI take and give them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from corneum.records.fields import Input, Moment, Name, Output

Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class ConsentCreate(Input):
    text_version: Annotated[str, Field(min_length=1, max_length=64)]
    text_sha256: Sha256
    """SHA-256 (lower-case hex) of the exact text the client was shown and signed."""
    signer_name: Name
    signed_at: Moment


class ConsentRead(Output):
    id: int
    client_id: int
    text_version: str
    text_sha256: str
    signer_name: str
    signed_at: datetime
    recorded_by: int | None
