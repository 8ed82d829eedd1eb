"""The clinical knowledge base as frozen, validated values.

Every model forbids unknown keys, so a typo in a data file is a load error rather than a
silently ignored fact. Cross-references (a rule naming a code, a fact citing a source) are
checked by :mod:`corneum.knowledge.load`, which sees all files at once.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Code = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
SourceId = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$", max_length=64)]
Text = Annotated[str, Field(min_length=1)]
Phototype = Annotated[int, Field(ge=1, le=6)]
Severity = Literal["absolute", "relative"]
Evidence = Literal["seed", "A", "B", "C"]
"""Strength of a source: a seed document, A (guideline, professional body, peer-reviewed paper),
B (textbook chapter, consumer health page, trial exclusion criteria), C (clinic practice only)."""
SourceKind = Literal[
    "seed",
    "guideline",
    "review",
    "trial",
    "trial_exclusions",
    "regulatory",
    "label",
    "textbook",
    "consumer_page",
    "clinic_practice",
]
"""What a source is; it caps the evidence the source may claim (see ``EVIDENCE_CAP``)."""
EVIDENCE_RANK: dict[str, int] = {"seed": 0, "A": 1, "B": 2, "C": 3}
EVIDENCE_CAP: dict[str, str] = {
    "seed": "seed",
    "guideline": "A",
    "review": "A",
    "trial": "A",
    "regulatory": "A",
    "label": "A",
    "trial_exclusions": "B",
    "textbook": "B",
    "consumer_page": "B",
    "clinic_practice": "C",
}
"""The strongest evidence each kind of source may be graded: whom a trial excluded, a textbook or a
consumer health page is at most B; clinic practice is C."""


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Source(Frozen):
    """A source with its full reference. Every source but a seed names its authors (or the body
    that issued it), title, publisher (journal, publisher or site), year and an identifier
    (DOI, PMID or URL); a textbook names its edition, and its chapter when it carries a
    contraindication (checked at load)."""

    id: SourceId
    citation: Text
    evidence: Evidence
    kind: SourceKind
    authors: str | None = None
    title: str | None = None
    publisher: str | None = None
    year: int | None = Field(default=None, ge=1900, le=2100)
    doi: str | None = None
    pmid: str | None = None
    url: str | None = None
    edition: str | None = None
    chapter: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _complete(self) -> Source:
        if EVIDENCE_RANK[self.evidence] < EVIDENCE_RANK[EVIDENCE_CAP[self.kind]]:
            raise ValueError(
                f"a {self.kind} source is graded at most {EVIDENCE_CAP[self.kind]}, "
                f"not {self.evidence}"
            )
        if self.kind in ("seed", "clinic_practice"):
            return self
        required = ("authors", "title", "publisher", "year")
        missing = [name for name in required if getattr(self, name) is None]
        if self.doi is None and self.pmid is None and self.url is None:
            missing.append("an identifier (doi, pmid or url)")
        if self.kind == "textbook" and self.edition is None:
            missing.append("edition")
        if missing:
            raise ValueError(f"source {self.id} lacks {', '.join(missing)}")
        return self


class Term(Frozen):
    """One entry of the vocabulary: a stable code and the label the clinic sees."""

    code: Code
    label: Text
    description: str | None = None
    source: SourceId | None = None


class CitedTerm(Term):
    source: SourceId


class ConditionTerm(CitedTerm):
    implies: tuple[Code, ...] = ()
    """Conditions that this one always entails (sunburn is a damaged epidermis)."""
    local: bool = False
    """A condition of a patch of skin (psoriasis, a burn, a mole): a profile may say it is not
    in the treated area, and then a rule about it holds only if the rule says ``anywhere``."""


class MedicationTerm(CitedTerm):
    implies: Code
    """The condition a client taking (or recently taking) this medication has."""
    washout_days: int | None = Field(default=None, ge=1)
    """Default wash-out after the last dose, used when a rule sets none."""
    washout_months: int | None = Field(default=None, ge=1)
    while_taking: bool = False
    """The condition lasts only while the drug is taken: a rule holds until the day after the
    last dose, unless the rule itself sets a longer window."""
    washout_source: SourceId
    """Where the window (or the "while taking") comes from."""
    washout_note: str | None = None

    @model_validator(mode="after")
    def _one_window(self) -> MedicationTerm:
        stated = [self.washout_days is not None, self.washout_months is not None, self.while_taking]
        if sum(stated) != 1:
            raise ValueError(
                f"medication {self.code} states exactly one of washout_days, washout_months, "
                "while_taking"
            )
        return self


class EquipmentTerm(Term):
    scheduled: bool = False
    """A device the calendar books by the unit (a laser), not room furniture (a steamer)."""


class PhototypeTerm(Frozen):
    value: Phototype
    label: Text
    description: Text
    source: SourceId


class Vocabulary(Frozen):
    concerns: tuple[CitedTerm, ...]
    conditions: tuple[ConditionTerm, ...]
    medications: tuple[MedicationTerm, ...]
    allergies: tuple[CitedTerm, ...]
    risk_factors: tuple[CitedTerm, ...]
    skin_types: tuple[Term, ...]
    areas: tuple[Term, ...]
    performers: tuple[Term, ...]
    equipment: tuple[EquipmentTerm, ...]
    phototypes: tuple[PhototypeTerm, ...]


class MinuteRange(Frozen):
    """A duration in whole minutes; an empty range (min > max) or a zero length is refused."""

    min: int = Field(ge=1)
    max: int = Field(ge=1)

    @model_validator(mode="after")
    def _not_empty(self) -> MinuteRange:
        if self.min > self.max:
            raise ValueError(f"empty duration range: min {self.min} > max {self.max}")
        return self


class DayRange(Frozen):
    min: int = Field(ge=0)
    max: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _not_empty(self) -> DayRange:
        if self.max is not None and self.min > self.max:
            raise ValueError(f"empty range: min {self.min} > max {self.max}")
        return self


class CountRange(Frozen):
    min: int = Field(ge=1)
    max: int = Field(ge=1)

    @model_validator(mode="after")
    def _not_empty(self) -> CountRange:
        if self.min > self.max:
            raise ValueError(f"empty range: min {self.min} > max {self.max}")
        return self


class Stage(Frozen):
    name: Text
    purpose: Text
    agents: tuple[Text, ...] = ()
    duration_minutes: MinuteRange | None = None
    timer: bool = False
    """A countdown runs for this stage (its duration must then be known)."""
    agent_timer: bool = False
    """The countdown runs for the agent chosen in the session: its own ``contact_minutes``
    from the procedure's ``agent_uses``, or its end point where it has no contact time."""
    attended: bool = True
    """False for a stage that only waits (anaesthetic cream, a mask setting): the practitioner
    and the devices are free meanwhile, the room is not."""
    equipment: tuple[Code, ...] = ()
    source: SourceId

    @model_validator(mode="after")
    def _timer_needs_duration(self) -> Stage:
        if self.timer and self.duration_minutes is None:
            raise ValueError("a timed stage needs duration_minutes")
        if self.timer and self.agent_timer:
            raise ValueError("a stage is timed by its duration or by its agent, not both")
        return self


