"""Signed consents: which exact text the client agreed to, who signed and when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from corneum.db.base import NO_ID_REUSE, Base
from corneum.records.clients.tables import OwnedByClient


class Consent(OwnedByClient, Base):
    __tablename__ = "consents"
    __table_args__ = NO_ID_REUSE

    text_version: Mapped[str] = mapped_column(String(64))
    text_sha256: Mapped[str] = mapped_column(String(64))
    """SHA-256 of the exact text shown, so a later edit of the template cannot alter it."""
    signer_name: Mapped[str] = mapped_column(String(200))
    signed_at: Mapped[datetime]
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
