"""Consultations as the API gives them; they are created from validated values, not raw input."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from corneum.records.fields import Output


class ConsultationRead(Output):
    id: int
    client_id: int
    profile: dict[str, Any]
    assessment: dict[str, Any]
    kb_version: str
    kb_sha256: str
    created_by: int | None
    created_at: datetime
