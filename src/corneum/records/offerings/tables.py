"""The procedures a clinic offers; a procedure without a row is offered at the knowledge
base's booking defaults, without a price."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from corneum.db.base import NO_ID_REUSE, Base


class Offering(Base):
    __tablename__ = "offerings"
    __table_args__ = (
        UniqueConstraint("clinic_id", "procedure_id"),
        CheckConstraint("price IS NULL OR price >= 0", name="price"),
        CheckConstraint("minutes IS NULL OR minutes > 0", name="minutes"),
        NO_ID_REUSE,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    procedure_id: Mapped[str] = mapped_column(String(64))
    """A procedure id from the knowledge base."""
    active: Mapped[bool] = mapped_column(default=True)
    price: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    """In the clinic's currency; none: not priced."""
    minutes: Mapped[int | None]
    """How long the calendar holds a session; none: the knowledge base's booking defaults."""
