"""Outcomes: lesion counts per session, a grade per scale and area, and before/after photos.

A photo's image lives on disk (see :mod:`corneum.records.outcomes.photos`); its row here holds
what is known about it and the random name of its file."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from corneum.db.base import NO_ID_REUSE, Base, one_of
from corneum.db.types import utcnow
from corneum.records.sessions.tables import session_fk

LESION_TYPES = ("open_comedones", "closed_comedones", "papules", "pustules", "nodules")
"""The counts an outcome holds: the lesion kinds of the knowledge base's ``scales.yaml``."""
PhotoMoment = Literal["before", "after"]
PhotoType = Literal["image/jpeg", "image/png"]


def _counts_not_negative() -> tuple[CheckConstraint, ...]:
    return tuple(CheckConstraint(f"{kind} >= 0", name=kind) for kind in LESION_TYPES)


class Outcome(Base):
    __tablename__ = "outcomes"
    __table_args__ = (*_counts_not_negative(), NO_ID_REUSE)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(session_fk(), unique=True)
    open_comedones: Mapped[int | None]
    closed_comedones: Mapped[int | None]
    papules: Mapped[int | None]
    pustules: Mapped[int | None]
    nodules: Mapped[int | None]
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    grades: Mapped[list[OutcomeGrade]] = relationship(
        order_by="OutcomeGrade.id", cascade="all, delete-orphan", passive_deletes=True
    )


class OutcomeGrade(Base):
    """One grade of an outcome on one scale for one area (CASS back 3); the value is checked
    against the knowledge base's scale when written."""

    __tablename__ = "outcome_grades"
    __table_args__ = (
        UniqueConstraint("outcome_id", "scale", "area"),
        CheckConstraint("value >= 0", name="value"),
        NO_ID_REUSE,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    outcome_id: Mapped[int] = mapped_column(
        ForeignKey("outcomes.id", ondelete="CASCADE"), index=True
    )
    scale: Mapped[str] = mapped_column(String(32))
    area: Mapped[str] = mapped_column(String(32))
    value: Mapped[int]


class OutcomePhoto(Base):
    """A before or after photo of one area in one session."""

    __tablename__ = "outcome_photos"
    __table_args__ = (
        one_of("moment", PhotoMoment),
        one_of("content_type", PhotoType),
        CheckConstraint("size_bytes > 0", name="size_bytes"),
        NO_ID_REUSE,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(session_fk(), index=True)
    area: Mapped[str] = mapped_column(String(32))
    moment: Mapped[PhotoMoment] = mapped_column(String(8))
    taken_at: Mapped[datetime]
    content_type: Mapped[PhotoType] = mapped_column(String(16))
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int]
    file_name: Mapped[str] = mapped_column(String(64), unique=True)
    """A random name (never derived from the client); the image is this file in the photo
    directory."""
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
