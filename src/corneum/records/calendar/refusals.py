"""Refusals the calendar's services share, worded as phrases (:mod:`corneum.phrase`) so the
web app shows them in its user's language while the API answers the English."""

from __future__ import annotations

from corneum.phrase import N_, Phrase
from corneum.records.calendar.bookings.tables import Booking
from corneum.records.errors import ConflictError, InvalidInputError, Problem

NOT_BOOKED = {
    "cancelled": N_("booking %(booking)s is cancelled"),
    "done": N_("booking %(booking)s is done"),
    "arrived": N_("booking %(booking)s is checked in: the client is here"),
    "late_cancelled": N_("booking %(booking)s was cancelled late"),
    "no_show": N_("booking %(booking)s is a no-show"),
}
"""What a booking that can no longer change or be run is, by its status."""


def not_booked(row: Booking) -> ConflictError:
    """The refusal to move, cancel or run a booking that is cancelled or done."""
    return ConflictError("status", Phrase(NOT_BOOKED[row.status], {"booking": row.id}))


def invalid(field: str, phrase: Phrase) -> InvalidInputError:
    """A request field the calendar refuses, located as the API locates a body field."""
    problem = Problem(loc=("body", field), msg=phrase.text, type="value_error", phrase=phrase)
    return InvalidInputError([problem])
