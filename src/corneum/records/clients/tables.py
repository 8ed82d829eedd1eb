"""Clients of a clinic, with their medical history, medications and allergies."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from corneum.db.base import NO_ID_REUSE, Base, one_of
from corneum.db.types import utcnow
from corneum.records.accounts.tables import Language

HistoryStatus = Literal["active", "resolved"]
Sex = Literal["female", "male", "other"]
ReferralSource = Literal[
    "recommendation", "search", "social_media", "advertising", "walk_in", "doctor", "other"
]
"""How a client heard of the clinic."""
NAME_KEY = String(401).with_variant(String(401, collation="C"), "postgresql")
"""Folded names sort by code point on PostgreSQL as on SQLite, whatever the server's locale,
so a list pages the same on both."""


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
        one_of("sex", Sex),
        one_of("preferred_language", Language),
        one_of("referral_source", ReferralSource),
        Index("ix_clients_clinic_id_name_key", "clinic_id", "name_key", "id"),
        Index("ix_clients_clinic_id_phone_digits", "clinic_id", "phone_digits"),
        Index("ix_clients_clinic_id_email_key", "clinic_id", "email_key"),
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
    sex: Mapped[Sex | None] = mapped_column(String(16))
    preferred_language: Mapped[Language | None] = mapped_column(String(8))
    """The language the client reads (consent texts, handouts, reminders)."""
    emergency_contact: Mapped[str | None] = mapped_column(Text)
    referral_source: Mapped[ReferralSource | None] = mapped_column(String(32))
    marketing_consent: Mapped[bool] = mapped_column(default=False, server_default=false())
    marketing_consent_at: Mapped[datetime | None]
    """When the client last agreed to marketing messages; None while they have not."""
    notes: Mapped[str | None] = mapped_column(Text)
    name_key: Mapped[str] = mapped_column(NAME_KEY, default="")
    """The names folded (``casefold``, Cyrillic yo as ye), family name first: what a search by
    any part of a name, in any script and case, matches on every database, and the order of
    the list by name. Kept by the service whenever a name changes."""
    email_key: Mapped[str | None] = mapped_column(String(254))
    """The e-mail address folded, for search and duplicates."""
    phone_digits: Mapped[str | None] = mapped_column(String(50))
    """The phone number's digits only, for search and duplicates in any format."""
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
