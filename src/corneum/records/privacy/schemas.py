"""What the privacy endpoints give back."""

from __future__ import annotations

from pydantic import BaseModel


class ErasureRead(BaseModel):
    client_id: int
    rows: dict[str, int]
    """How many rows went from each table."""
