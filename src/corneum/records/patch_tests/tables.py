"""Patch tests: a little of a procedure's agent on a small patch of skin, read a day or more
later; a reaction shows an intolerance (S1's first contraindication to acid work)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from corneum.db.base import NO_ID_REUSE, Base, one_of
from corneum.db.types import utcnow
from corneum.records.clients.tables import OwnedByClient

PatchResult = Literal["no_reaction", "reaction"]


class PatchTest(OwnedByClient, Base):
    __tablename__ = "patch_tests"
    __table_args__ = (
        one_of("result", PatchResult),
        CheckConstraint("read_at IS NULL OR read_at >= applied_at", name="times"),
        CheckConstraint("(result IS NULL) = (read_at IS NULL)", name="reading"),
        NO_ID_REUSE,
    )

    procedure_id: Mapped[str] = mapped_column(String(64), index=True)
    agent: Mapped[str | None] = mapped_column(String(200))
    """The agent tried, one of the procedure's ``agent_uses`` (None where it lists none)."""
    product: Mapped[str] = mapped_column(String(200))
    lot_number: Mapped[str] = mapped_column(String(100), index=True)
    applied_at: Mapped[datetime]
    applied_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    read_at: Mapped[datetime | None]
    read_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    result: Mapped[PatchResult | None] = mapped_column(String(16))
    """None until the test is read."""
    note: Mapped[str | None] = mapped_column(Text)
    """What the reaction looked like (required with a reaction), or any remark."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
