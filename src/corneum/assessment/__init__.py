"""The assessment engine: pure functions from a client profile to verdicts with reasons."""

from corneum.assessment.engine import assess
from corneum.assessment.profile import (
    ConditionEntry,
    MedicationEntry,
    Profile,
    validate_profile,
)
from corneum.assessment.result import Assessment, ProcedureVerdict, Reason, Verdict

__all__ = [
    "Assessment",
    "ConditionEntry",
    "MedicationEntry",
    "ProcedureVerdict",
    "Profile",
    "Reason",
    "Verdict",
    "assess",
    "validate_profile",
]
