"""The audit log as the API shows it to admins."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from corneum.records.audit.tables import Action


class AuditEventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    actor_id: int | None
    actor_client_id: int | None = None
    action: Action
    resource_type: str
    resource_id: str | None
    client_id: int | None
    clinic_id: int | None
    detail: dict[str, Any]
