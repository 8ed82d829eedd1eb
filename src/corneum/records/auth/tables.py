"""Issued tokens and login attempts. Only hashes are stored: a stolen database yields no
usable token and no email address."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy import ForeignKey, String
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


class LoginAttempt(Base):
    """A failed sign-in, keyed by a hash of the email, for rate limiting."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email_sha256: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(index=True)
