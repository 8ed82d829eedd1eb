"""Outcomes: lesion counts by type and a grade, per session."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from corneum.db.base import NO_ID_REUSE, Base
from corneum.db.types import utcnow
from corneum.records.sessions.tables import session_fk

LESION_TYPES = ("open_comedones", "closed_comedones", "papules", "pustules", "nodules")


def _counts_not_negative() -> tuple[CheckConstraint, ...]:
    return tuple(CheckConstraint(f"{kind} >= 0", name=kind) for kind in LESION_TYPES)


class Outcome(Base):
    __tablename__ = "outcomes"
    __table_args__ = (
        *_counts_not_negative(),
        CheckConstraint("(grade_scale IS NULL) = (grade_value IS NULL)", name="grade"),
        NO_ID_REUSE,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(session_fk(), unique=True)
    open_comedones: Mapped[int | None]
    closed_comedones: Mapped[int | None]
    papules: Mapped[int | None]
    pustules: Mapped[int | None]
    nodules: Mapped[int | None]
    grade_scale: Mapped[str | None] = mapped_column(String(32))
    """The grading system the grade is on, e.g. ``iga`` (0-4) or ``gags`` (0-44)."""
    grade_value: Mapped[int | None]
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
