"""Consultations: the profile a practitioner assessed and the assessment, as made at the time."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from corneum.db.base import NO_ID_REUSE, Base
from corneum.db.types import utcnow
from corneum.records.clients.tables import OwnedByClient


class Consultation(OwnedByClient, Base):
    """Kept verbatim with the knowledge base's version and hash, so the verdicts can be
    reproduced and explained later even after the knowledge base has changed."""

    __tablename__ = "consultations"
    __table_args__ = NO_ID_REUSE

    profile: Mapped[dict[str, Any]]
    assessment: Mapped[dict[str, Any]]
    kb_version: Mapped[str] = mapped_column(String(64))
    kb_sha256: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    """The practitioner's free notes from the consultation."""
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
