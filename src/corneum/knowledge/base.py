"""The loaded knowledge base: validated models plus the indexes the assessment engine reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from corneum.knowledge.model import (
    BookingDefaults,
    HomeCarePlan,
    Indication,
    LesionKind,
    Manifest,
    MedicationTerm,
    PathwayStep,
    Procedure,
    RuleSet,
    Scale,
    SequencingRule,
    Source,
    Vocabulary,
)

Effect = Literal["contraindicated", "refer", "relative_contraindication", "caution", "allowed"]
SubjectKind = Literal["condition", "allergy", "skin_type", "phototype", "age", "area"]


def age_token(under_age: int) -> str:
    """The token of the rules holding under an age; a client younger than ``under_age``
    carries it (see ``KnowledgeBase.age_thresholds``)."""
    return f"@under:{under_age}"


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A rule as the engine applies it: its owner resolved into a global id and an effect."""

    id: str
    effect: Effect
    subject: SubjectKind
    code: str | None
    phototypes: frozenset[int]
    areas: frozenset[str]
    washout_months: int | None
    washout_days: int | None
    reason: str
    source: str
    note: str | None
    under_age: int | None = None
    local: bool = False
    """The rule is about the treated skin: a condition the profile places elsewhere does not
    trigger it."""


@dataclass(frozen=True, slots=True)
class IndexedRule:
    procedure_id: str
    position: int
    """The rule's place in ``KnowledgeBase.rules[procedure_id]``."""
    rule: CompiledRule


def phototype_token(value: int) -> str:
    return f"fitzpatrick_{value}"


def area_token(area: str) -> str:
    return f"@area:{area}"


def rule_tokens(rule: CompiledRule) -> tuple[str, ...]:
    """The client tokens a rule matches (see ``KnowledgeBase.rule_index``)."""
    if rule.code is not None:
        return (rule.code,)
    if rule.under_age is not None:
        return (age_token(rule.under_age),)
    if rule.phototypes:
        return tuple(phototype_token(p) for p in sorted(rule.phototypes))
    return tuple(area_token(a) for a in sorted(rule.areas))


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    manifest: Manifest
    sha256: str
    sources: Mapping[str, Source]
    vocabulary: Vocabulary
    procedures: tuple[Procedure, ...]
    rule_sets: Mapping[str, RuleSet]
    home_care: Mapping[str, HomeCarePlan]
    booking: Mapping[str, BookingDefaults]
    """Booking defaults of every procedure a clinic performs, by procedure id."""
    lesions: tuple[LesionKind, ...]
    """The lesion kinds counted at each session, in the order the clinic counts them."""
    scales: Mapping[str, Scale]
    """The severity scales an outcome is graded on, by id, in the order of ``scales.yaml``."""
    pathway: tuple[PathwayStep, ...]
    """The care pathway from consultation to home care, in order."""
    rules: Mapping[str, tuple[CompiledRule, ...]]
    """Every rule that applies to a procedure, by procedure id, shared sets included."""
    implied_conditions: Mapping[str, frozenset[str]]
    """Each condition with everything it entails, transitively, itself excluded."""
    medications: Mapping[str, MedicationTerm]
    labels: Mapping[str, str]
    indications: Mapping[str, Mapping[str, Indication]]
    """Each procedure's indications, by procedure id and concern code."""
    rule_index: Mapping[str, tuple[IndexedRule, ...]]
    """Every procedure's rules by the client token they match: a condition, allergy or
    skin-type code, ``fitzpatrick_N`` for a phototype, ``@under:N`` for a rule about clients
    younger than N and ``@area:<code>`` for a rule about the treated area alone."""
    age_thresholds: tuple[int, ...] = ()
    """Every ``under_age`` some rule names, ascending."""
    sequencing: tuple[SequencingRule, ...] = ()
    """The least gaps between different procedures in one plan."""

    def min_gap(self, first: str, then: str) -> SequencingRule | None:
        """The rule for ``then`` following ``first`` with the longest gap, if any."""
        found = [r for r in self.sequencing if r.first == first and r.then == then]
        return max(found, key=lambda r: r.min_days, default=None)

    @property
    def version(self) -> str:
        return self.manifest.version

    def procedure(self, procedure_id: str) -> Procedure:
        for procedure in self.procedures:
            if procedure.id == procedure_id:
                return procedure
        raise KeyError(procedure_id)

    def codes(self, kind: str) -> tuple[str, ...]:
        """The allowed codes of one vocabulary list (``concerns``, ``conditions``...)."""
        if kind == "phototypes":
            return tuple(str(term.value) for term in self.vocabulary.phototypes)
        terms = getattr(self.vocabulary, kind)
        return tuple(term.code for term in terms)

    def label(self, code: str) -> str:
        """The clinic-facing label of any vocabulary code (the code itself if unknown)."""
        return self.labels.get(code, code)
