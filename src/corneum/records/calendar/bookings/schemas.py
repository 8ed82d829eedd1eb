"""The calendar as the API and the CLI take and give it.

Moments are given with their time zone and answered in UTC; slots and proposals also carry the
clinic's wall-clock time (``local_start``), the time a receptionist says on the phone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, model_validator

from corneum.records.calendar.bookings.tables import BookingAction, BookingStatus, CancelReason
from corneum.records.fields import (
    Input,
    Moment,
    Output,
    ProcedureId,
    RecordId,
)
from corneum.records.sessions.schemas import CautionRead


class SlotRead(BaseModel):
    start: datetime
    end: datetime
    local_start: str
    """The clinic's wall-clock time, without a zone (``2026-11-30T10:00:00``): a string, as
    OpenAPI's ``date-time`` must carry an offset."""
    practitioner_id: int
    room_id: int
    device_ids: dict[str, int]


class BookingCreate(Input):
    """A plan's session (the procedure is the plan's) or a single visit of a client."""

    plan_id: RecordId | None = None
    client_id: RecordId | None = None
    procedure_id: ProcedureId | None = None
    start: Moment
    practitioner_id: RecordId | None = None
    """None: the first qualified practitioner free then."""
    room_id: RecordId | None = None
    """None: the first room free then."""

    @model_validator(mode="after")
    def _whose(self) -> BookingCreate:
        if (self.plan_id is None) == (self.client_id is None):
            raise ValueError("give either plan_id or client_id")
        if self.client_id is not None and self.procedure_id is None:
            raise ValueError("procedure_id is needed with client_id")
        return self


class WalkIn(Input):
    """A client at the desk without a booking, for a procedure now."""

    client_id: RecordId
    procedure_id: ProcedureId


class RescheduleRequest(Input):
    start: Moment
    practitioner_id: RecordId | None = None
    """None: keep the practitioner."""
    room_id: RecordId | None = None
    version: Annotated[int, Field(ge=1)] | None = None
    """The version the caller saw; an older one is refused (409) rather than overwritten."""
    check_only: bool = False
    """Only say what would conflict; move nothing."""


class CancelRequest(Input):
    version: Annotated[int, Field(ge=1)] | None = None
    reason: CancelReason | None = None
    """Why (a code: nothing personal); kept on the booking and in its audit row."""


class BookingRead(Output):
    id: int
    client_id: int
    plan_id: int | None
    procedure_id: str
    practitioner_id: int
    practitioner_name: str | None = None
    """Her full name, else her e-mail address."""
    room_id: int
    device_ids: dict[str, int]
    start: datetime
    end: datetime
    status: BookingStatus
    version: int
    cancel_reason: CancelReason | None = None
    cautions: list[CautionRead] = Field(default_factory=list)
    """The cautions screening found for its day when it was booked or last moved."""


class BookingEventRead(Output):
    action: BookingAction
    actor_id: int | None
    at: datetime
    old_starts_at: datetime | None
    new_starts_at: datetime | None
    old_practitioner_id: int | None
    new_practitioner_id: int | None


class BookingDetailRead(BookingRead):
    history: list[BookingEventRead]
    flagged: list[CautionRead] = Field(default_factory=list)
    """Contraindications screening finds now for the booking's day, from the record as it
    stands (a condition or a medication recorded since it was made): the session cannot start
    until someone moves or cancels the booking, or the record changes."""


class ConflictRead(BaseModel):
    session: int
    """1-based number of the session in the course."""
    message: str


class CheckRead(BaseModel):
    conflicts: list[ConflictRead]
