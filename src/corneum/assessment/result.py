"""What an assessment returns: plain frozen values, cheap to build and to serialise."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, NamedTuple

Verdict = Literal["suitable", "caution", "contraindicated"]
ReasonEffect = Literal[
    "contraindicated",
    "refer",
    "relative_contraindication",
    "caution",
    "allowed",
    "out_of_area",
    "indicated",
    "no_contraindication",
]


@dataclass(frozen=True, slots=True)
class Reason:
    rule: str
    """The rule's id in the knowledge base (``owner.local_id``)."""
    code: str | None
    """The code in the client's profile that matched (a medication, condition, concern...)."""
    effect: ReasonEffect
    source: str
    text: str
    eligible_from: date | None = None
    """For a rule with a wash-out window: the first day the rule no longer holds."""
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "code": self.code,
            "effect": self.effect,
            "source": self.source,
            "text": self.text,
            "eligible_from": self.eligible_from.isoformat() if self.eligible_from else None,
            "note": self.note,
        }


class ProcedureVerdict(NamedTuple):
    """One procedure's verdict. A named tuple: built nine times per assessment, it is the
    cheapest immutable value Python has."""

    id: str
    name: str
    verdict: Verdict
    score: float
    """Fit to the client's concerns, 0 to 1: matched indication weights over the most possible."""
    area_covered: bool
    reasons: tuple[Reason, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "verdict": self.verdict,
            "score": self.score,
            "area_covered": self.area_covered,
            "reasons": [r.to_dict() for r in self.reasons],
        }


@dataclass(frozen=True, slots=True)
class Assessment:
    knowledge_base_version: str
    knowledge_base_sha256: str
    assessed_on: date
    procedures: tuple[ProcedureVerdict, ...]
    recommended: tuple[str, ...]
    """Procedure ids to offer, best first; never a contraindicated one."""
    referrals: tuple[Reason, ...] = ()
    """Red flags found (effect ``refer``), each once: refer the client to a dermatologist
    before any procedure the flag holds for."""

    def verdict(self, procedure_id: str) -> ProcedureVerdict:
        for item in self.procedures:
            if item.id == procedure_id:
                return item
        raise KeyError(procedure_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "knowledge_base": {
                "version": self.knowledge_base_version,
                "sha256": self.knowledge_base_sha256,
            },
            "assessed_on": self.assessed_on.isoformat(),
            "procedures": [p.to_dict() for p in self.procedures],
            "recommended": list(self.recommended),
            "referrals": [r.to_dict() for r in self.referrals],
        }
