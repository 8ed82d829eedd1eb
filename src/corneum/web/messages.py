"""Texts made in Python and shown in pages: marked with :func:`N_` so ``pybabel extract -k N_``
finds them; the templates translate them when they show them."""

from __future__ import annotations

from corneum.phrase import N_

WRONG_CREDENTIALS = N_("The email or password is wrong, or the account is inactive.")
TOO_MANY_ATTEMPTS = N_("Too many failed sign-ins. Wait a few minutes and try again.")
ACCOUNT_WAITS = N_(
    "Too many wrong passwords for this account: sign-in is slowed down for a while. "
    "If you have set up a one-time code, enter it to sign in now."
)
SIGN_IN_BUSY = N_("The server is busy signing people in. Try again in a moment.")
CODE_NEEDED = N_("Enter the one-time code from your authenticator app.")
PASSWORD_CHANGED = N_("Your password is changed. Your other sessions have ended.")
SECOND_FACTOR_ON = N_("The one-time code is on: signing in needs it from now on.")
SECOND_FACTOR_OFF = N_("The one-time code is off.")
REQUIRED = N_("Required.")
CSRF_REFUSED = N_("This form has expired or did not come from Corneum. Reload the page and retry.")
FORBIDDEN = N_("Your role does not give access to this page.")
NOT_FOUND = N_("Not found.")
CHOOSE_FROM_LIST = N_("Choose one of the options.")
INVALID_DATE = N_("Give a date in the past.")
STORAGE_FULL = N_(
    "The disk for photos is full: nothing was saved. Tell the clinic's administrator."
)
STORAGE_FAILED = N_(
    "Photos cannot be saved just now: nothing was saved. Tell the clinic's administrator."
)
NUL_REFUSED = N_("A field of this form holds a NUL character, which no text may contain.")

VERDICTS = {
    "suitable": N_("Suitable"),
    "caution": N_("Caution"),
    "contraindicated": N_("Contraindicated"),
}
EFFECTS = {
    "contraindicated": N_("Absolute contraindication"),
    "relative_contraindication": N_("Relative contraindication"),
    "caution": N_("Caution"),
    "allowed": N_("No bar"),
    "out_of_area": N_("Does not treat this area"),
    "indicated": N_("Indicated"),
    "no_contraindication": N_("No contraindication found"),
    "refer": N_("Refer to a dermatologist"),
}
HISTORY_STATUS = {"active": N_("active"), "resolved": N_("resolved")}
BOOKING_STATUS = {
    "booked": N_("booked"),
    "cancelled": N_("cancelled"),
    "done": N_("done"),
    "arrived": N_("arrived"),
    "late_cancelled": N_("cancelled late"),
    "no_show": N_("no-show"),
}
PLAN_STATUS = {
    "planned": N_("planned"),
    "active": N_("active"),
    "completed": N_("completed"),
    "cancelled": N_("cancelled"),
}
ROLES = {
    "admin": N_("Administrator"),
    "practitioner": N_("Practitioner"),
    "reception": N_("Reception"),
}
