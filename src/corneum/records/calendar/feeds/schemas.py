"""What the feed-address routes give."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class FeedLinkRead(BaseModel):
    """A secret feed address, shown once, when issued: only its hash is kept."""

    url: str = Field(description="The address a calendar app subscribes to (no sign-in needed)")
    issued_at: datetime
