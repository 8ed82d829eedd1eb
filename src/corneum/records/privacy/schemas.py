"""What the privacy endpoints give back."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from corneum.records.fields import Output


class ErasureRead(BaseModel):
    client_id: int
    rows: dict[str, int]
    """How many rows went from each table."""


class BookingExport(Output):
    """A booking as the client's export shows it: when, what, with whom, where."""

    id: int
    plan_id: int | None
    procedure_id: str
    practitioner_id: int
    room_id: int
    starts_at: datetime
    ends_at: datetime
    status: str
    created_at: datetime


class ReminderExport(Output):
    """A reminder sent (or to be sent) to the client about a booking."""

    id: int
    booking_id: int | None
    recipient: str
    subject: str
    body: str
    due_at: datetime
    sent_at: datetime | None
