"""Signed consents: which exact text the client agreed to, who signed and when, and the
signature itself."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from corneum.db.base import NO_ID_REUSE, Base, one_of
from corneum.records.clients.tables import OwnedByClient

SignatureMethod = Literal["drawn", "typed"]
"""Drawn on the tablet with a finger or stylus, or typed full name plus a ticked box (the way
for anyone who cannot draw one)."""


class Consent(OwnedByClient, Base):
    __tablename__ = "consents"
    __table_args__ = (one_of("signature_method", SignatureMethod), NO_ID_REUSE)

    text_version: Mapped[str] = mapped_column(String(64))
    text_sha256: Mapped[str] = mapped_column(String(64))
    """SHA-256 of the exact text shown, so a later edit of the template cannot alter it."""
    signer_name: Mapped[str] = mapped_column(String(200))
    signed_at: Mapped[datetime]
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    procedure_id: Mapped[str | None] = mapped_column(String(64))
    """The procedure the consent is for; None for a consent recorded without one."""
    signature_method: Mapped[SignatureMethod | None] = mapped_column(String(8))
    signature_svg: Mapped[str | None] = mapped_column(Text)
    """A drawn signature as SVG path data (see ``SIGNATURE_BOX`` in the schemas)."""
    signed_text: Mapped[str | None] = mapped_column(Text)
    """The exact text signed (it hashes to ``text_sha256``), so the record shows it even after
    the wording or the procedure's texts have changed; None where only the hash was given."""