class AgentUse(Frozen):
    """One agent a procedure may use, with its depth, who may apply it and how long it stays
    on: each agent has its own contact time (or an end point the practitioner watches for)."""

    agent: Text
    depth: Literal["very_superficial", "superficial", "medium"]
    performers: tuple[Code, ...] = Field(min_length=1)
    """Who may apply it: an agent that reaches medium depth, or that a guideline reserves for
    physicians, lists only ``doctor``."""
    contact_minutes: MinuteRange | None = None
    """How long it stays on, with a countdown; None where the end point is a visible sign."""
    end_point: Text
    """What ends the contact (the time, an even redness, a frost) and how it is stopped."""
    source: SourceId
    note: str | None = None


class PreStep(Frozen):
    """A step done before a course (a patch test): planned once, ahead of the first session,
    and recorded like a session's stage."""

    id: Code
    name: Text
    purpose: Text
    before: Literal["first_session"] = "first_session"
    days_before: DayRange
    """How many days before the first session it is done (its reaction is read by then)."""
    duration_minutes: MinuteRange | None = None
    reaction_shows: Code | None = None
    """The condition a reaction in this step shows (an intolerance to the agents): recorded,
    it enters the client's screening like any condition of her history."""
    source: SourceId
    see_also: tuple[SourceId, ...] = ()


class Indication(Frozen):
    concern: Code
    weight: int = Field(ge=1, le=3)
    """1 a side benefit, 2 a usual aim, 3 what the procedure is chiefly for (editorial)."""
    source: SourceId


