"""Texts the portal's Python chooses and its templates translate (marked for ``pybabel``)."""

from __future__ import annotations

from corneum.phrase import N_

LINK_REFUSED = {
    "unknown": N_("This link does not work. Please ask the clinic to send you a new one."),
    "expired": N_("This link has expired. Please ask the clinic to send you a new one."),
    "revoked": N_("This link has been withdrawn. Please ask the clinic to send you a new one."),
    "spent": N_(
        "Too many wrong answers were given with this link, so it no longer works. "
        "Please ask the clinic to send you a new one."
    ),
}
SIGNED_OUT = N_("You are signed out. To sign in again, open the link from your message.")
WRONG_CODE = N_("That code is not right, or it has expired. Please try again.")
WRONG_BIRTH_DATE = N_("That date of birth does not match our record. Please try again.")
CODE_SENT = N_("We have sent a code to %(contact)s.")
CODE_WAIT = N_("A code was sent less than a minute ago. Please check your e-mail.")
NO_CONTACT = N_("We have no e-mail address for you. Please call the clinic to sign in.")
NO_BIRTH_DATE = N_("The clinic has no date of birth on record for you. Please call the clinic.")
FORM_REFUSED = N_("This form has expired. Please go back, reload the page and try again.")
NOT_FOUND = N_("There is nothing here.")
TOO_LATE = N_(
    "This appointment is less than %(hours)s hours away, so it cannot be cancelled here. "
    "Please call the clinic."
)
CANCELLED = N_("Your appointment has been cancelled.")
