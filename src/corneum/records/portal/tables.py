"""The client's side: a clinic's portal settings, the client's language, the personal links
staff send a client, and the portal sessions a link signs in. Tokens and one-time codes are
stored only as hashes: a stolen database opens no portal."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from corneum.db.base import NO_ID_REUSE, Base, one_of
from corneum.db.types import utcnow
from corneum.records.accounts.tables import Language
from corneum.records.clients.tables import OwnedByClient

SignInCheck = Literal["code", "date_of_birth"]
"""What a client gives besides her link: a one-time code sent to her e-mail on record, or her
date of birth."""
DEFAULT_CANCEL_NOTICE_HOURS = 24
DEFAULT_LINK_DAYS = 7


class PortalSettings(Base):
    """A clinic's portal settings; a clinic without a row uses the defaults."""

    __tablename__ = "portal_settings"
    __table_args__ = (
        one_of("sign_in_check", SignInCheck),
        CheckConstraint("cancel_notice_hours BETWEEN 0 AND 720", name="cancel_notice_hours"),
        CheckConstraint("link_days BETWEEN 1 AND 30", name="link_days"),
    )

    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), primary_key=True)
    sign_in_check: Mapped[SignInCheck] = mapped_column(String(16), default="code")
    cancel_notice_hours: Mapped[int] = mapped_column(default=DEFAULT_CANCEL_NOTICE_HOURS)
    """A client may cancel in the portal up to this long before the appointment; later, the
    portal asks her to call the clinic."""
    link_days: Mapped[int] = mapped_column(default=DEFAULT_LINK_DAYS)
    """How long a personal link stays good."""
    clinic_phone: Mapped[str | None] = mapped_column(String(50))
    """The number the portal asks a client to call."""


class ClientPreference(Base):
    """How the client wants to be addressed: the language the portal (and, later, messages)
    speak to her."""

    __tablename__ = "client_preferences"
    __table_args__ = (one_of("language", Language),)

    client_id: Mapped[int] = mapped_column(
        ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[Language] = mapped_column(String(8), default="en")


class PortalLink(OwnedByClient, Base):
    """A personal link sent to a client: good until it expires or is revoked, and only
    together with a one-time code (or the client's date of birth)."""

    __tablename__ = "portal_links"
    __table_args__ = NO_ID_REUSE

    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    code_sha256: Mapped[str | None] = mapped_column(String(64))
    """The one-time code last sent for this link (hashed with the link's token), until used."""
    code_expires_at: Mapped[datetime | None]
    code_sent_at: Mapped[datetime | None]
    failures: Mapped[int] = mapped_column(default=0)
    """Wrong codes or dates of birth given with this link; at the limit the link is spent."""


class PortalSession(OwnedByClient, Base):
    """A client signed in to the portal through a link, for a short while."""

    __tablename__ = "portal_sessions"
    __table_args__ = NO_ID_REUSE

    link_id: Mapped[int] = mapped_column(
        ForeignKey("portal_links.id", ondelete="CASCADE"), index=True
    )
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
