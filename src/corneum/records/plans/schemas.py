"""Treatment plans as the API and the CLI take and give them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

from corneum.records.fields import Input, Note, Output, ProcedureId
from corneum.records.plans.tables import PlanStatus

SessionCount = Annotated[int, Field(ge=1, le=100)]


class PlanCreate(Input):
    procedure_id: ProcedureId
    sessions_planned: SessionCount
    consultation_id: int | None = None
    """The consultation whose assessment the plan follows, if any."""
    note: Note | None = None


class PlanUpdate(Input):
    sessions_planned: SessionCount | None = None
    status: PlanStatus | None = None
    note: Note | None = None


class PlanRead(Output):
    id: int
    client_id: int
    consultation_id: int | None
    procedure_id: str
    sessions_planned: int
    status: PlanStatus
    note: str | None
    created_by: int | None
    created_at: datetime
    updated_at: datetime
