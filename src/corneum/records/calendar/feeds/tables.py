"""Secret feed addresses: a calendar app subscribes to one person's appointments."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from corneum.db.base import NO_ID_REUSE, Base
from corneum.db.types import utcnow


class FeedToken(Base):
    """A secret feed address of one client or one practitioner: a calendar app subscribes to it
    without a staff token. Only the SHA-256 of the secret is kept (the secret has 256 random
    bits, so a fast hash is enough); a revoked row stays, so the audit log's ids keep meaning."""

    __tablename__ = "feed_tokens"
    __table_args__ = (
        CheckConstraint("(client_id IS NULL) <> (practitioner_id IS NULL)", name="one_person"),
        NO_ID_REUSE,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    client_id: Mapped[int | None] = mapped_column(
        ForeignKey("clients.id", ondelete="CASCADE"), index=True
    )
    practitioner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
