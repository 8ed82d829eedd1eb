"""Texts of the plan and calendar pages made in Python, marked with :func:`N_` for the
templates to translate."""

from __future__ import annotations

from corneum.phrase import N_

WEEKDAYS = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)
"""By ``date.weekday()``: Monday = 0."""
CANCEL_REASONS = {
    "client_request": N_("The client asked to cancel"),
    "client_unwell": N_("The client is unwell"),
    "practitioner_unavailable": N_("The practitioner is unavailable"),
    "equipment_unavailable": N_("The equipment is unavailable"),
    "clinical_decision": N_("A clinical decision"),
    "other": N_("Another reason"),
}
HISTORY_ACTIONS = {
    "create": N_("Booked"),
    "cancel": N_("Cancelled"),
    "reschedule": N_("Moved"),
}
RESOURCE_KINDS = {
    "practitioner": N_("Practitioner"),
    "room": N_("Room"),
    "device": N_("Device"),
}
HOLDS_PRACTITIONER = N_("practitioner")
INVALID_DAY = N_("Give a date as YYYY-MM-DD.")
INVALID_TIME = N_("Give a time as HH:MM.")
DAY_OUT_OF_RANGE = N_("Give a date between 1900 and 2999.")
ENDS_BEFORE_STARTS = N_("The end must be after the start.")
CHOOSE_REASON = N_("Choose a reason.")
CALENDAR_CHANGED = N_(
    "The calendar changed since these times were proposed. "
    "Check the new proposal and confirm again."
)
CONTRAINDICATED = N_("This procedure is contraindicated for the client; no plan can follow it.")
NOT_IN_ASSESSMENT = N_("This procedure is not part of the assessment.")
