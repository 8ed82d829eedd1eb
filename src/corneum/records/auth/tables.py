"""Issued tokens and sign-in limits. Only hashes are stored: a stolen database yields no
usable token and no email address."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy import Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from corneum.db.base import Base, one_of
from corneum.db.types import utcnow

TokenKind = Literal["bearer", "cookie"]


class AuthToken(Base):
    __tablename__ = "auth_tokens"
    __table_args__ = (one_of("kind", TokenKind),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[TokenKind] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class SignInLimit(Base):
    """How far one e-mail address's sign-ins are slowed: its failures since the last success and
    when the next attempt may be checked. Keyed by a hash of the address, known or not (a
    limit only on known ones would tell which addresses have accounts). One row per address,
    locked while an attempt is counted, so parallel attempts cannot all pass one check."""

    __tablename__ = "sign_in_limits"

    email_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    next_at: Mapped[datetime | None]
    """No attempt is checked before then; None: at once."""
    last_at: Mapped[datetime] = mapped_column(index=True)
    """The last attempt counted; rows quiet for long are forgotten."""


class SignInBucket(Base):
    """One client address's (or, keyed ``overall``, the whole server's) sign-in allowance,
    shared by every server process on PostgreSQL: a token bucket refilled over a minute, and
    the growing wait of an address that keeps failing. Keyed by a hash of the address."""

    __tablename__ = "sign_in_buckets"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    tokens: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(index=True)
    """The last attempt counted; rows quiet for an hour are forgotten."""
    failures: Mapped[int] = mapped_column(default=0)
    next_at: Mapped[datetime | None]
    """No attempt from the address is let through before then; None: at once."""
