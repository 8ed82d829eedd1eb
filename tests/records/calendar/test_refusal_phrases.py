"""A place PostgreSQL's exclusion constraint found taken by a concurrent request: named from the
constraint's detail in the same English as before, as a phrase a page can say in Russian."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

from sqlalchemy.exc import IntegrityError

from corneum.phrase import Phrase
from corneum.planning.calendar import RESOURCES
from corneum.planning.slots import Slot
from corneum.records.calendar.bookings import service

SLOT = Slot(datetime(2026, 11, 30, 10, 0), practitioner_id=3, room_id=1, device_ids=())
DETAIL = (
    "Key (resource_kind, resource_id, tstzrange(starts_at, ends_at))=(practitioner, 3, "
    '["2026-11-30 09:00:00+00","2026-11-30 10:20:00+00")) conflicts with existing key'
)


def refused(detail: str | None) -> IntegrityError:
    orig = SimpleNamespace(diag=SimpleNamespace(message_detail=detail))
    return IntegrityError("INSERT INTO booking_holds", {}, orig)  # type: ignore[arg-type]


def test_the_taken_resource_is_named_from_the_constraints_detail() -> None:
    phrase = service._taken(refused(DETAIL), SLOT)
    assert (
        phrase.text == "practitioner 3 was booked at 2026-11-30 10:00 by another request just now"
    )
    assert phrase.template == service.TAKEN
    resource = phrase.values["resource"]
    assert isinstance(resource, Phrase)
    assert resource.template == RESOURCES["practitioner"]


def test_without_a_detail_the_refusal_names_a_resource() -> None:
    phrase = service._taken(refused(None), SLOT)
    assert phrase.text == "a resource was booked at 2026-11-30 10:00 by another request just now"
