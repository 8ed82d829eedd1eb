"""The procedures a clinic offers, as the API and the web app take and give them."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import Field

from corneum.records.fields import Input, Output

Price = Annotated[Decimal, Field(ge=0, le=Decimal("99999999.99"), decimal_places=2)]


class OfferingWrite(Input):
    """Whether the clinic offers the procedure, at what price, and how long its calendar holds a
    session (left out: the knowledge base's booking defaults)."""

    active: bool = True
    price: Price | None = None
    minutes: Annotated[int, Field(ge=1, le=1440)] | None = None


class OfferingRead(Output):
    procedure_id: str
    name: str
    active: bool
    price: Decimal | None
    minutes: int
    """What the calendar holds: the clinic's own length, or the booking defaults."""
    min_minutes: int
    max_minutes: int
    """The range the knowledge base allows for ``minutes``."""
