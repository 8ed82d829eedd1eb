"""Treatment plans as the API and the CLI take and give them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field

from corneum.records.fields import AreaCode, Input, Note, Output, ProcedureId, RecordId
from corneum.records.patch_tests.schemas import PreStepRead
from corneum.records.plans.tables import PlanStatus

SessionCount = Annotated[int, Field(ge=1, le=100)]


class PlanCreate(Input):
    procedure_id: ProcedureId
    sessions_planned: SessionCount
    consultation_id: RecordId | None = None
    """The consultation whose assessment the plan follows, if any."""
    area: AreaCode | None = None
    """The area treated; by default the consultation's, else every area the procedure treats
    is screened."""
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
    area: str | None
    sessions_planned: int
    status: PlanStatus
    note: str | None
    created_by: int | None
    created_by_name: str | None = None
    """The practitioner who made it: her full name, else her e-mail address."""
    created_at: datetime
    updated_at: datetime
    pre_steps: list[PreStepRead] = Field(default_factory=list)
    """What the course asks for before its first session (a patch test), with the days it
    may be done on and whether it is: see :func:`corneum.records.plans.service.plan_read`."""


class PlanSummaryRead(BaseModel):
    """What reception sees of a plan: enough to book the next session, nothing clinical (no
    consultation, no note)."""

    id: int
    client_id: int
    procedure_id: str
    status: PlanStatus
    sessions_planned: int
    sessions_booked: int
    """Sessions scheduled or under way."""
    sessions_completed: int