class Rule(Frozen):
    """A fact about one client attribute: a condition, an allergy, a skin type, a set of
    phototypes, an age (``under_age``), or only the treated area (``areas`` alone)."""

    id: Code | None = None
    """Local id, unique in its procedure or rule set; defaults to the code."""
    code: Code | None = None
    phototypes: tuple[Phototype, ...] = ()
    under_age: int | None = Field(default=None, ge=1, le=120)
    """Holds for a client younger than this many years."""
    areas: tuple[Code, ...] = ()
    """Applies only when the treated area is one of these; empty means any area. A rule with
    areas and no other subject holds for every client treated there."""
    anywhere: bool = False
    """For a local condition: the rule holds wherever the condition is, not only in the
    treated area (a keloid tendency is the person's, not the patch's)."""
    washout_months: int | None = Field(default=None, ge=1)
    washout_days: int | None = Field(default=None, ge=1)
    reason: Text
    source: SourceId
    note: str | None = None
    """Context for the practitioner, such as a disagreement between sources."""

    @model_validator(mode="after")
    def _one_subject(self) -> Rule:
        subjects = (self.code is not None) + bool(self.phototypes) + (self.under_age is not None)
        if subjects > 1 or (subjects == 0 and not self.areas):
            raise ValueError(
                "a rule names exactly one of: code, phototypes, under_age (or only areas)"
            )
        if self.washout_months is not None and self.washout_days is not None:
            raise ValueError("a rule has at most one of washout_months, washout_days")
        return self

    @property
    def local_id(self) -> str:
        if self.id is not None:
            return self.id
        if self.code is not None:
            return self.code
        if self.under_age is not None:
            return f"under_{self.under_age}"
        if self.phototypes:
            return "phototype_" + "_".join(str(p) for p in self.phototypes)
        return "area_" + "_".join(self.areas)


class Contraindication(Rule):
    severity: Severity


class RuleSet(Frozen):
    """Rules shared by several procedures, e.g. the seed's list for deep back cleansing."""

    id: Code
    description: Text
    contraindications: tuple[Contraindication, ...] = ()
    referrals: tuple[Rule, ...] = ()
    """Red flags: the client is sent to a doctor (a dermatologist) before any of these
    procedures; the engine reports them with the effect ``refer``."""
    cautions: tuple[Rule, ...] = ()
    allowances: tuple[Rule, ...] = ()


class Instruction(Frozen):
    text: Text
    source: SourceId
    avoid_months: tuple[Annotated[int, Field(ge=1, le=12)], ...] = ()
    """For a season note: the months in which a session draws this advice."""


class PathwayStep(Frozen):
    name: Text
    text: Text
    source: SourceId
    see_also: tuple[SourceId, ...] = ()


class HomeCarePlan(Frozen):
    id: Code
    title: Text
    rules: tuple[Instruction, ...]


class Course(Frozen):
    sessions: CountRange | None = None
    interval_days: DayRange | None = None
    note: str | None = None
    source: SourceId
    see_also: tuple[SourceId, ...] = ()


