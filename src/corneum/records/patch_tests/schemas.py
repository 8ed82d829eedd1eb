"""Patch tests as the API and the web app take and give them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal, Self

from pydantic import BaseModel, Field, StringConstraints, model_validator

from corneum.records.fields import Input, Moment, Name, Output, ProcedureId
from corneum.records.patch_tests.tables import PatchResult

LotNumber = Annotated[str, Field(min_length=1, max_length=100)]
PreStepState = Literal["missing", "recorded", "read", "reaction"]
Remark = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)]


class PatchReading(Input):
    """What the patch showed when it was read."""

    read_at: Moment
    result: PatchResult
    note: Remark | None = None
    """Required with a reaction: what it looked like."""

    @model_validator(mode="after")
    def _a_reaction_is_described(self) -> Self:
        if self.result == "reaction" and self.note is None:
            raise ValueError("a reaction needs a note saying what it looked like")
        return self


class PatchTestCreate(Input):
    procedure_id: ProcedureId
    agent: Name | None = None
    """One of the procedure's agents, where it lists them."""
    product: Name
    lot_number: LotNumber
    applied_at: Moment
    reading: PatchReading | None = None
    """Given when the test is recorded after it was read."""


class PatchTestRead(Output):
    id: int
    client_id: int
    procedure_id: str
    agent: str | None
    product: str
    lot_number: str
    applied_at: datetime
    applied_by: int | None
    read_at: datetime | None
    read_by: int | None
    result: PatchResult | None
    note: str | None


class PreStepRead(BaseModel):
    """A step the plan's course asks for before its first session, with the days it may be
    done on: counted back from the first session once it is booked, else from the earliest day
    the course may start (the day a course proposal starts from)."""

    id: str
    name: str
    days_before_min: int
    days_before_max: int | None
    first_session_on: date | None
    """The day of the plan's first session, once booked."""
    counted_from: date
    """The first session's day the window is counted back from: the booked one, else the
    earliest the course may start."""
    earliest: date | None
    """None where the knowledge base sets no longest wait."""
    latest: date
    state: PreStepState
    """``read``: a patch test applied in the window was read with no reaction; ``reaction``:
    one showed a reaction; ``recorded``: one is applied and waits to be read; ``missing``:
    none was applied in the window."""
    patch_test_id: int | None
    """The patch test the state is about."""
    source: str
    """The knowledge base's source for the step (its id)."""
