"""The audit log: who did what to which record, when. Append-only; never holds personal data."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from corneum.db.base import NO_ID_REUSE, Base, one_of
from corneum.db.types import utcnow

Action = Literal[
    "read", "create", "update", "delete", "export", "erase", "login", "login_failed", "logout"
]


class AuditEvent(Base):
    """One audited act. ``client_id`` is a bare number, not a foreign key: the trail of an erased
    client must outlive the client. The migration adds triggers refusing UPDATE and DELETE."""

    __tablename__ = "audit_events"
    __table_args__ = (one_of("action", Action), NO_ID_REUSE)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    """The user who acted; none for the system itself (or a client, below)."""
    actor_client_id: Mapped[int | None] = mapped_column(index=True)
    """The client who acted herself, through the portal (a bare number, like ``client_id``)."""
    action: Mapped[Action] = mapped_column(String(16))
    resource_type: Mapped[str] = mapped_column(String(64))
    resource_id: Mapped[str | None] = mapped_column(String(64))
    client_id: Mapped[int | None] = mapped_column(index=True)
    clinic_id: Mapped[int | None] = mapped_column(ForeignKey("clinics.id"), index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """Ids, counts and field names only: never a name, a contact detail or a clinical fact."""
