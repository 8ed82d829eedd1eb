"""Treatment plans: a course of one procedure for one client."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, column_property, mapped_column

from corneum.db.base import NO_ID_REUSE, Base, one_of
from corneum.db.types import utcnow
from corneum.records.accounts.tables import shown_name_of
from corneum.records.clients.tables import OwnedByClient

PlanStatus = Literal["planned", "active", "completed", "cancelled"]


class TreatmentPlan(OwnedByClient, Base):
    __tablename__ = "treatment_plans"
    __table_args__ = (
        one_of("status", PlanStatus),
        CheckConstraint("sessions_planned >= 1", name="sessions_planned"),
        NO_ID_REUSE,
    )

    consultation_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultations.id", ondelete="SET NULL"), index=True
    )
    procedure_id: Mapped[str] = mapped_column(String(64))
    area: Mapped[str | None] = mapped_column(String(64))
    """The area treated (from the consultation); None screens every area the procedure treats."""
    sessions_planned: Mapped[int]
    status: Mapped[PlanStatus] = mapped_column(String(16), default="planned")
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_name: Mapped[str | None] = column_property(shown_name_of(created_by))
    """The practitioner who made the plan: her full name, else her e-mail address."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
