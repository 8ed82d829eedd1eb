"""Treatment sessions and what happened in them: stages, products, observations, adverse events."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from corneum.db.base import NO_ID_REUSE, Base, one_of
from corneum.db.types import utcnow
from corneum.records.accounts.tables import shown_name_of
from corneum.records.clients.tables import OwnedByClient

SessionStatus = Literal["scheduled", "in_progress", "completed", "cancelled", "no_show"]
Severity = Literal["mild", "moderate", "severe"]

ENDS_AFTER_START = "ended_at IS NULL OR started_at IS NULL OR ended_at >= started_at"


def session_fk() -> ForeignKey:
    return ForeignKey("treatment_sessions.id", ondelete="CASCADE")


class TreatmentSession(OwnedByClient, Base):
    __tablename__ = "treatment_sessions"
    __table_args__ = (
        one_of("status", SessionStatus),
        CheckConstraint(ENDS_AFTER_START, name="times"),
        NO_ID_REUSE,
    )

    plan_id: Mapped[int] = mapped_column(
        ForeignKey("treatment_plans.id", ondelete="CASCADE"), index=True
    )
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    practitioner_name: Mapped[str | None] = column_property(shown_name_of(practitioner_id))
    """The practitioner's full name, else her e-mail address."""
    booking_id: Mapped[int | None] = mapped_column(
        ForeignKey("bookings.id", ondelete="SET NULL"), index=True, unique=True
    )
    """The calendar booking the session was started from, if any."""
    scheduled_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    status: Mapped[SessionStatus] = mapped_column(String(16), default="scheduled")
    cautions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    """The cautions screening found when the session started (stored reasons)."""
    acknowledged_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    acknowledged_at: Mapped[datetime | None]
    acknowledged_reasons: Mapped[list[str] | None] = mapped_column(JSON)
    """The keys (``rule|code``) of the cautions the practitioner acknowledged."""
    acknowledgement_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    stages: Mapped[list[PerformedStage]] = relationship(
        order_by="PerformedStage.stage_index", passive_deletes=True
    )
    products: Mapped[list[ProductUse]] = relationship(
        order_by="ProductUse.id", passive_deletes=True
    )
    observations: Mapped[list[Observation]] = relationship(
        order_by="Observation.observed_at", passive_deletes=True
    )
    adverse_events: Mapped[list[AdverseEvent]] = relationship(
        order_by="AdverseEvent.occurred_at", passive_deletes=True
    )


class PerformedStage(Base):
    """A protocol stage as performed; ``stage_index`` is its place in the procedure's stages."""

    __tablename__ = "session_stages"
    __table_args__ = (
        UniqueConstraint("session_id", "stage_index"),
        CheckConstraint("stage_index >= 0", name="stage_index"),
        CheckConstraint(ENDS_AFTER_START, name="times"),
        NO_ID_REUSE,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(session_fk(), index=True)
    stage_index: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    skipped: Mapped[bool] = mapped_column(default=False)
    """Not performed: recorded so the protocol can go on, with the reason why."""
    skip_reason: Mapped[str | None] = mapped_column(Text)


class ProductUse(Base):
    """A product applied in a session, with its lot number so a recall can find the clients."""

    __tablename__ = "session_products"
    __table_args__ = NO_ID_REUSE

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(session_fk(), index=True)
    name: Mapped[str] = mapped_column(String(200))
    lot_number: Mapped[str] = mapped_column(String(100), index=True)
    stage_index: Mapped[int | None]
    agent: Mapped[str | None] = mapped_column(String(200))
    """The procedure's agent the product is (its contact time runs an agent-timed stage)."""


class Observation(Base):
    __tablename__ = "session_observations"
    __table_args__ = NO_ID_REUSE

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(session_fk(), index=True)
    observed_at: Mapped[datetime]
    text: Mapped[str] = mapped_column(Text)


class AdverseEvent(Base):
    __tablename__ = "adverse_events"
    __table_args__ = (one_of("severity", Severity), NO_ID_REUSE)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(session_fk(), index=True)
    occurred_at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(100))
    severity: Mapped[Severity] = mapped_column(String(16))
    action_taken: Mapped[str | None] = mapped_column(Text)
