"""Texts of the outcome pages made in Python, marked for translation (see :mod:`messages`)."""

from __future__ import annotations

from corneum.phrase import N_

COUNT_INVALID = N_("Give a whole number, 0 or more.")
GRADE_INVALID = N_("Choose a grade of this scale.")
NOTE_TOO_LONG = N_("The note is too long.")
PHOTO_FILE_INVALID = N_("Choose a JPEG, PNG or HEIC photo no larger than the limit.")
OUTCOME = N_("Outcome")
MOMENTS = {"before": N_("Before"), "after": N_("After")}
LESION_GROUPS = {
    "non_inflammatory": N_("Comedones (non-inflammatory)"),
    "inflammatory": N_("Papules and pustules (inflammatory)"),
    "nodular": N_("Nodules"),
}