class Procedure(Frozen):
    id: Code
    name: Text
    summary: Text
    performers: tuple[Code, ...] = Field(min_length=1)
    areas: tuple[Code, ...] = Field(min_length=1)
    equipment: tuple[Code, ...] = ()
    stages: tuple[Stage, ...] = Field(min_length=1)
    total_minutes: MinuteRange | None = None
    """As the source states it; when absent it is the sum of the stages, if all are known."""
    indications: tuple[Indication, ...] = Field(min_length=1)
    rule_sets: tuple[Code, ...] = ()
    contraindications: tuple[Contraindication, ...] = ()
    referrals: tuple[Rule, ...] = ()
    cautions: tuple[Rule, ...] = ()
    allowances: tuple[Rule, ...] = ()
    agent_uses: tuple[AgentUse, ...] = ()
    """Per agent: depth, who may apply it, contact time or end point."""
    pre_steps: tuple[PreStep, ...] = ()
    """Steps before the first session of a course (a patch test)."""
    pre_treatment: tuple[Instruction, ...] = ()
    aftercare: tuple[Instruction, ...] = ()
    home_care: tuple[Code, ...] = ()
    course: Course | None = None
    season_notes: tuple[Instruction, ...] = ()
    sources: tuple[SourceId, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _stages_fit_total(self) -> Procedure:
        names = [stage.name for stage in self.stages]
        if len(set(names)) != len(names):
            raise ValueError("two stages share a name: each stage holds its own place")
        known = [s.duration_minutes for s in self.stages if s.duration_minutes is not None]
        if self.total_minutes is not None and known:
            floor = sum(r.min for r in known)
            if floor > self.total_minutes.max:
                raise ValueError(
                    f"stage durations overlap the total: their minimum {floor} min exceeds "
                    f"total_minutes.max {self.total_minutes.max}"
                )
        return self

    @property
    def duration(self) -> MinuteRange | None:
        """The total duration: stated, or summed from the stages when every stage is known."""
        if self.total_minutes is not None:
            return self.total_minutes
        ranges = [s.duration_minutes for s in self.stages]
        if any(r is None for r in ranges):
            return None
        known = [r for r in ranges if r is not None]
        return MinuteRange(min=sum(r.min for r in known), max=sum(r.max for r in known))


class BookingDefaults(Frozen):
    """How long the calendar holds each stage of one procedure, and the cleaning after it.

    Clinic settings rather than clinical facts: the sources give few stage durations, and a
    calendar needs one for every stage. Where a source gives a range, the booked length must
    fall inside it."""

    stage_minutes: tuple[Annotated[int, Field(ge=1)], ...] = Field(min_length=1)
    room_cleaning_minutes: int = Field(default=0, ge=0)
    device_cleaning_minutes: int = Field(default=0, ge=0)
    source: SourceId
    note: str | None = None


LesionGroup = Literal["non_inflammatory", "inflammatory", "nodular"]
"""Comedones are counted as non-inflammatory, papules and pustules as inflammatory, nodules
apart (FDA2018)."""


class LesionKind(Frozen):
    """A kind of lesion counted at each session."""

    code: Code
    label: Text
    group: LesionGroup
    source: SourceId


class Grade(Frozen):
    value: int = Field(ge=0)
    label: Text
    description: Text


class ScoreRegion(Frozen):
    """One region a composite score adds up, with the factor its lesion points are weighted by."""

    name: Text
    factor: int = Field(ge=1)


class ScoreBand(Frozen):
    """A range of the composite total and the scale grade it corresponds to."""

    grade: int = Field(ge=0)
    min: int = Field(ge=0)
    max: int | None = Field(default=None, ge=0)


class CompositeScore(Frozen):
    """How a composite scale (GAGS) is computed: each region's worst lesion gives points, times
    the region's factor, summed; the total falls in a band, which is the grade recorded."""

    regions: tuple[ScoreRegion, ...] = Field(min_length=1)
    points: tuple[Grade, ...] = Field(min_length=2)
    """Points per region by its worst lesion (0 none ... 4 nodule)."""
    bands: tuple[ScoreBand, ...] = Field(min_length=1)
    note: str | None = None

    @property
    def most(self) -> int:
        return max(p.value for p in self.points) * sum(r.factor for r in self.regions)

    def band(self, total: int) -> int | None:
        """The grade of a total, or None outside 0..most."""
        for band in self.bands:
            if band.min <= total and (band.max is None or total <= band.max):
                return band.grade
        return None

    @model_validator(mode="after")
    def _contiguous(self) -> CompositeScore:
        expected = 0
        for band in self.bands:
            if band.min != expected:
                raise ValueError(f"bands leave a gap or overlap at {expected}")
            if band.max is None:
                expected = self.most + 1
                break
            expected = band.max + 1
        if expected != self.most + 1:
            raise ValueError(f"bands do not cover 0..{self.most}")
        return self


class Scale(Frozen):
    """A severity scale: its grades, and the areas it grades one at a time."""

    id: Code
    name: Text
    abbreviation: Text
    """How practitioners write the scale's name in short (``CASS``)."""
    summary: Text
    areas: tuple[Code, ...] = Field(min_length=1)
    grades: tuple[Grade, ...] = Field(min_length=2)
    source: SourceId
    score: CompositeScore | None = None
    """For a composite scale: how the total is computed and banded into the grades."""
    note: str | None = None

    @model_validator(mode="after")
    def _distinct(self) -> Scale:
        values = [grade.value for grade in self.grades]
        if len(set(values)) != len(values):
            raise ValueError(f"two grades share a value: {values}")
        if values != sorted(values):
            raise ValueError(f"grades are listed from the lowest value up: {values}")
        if len(set(self.areas)) != len(self.areas):
            raise ValueError(f"an area is listed twice: {list(self.areas)}")
        if self.score is not None:
            unknown = {b.grade for b in self.score.bands} - set(values)
            if unknown:
                raise ValueError(f"score bands name grades the scale lacks: {sorted(unknown)}")
        return self

    def grade(self, value: int) -> Grade | None:
        return next((grade for grade in self.grades if grade.value == value), None)

    @property
    def lowest(self) -> int:
        return self.grades[0].value

    @property
    def highest(self) -> int:
        return self.grades[-1].value


class Measures(Frozen):
    """``scales.yaml``: the lesion kinds counted and the scales graded at each session."""

    lesions: tuple[LesionKind, ...] = Field(min_length=1)
    scales: tuple[Scale, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Measures:
        for kind, codes in (
            ("lesion code", [lesion.code for lesion in self.lesions]),
            ("scale id", [scale.id for scale in self.scales]),
        ):
            twice = sorted({code for code in codes if codes.count(code) > 1})
            if twice:
                raise ValueError(f"{kind} used twice: {', '.join(twice)}")
        return self


class SequencingRule(Frozen):
    """The least number of days between one procedure and a later different one in the same
    plan (``then`` at least ``min_days`` after ``first``)."""

    first: Code
    then: Code
    min_days: int = Field(ge=1)
    reason: Text
    source: SourceId
    note: str | None = None


class Manifest(Frozen):
    version: Annotated[str, Field(pattern=r"^\d+\.\d+\.\d+$")]
    title: Text
    description: Text
