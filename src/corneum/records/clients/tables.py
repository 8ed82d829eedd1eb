"""Clients of a clinic, with their medical history, medications and allergies."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from corneum.db.base import NO_ID_REUSE, Base, one_of
from corneum.db.types import utcnow

HistoryStatus = Literal["active", "resolved"]


class OwnedByClient:
    """Mixin for a row that belongs to one client (and through the client to one clinic).

    The foreign key cascades, so no row of a client outlives the client's erasure.
    """

    __tablename__: Any

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-2)
    client_id: Mapped[int] = mapped_column(
        ForeignKey("clients.id", ondelete="CASCADE"), index=True, sort_order=-1
    )


class Client(Base):
    __tablename__ = "clients"
    __table_args__ = (
        CheckConstraint("phototype BETWEEN 1 AND 6", name="phototype"),
        NO_ID_REUSE,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    given_name: Mapped[str] = mapped_column(String(200))
    family_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(50))
    address: Mapped[str | None] = mapped_column(Text)
    date_of_birth: Mapped[date | None]
    skin_type: Mapped[str | None] = mapped_column(String(64))
    phototype: Mapped[int | None]
    """Fitzpatrick phototype, 1 to 6."""
    risk_factors: Mapped[list[str]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class HistoryEntry(OwnedByClient, Base):
    """A condition the client has or had, by knowledge-base code."""

    __tablename__ = "medical_history"
    __table_args__ = (
        one_of("status", HistoryStatus),
        CheckConstraint(
            "ended_on IS NULL OR started_on IS NULL OR ended_on >= started_on", name="dates"
        ),
        NO_ID_REUSE,
    )

    condition_code: Mapped[str] = mapped_column(String(64))
    status: Mapped[HistoryStatus] = mapped_column(String(16))
    started_on: Mapped[date | None]
    ended_on: Mapped[date | None]
    """The day it resolved (status ``resolved``); screening from that day on ignores it."""
    expected_end_on: Mapped[date | None]
    """For a temporary condition (a sunburn, a flare, a pregnancy): the day it is expected to
    be over. Screening for a day from then on no longer counts it, so a booking after a
    sunburn has healed is not refused; the day itself is screened again."""
    area: Mapped[str | None] = mapped_column(String(64))
    """Where on the body (an area code), when it is confined to one; None for everywhere or
    not stated, which screening reads as in the treated area."""
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Medication(OwnedByClient, Base):
    __tablename__ = "medications"
    __table_args__ = NO_ID_REUSE

    code: Mapped[str] = mapped_column(String(64))
    last_taken: Mapped[date | None]
    """The last dose, if stopped; none while the client still takes it."""
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Allergy(OwnedByClient, Base):
    __tablename__ = "allergies"
    __table_args__ = NO_ID_REUSE

    allergen: Mapped[str] = mapped_column(String(200))
    """The allergen as the client names it."""
    code: Mapped[str | None] = mapped_column(String(64))
    """The knowledge base's allergy code, which screening reads; None for an allergen the
    knowledge base has no rule about (it is still shown to the practitioner)."""
    reaction: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
