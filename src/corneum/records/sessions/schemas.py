"""Treatment sessions and what is recorded during them. Times must carry a time zone."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Self

from pydantic import Field, model_validator

from corneum.records.fields import Input, Moment, Name, Note, Output, RecordId
from corneum.records.sessions.tables import SessionStatus, Severity

StageIndex = Annotated[int, Field(ge=0, le=100)]
Text = Annotated[str, Field(min_length=1, max_length=10_000)]


class Timed(Input):
    started_at: Moment | None = None
    ended_at: Moment | None = None

    @model_validator(mode="after")
    def _ends_after_start(self) -> Self:
        if self.started_at and self.ended_at and self.ended_at < self.started_at:
            raise ValueError("ended_at is before started_at")
        return self


class SessionCreate(Input):
    practitioner_id: RecordId
    scheduled_at: Moment


class SessionUpdate(Timed):
    practitioner_id: RecordId | None = None
    scheduled_at: Moment | None = None
    status: SessionStatus | None = None


class StageCreate(Timed):
    stage_index: StageIndex
    name: Name
    started_at: Moment


class StageSkip(Input):
    """A stage not performed, and why (the client declined it, the skin did not allow it)."""

    reason: Annotated[str, Field(min_length=1, max_length=2_000)]


class AcknowledgementCreate(Input):
    """The practitioner's acknowledgement of the cautions screening finds for the session."""

    reasons: list[Annotated[str, Field(min_length=1, max_length=200)]] | None = None
    """The cautions acknowledged, each as ``rule|code``; when given, they must be all of them.
    Left out: all of the cautions screening finds now."""
    note: Note | None = None


class CautionRead(Output):
    """A caution screening found: the rule, the client's code, effect, source and text."""

    rule: str
    code: str | None
    effect: str
    source: str
    text: str
    eligible_from: str | None = None
    note: str | None = None


class StageEnd(Input):
    """When a performed stage ended: the practitioner checked it off."""

    ended_at: Moment


class ProductCreate(Input):
    name: Name
    lot_number: Annotated[str, Field(min_length=1, max_length=100)]
    stage_index: StageIndex | None = None
    agent: Name | None = None
    """One of the procedure's agents (``agent_uses``): the product is that agent, and a stage
    timed by its agent counts down its contact time."""


class ObservationCreate(Input):
    observed_at: Moment
    text: Text


class AdverseEventCreate(Input):
    occurred_at: Moment
    kind: Annotated[str, Field(min_length=1, max_length=100)]
    severity: Severity
    action_taken: Note | None = None


class StageRead(Output):
    id: int
    stage_index: int
    name: str
    started_at: datetime
    ended_at: datetime | None
    skipped: bool = False
    skip_reason: str | None = None


class ProductRead(Output):
    id: int
    name: str
    lot_number: str
    stage_index: int | None
    agent: str | None = None


class ObservationRead(Output):
    id: int
    observed_at: datetime
    text: str


class AdverseEventRead(Output):
    id: int
    occurred_at: datetime
    kind: str
    severity: Severity
    action_taken: str | None


class SessionRead(Output):
    id: int
    plan_id: int
    client_id: int
    practitioner_id: int
    practitioner_name: str | None = None
    """Her full name, else her e-mail address."""
    booking_id: int | None = None
    """The calendar booking it was started from, if any."""
    scheduled_at: datetime
    started_at: datetime | None
    ended_at: datetime | None
    status: SessionStatus
    created_at: datetime
    cautions: list[CautionRead] = Field(default_factory=list)
    """The cautions screening found for the session's day, when it started or was acknowledged."""
    acknowledged_by: int | None = None
    acknowledged_at: datetime | None = None
    acknowledged_reasons: list[str] | None = None
    acknowledgement_note: str | None = None
    stages: list[StageRead]
    products: list[ProductRead]
    observations: list[ObservationRead]
    adverse_events: list[AdverseEventRead]


class SessionBookingRead(Output):
    """What reception sees of a session: when, with whom, for which plan; nothing recorded in it."""

    id: int
    plan_id: int
    client_id: int
    practitioner_id: int
    practitioner_name: str | None = None
    scheduled_at: datetime
    status: SessionStatus
