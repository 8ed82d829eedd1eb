"""Clinics and the staff accounts that work in them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    ScalarSelect,
    String,
    UniqueConstraint,
    false,
    func,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column

from corneum.db.base import NO_ID_REUSE, Base, one_of
from corneum.db.types import utcnow

Role = Literal["admin", "practitioner", "reception"]
Language = Literal["en", "ru"]
"""The languages the web app speaks; each account reads it in one of them."""


class Clinic(Base):
    __tablename__ = "clinics"
    __table_args__ = NO_ID_REUSE

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        one_of("role", Role),
        one_of("language", Language),
        UniqueConstraint("clinic_id", "email", name="uq_users_clinic_id_email"),
        NO_ID_REUSE,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    """Stored lower-case: the unique constraint is then case-insensitive on every database.
    Unique within a clinic: a person working for two clinics has an account in each."""
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(String(16))
    qualifications: Mapped[list[str]] = mapped_column(default=list)
    """Performer codes from the knowledge base (``doctor``, ``cosmetologist``)."""
    active: Mapped[bool] = mapped_column(default=True)
    full_name: Mapped[str | None] = mapped_column(String(200))
    """How pages, refusals and feeds name the person; without one, her e-mail address."""
    colour: Mapped[str | None] = mapped_column(String(7))
    """``#rrggbb``: her bookings' colour in the calendar."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    language: Mapped[Language] = mapped_column(String(8), default="en", server_default="en")
    """Chosen by the user, so the web app speaks it on every device they sign in on."""
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    """The base32 secret of the user's authenticator app (time-based one-time codes, RFC 6238);
    set at enrolment, used only once ``totp_enabled``."""
    totp_enabled: Mapped[bool] = mapped_column(default=False, server_default=false())
    """Whether signing in needs a one-time code besides the password."""
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    """The 30-second step of the last code accepted: a code is good once."""

    @property
    def shown_name(self) -> str:
        """Her full name, or her e-mail address when none is given."""
        return self.full_name or self.email

    @property
    def second_factor(self) -> bool:
        """Whether the account signs in with a one-time code too (as the API shows it)."""
        return self.totp_enabled


def shown_name_of(user_id: Any) -> ScalarSelect[str]:
    """How a table's reference to a user (``user_id``, its column) is shown: her full name,
    else her e-mail address; for a ``column_property`` beside the id."""
    return (
        select(func.coalesce(User.full_name, User.email))
        .where(User.id == user_id)
        .correlate_except(User)
        .scalar_subquery()
    )
