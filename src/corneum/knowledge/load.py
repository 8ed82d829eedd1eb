"""Load the knowledge base from its data files, validate it whole, and stamp it with a hash.

Reading the package's own data files is the only I/O in the core; everything after
:func:`load_knowledge_base` returns is pure. Problems are collected, not raised one at a time,
so ``corneum kb check`` can list them all, each naming its file and its entry.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from corneum.knowledge.base import (
    CompiledRule,
    Effect,
    IndexedRule,
    KnowledgeBase,
    SubjectKind,
    rule_tokens,
)
from corneum.knowledge.model import (
    BookingDefaults,
    Contraindication,
    HomeCarePlan,
    Manifest,
    Measures,
    PathwayStep,
    Procedure,
    Rule,
    RuleSet,
    SequencingRule,
    Source,
    Vocabulary,
)

M = TypeVar("M", bound=BaseModel)
PROCEDURES_DIR = "procedures"
RULE_GROUPS = ("contraindications", "referrals", "cautions", "allowances")
RULE_EVIDENCE = frozenset({"seed", "A", "B"})
"""Evidence strong enough for a contraindication; clinic practice (C) may only caution."""


class KnowledgeBaseError(Exception):
    """The data files do not form a valid knowledge base; ``problems`` lists every finding."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def default_data_dir() -> Path:
    return Path(str(resources.files("corneum.knowledge") / "data"))


@cache
def default_knowledge_base() -> KnowledgeBase:
    """The knowledge base shipped with this version of Corneum, loaded once per process."""
    return load_knowledge_base(default_data_dir())


def load_knowledge_base(data_dir: Path) -> KnowledgeBase:
    files = _read_files(data_dir)
    problems: list[str] = []
    manifest = _parse(files, "knowledge.yaml", Manifest, problems)
    sources = _parse_list(files, "sources.yaml", "sources", Source, problems)
    vocabulary = _parse(files, "codes.yaml", Vocabulary, problems)
    rule_sets = _parse_list(files, "rule_sets.yaml", "rule_sets", RuleSet, problems)
    home_care = _parse_list(files, "home_care.yaml", "home_care", HomeCarePlan, problems)
    pathway = _parse_list(files, "pathway.yaml", "pathway", PathwayStep, problems)
    procedures = _parse_procedures(files, problems)
    booking = _parse_mapping(files, "scheduling.yaml", "booking", BookingDefaults, problems)
    measures = _parse(files, "scales.yaml", Measures, problems)
    sequencing = _parse_list(files, "sequencing.yaml", "sequencing", SequencingRule, problems)
    if problems or manifest is None or vocabulary is None or measures is None:
        raise KnowledgeBaseError(problems)
    checker = _CrossChecker(sources, vocabulary, rule_sets, home_care, problems)
    checker.check_all(procedures)
    for i, step in enumerate(pathway):
        checker.cited(f"pathway.yaml: pathway[{i}] ({step.name})", step)
    for plan in home_care:
        checker.cited(f"home_care.yaml: {plan.id}", plan)
    _check_booking(booking, procedures, checker)
    _check_measures(measures, checker)
    _check_sequencing(sequencing, procedures, checker)
    rules = {p.id: tuple(_compile_procedure(p, checker.rule_sets, checker)) for p in procedures}
    implied = _implication_closure(vocabulary, problems)
    if problems:
        raise KnowledgeBaseError(problems)
    return KnowledgeBase(
        manifest=manifest,
        sha256=_content_hash(files),
        sources={s.id: s for s in sources},
        vocabulary=vocabulary,
        procedures=tuple(sorted(procedures, key=lambda p: p.id)),
        rule_sets=checker.rule_sets,
        home_care={h.id: h for h in home_care},
        pathway=tuple(pathway),
        booking=booking,
        lesions=measures.lesions,
        scales={scale.id: scale for scale in measures.scales},
        rules=rules,
        implied_conditions=implied,
        medications={m.code: m for m in vocabulary.medications},
        labels=checker.labels,
        indications={p.id: {i.concern: i for i in p.indications} for p in procedures},
        rule_index=_index_rules(rules),
        age_thresholds=tuple(
            sorted({r.under_age for rs in rules.values() for r in rs if r.under_age is not None})
        ),
        sequencing=tuple(sequencing),
    )


def _read_files(data_dir: Path) -> dict[str, bytes]:
    if not data_dir.is_dir():
        raise KnowledgeBaseError([f"{data_dir}: not a directory"])
    paths = sorted(p for p in data_dir.rglob("*.yaml") if p.is_file())
    return {p.relative_to(data_dir).as_posix(): p.read_bytes() for p in paths}


def _content_hash(files: Mapping[str, bytes]) -> str:
    """SHA-256 over every data file's relative path and bytes, in path order."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name] + b"\0")
    return digest.hexdigest()


def _yaml(files: Mapping[str, bytes], name: str, problems: list[str]) -> Any:
    if name not in files:
        problems.append(f"{name}: file is missing")
        return None
    try:
        return yaml.safe_load(files[name])
    except yaml.YAMLError as exc:
        problems.append(f"{name}: not valid YAML: {exc}".replace("\n", " "))
        return None


def _parse(files: Mapping[str, bytes], name: str, model: type[M], problems: list[str]) -> M | None:
    data = _yaml(files, name, problems)
    if data is None:
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems.extend(f"{name}: {_describe(err, data)}" for err in exc.errors())
        return None


def _parse_list(
    files: Mapping[str, bytes], name: str, key: str, model: type[M], problems: list[str]
) -> list[M]:
    data = _yaml(files, name, problems)
    if data is None:
        return []
    if not isinstance(data, dict) or set(data) != {key}:
        problems.append(f"{name}: expected a mapping with the single key '{key}'")
        return []
    try:
        return list(TypeAdapter(tuple[model, ...]).validate_python(data[key]))  # type: ignore[valid-type]
    except ValidationError as exc:
        problems.extend(f"{name}: {_describe(err, data[key])}" for err in exc.errors())
        return []


def _parse_mapping(
    files: Mapping[str, bytes], name: str, key: str, model: type[M], problems: list[str]
) -> dict[str, M]:
    data = _yaml(files, name, problems)
    if data is None:
        return {}
    if not isinstance(data, dict) or set(data) != {key} or not isinstance(data[key], dict):
        problems.append(f"{name}: expected a mapping with the single key '{key}' holding a mapping")
        return {}
    try:
        return TypeAdapter(dict[str, model]).validate_python(data[key])  # type: ignore[valid-type]
    except ValidationError as exc:
        problems.extend(f"{name}: {_describe(err, data[key])}" for err in exc.errors())
        return {}


def _parse_procedures(files: Mapping[str, bytes], problems: list[str]) -> list[Procedure]:
    names = [n for n in files if n.startswith(PROCEDURES_DIR + "/")]
    if not names:
        problems.append(f"{PROCEDURES_DIR}/: no procedure files")
    procedures: list[Procedure] = []
    for name in names:
        procedure = _parse(files, name, Procedure, problems)
        if procedure is None:
            continue
        if name != f"{PROCEDURES_DIR}/{procedure.id}.yaml":
            problems.append(f"{name}: procedure '{procedure.id}' must live in {procedure.id}.yaml")
        procedures.append(procedure)
    return procedures


def _describe(error: Any, data: Any) -> str:
    """'conditions[3] (eczma).severity: Input should be ...' from a Pydantic error."""
    parts: list[str] = []
    node = data
    for item in error["loc"]:
        if isinstance(item, int):
            parts.append(f"[{item}]")
            node = node[item] if isinstance(node, list) and item < len(node) else None
            name = _entry_name(node)
            if name:
                parts.append(f" ({name})")
        else:
            parts.append(("." if parts else "") + str(item))
            node = node.get(item) if isinstance(node, dict) else None
    where = "".join(parts) or "(top level)"
    return f"{where}: {error['msg']}"


def _entry_name(node: Any) -> str | None:
    if not isinstance(node, dict):
        return None
    for key in ("id", "code", "name", "concern"):
        if isinstance(node.get(key), str):
            return str(node[key])
    return None


class _CrossChecker:
    """Checks every reference between files: codes, sources, rule sets, home-care plans."""

    def __init__(
        self,
        sources: list[Source],
        vocabulary: Vocabulary,
        rule_sets: list[RuleSet],
        home_care: list[HomeCarePlan],
        problems: list[str],
    ) -> None:
        self.sources = {s.id: s for s in sources}
        self.vocabulary = vocabulary
        self.rule_sets = {r.id: r for r in rule_sets}
        self.home_care = {h.id for h in home_care}
        self.problems = problems
        self.labels: dict[str, str] = {}
        self.kinds: dict[str, str] = {}
        self.local_conditions = frozenset(c.code for c in vocabulary.conditions if c.local)
        self._index_codes()

    def _index_codes(self) -> None:
        for kind in type(self.vocabulary).model_fields:
            if kind == "phototypes":
                continue
            for term in getattr(self.vocabulary, kind):
                if term.code in self.kinds:
                    self.problems.append(
                        f"codes.yaml: {kind} ({term.code}): code already used in "
                        f"{self.kinds[term.code]}; codes are unique across the vocabulary"
                    )
                self.kinds[term.code] = kind
                self.labels[term.code] = term.label

    def allowed(self, kind: str) -> str:
        return ", ".join(sorted(c for c, k in self.kinds.items() if k == kind))

    def code(self, where: str, code: str, *kinds: str) -> None:
        if self.kinds.get(code) not in kinds:
            allowed = "; ".join(f"{k}: {self.allowed(k)}" for k in kinds)
            self.problems.append(f"{where}: unknown code '{code}' (allowed {allowed})")

    def source(self, where: str, source: str, *, for_rule: bool = False) -> None:
        found = self.sources.get(source)
        if found is None:
            known = ", ".join(sorted(self.sources))
            self.problems.append(f"{where}: unknown source '{source}' (known: {known})")
        elif for_rule and found.evidence not in RULE_EVIDENCE:
            self.problems.append(
                f"{where}: source '{source}' is evidence {found.evidence}, too weak for a "
                "contraindication; make it a caution"
            )
        elif for_rule and found.kind == "textbook" and found.chapter is None:
            self.problems.append(
                f"{where}: source '{source}' is a textbook without a chapter; a "
                "contraindication resting on a textbook names its edition and chapter"
            )

    def check_all(self, procedures: list[Procedure]) -> None:
        self._check_vocabulary()
        for rule_set in self.rule_sets.values():
            self._check_rules(f"rule_sets.yaml: {rule_set.id}", rule_set)
        for procedure in procedures:
            self._check_procedure(procedure)
        self.cited("codes.yaml:", self.vocabulary)

    def _check_vocabulary(self) -> None:
        for term in self.vocabulary.conditions:
            for implied in term.implies:
                self.code(f"codes.yaml: conditions ({term.code}).implies", implied, "conditions")
        for med in self.vocabulary.medications:
            self.code(f"codes.yaml: medications ({med.code}).implies", med.implies, "conditions")
            self.source(f"codes.yaml: medications ({med.code}).washout_source", med.washout_source)

    def _check_procedure(self, p: Procedure) -> None:
        where = f"{PROCEDURES_DIR}/{p.id}.yaml: procedure '{p.id}'"
        for performer in p.performers:
            self.code(f"{where} performers", performer, "performers")
        for area in p.areas:
            self.code(f"{where} areas", area, "areas")
        for item in p.equipment:
            self.code(f"{where} equipment", item, "equipment")
        for i, stage in enumerate(p.stages):
            for item in stage.equipment:
                self.code(f"{where} stages[{i}] ({stage.name}) equipment", item, "equipment")
        for i, indication in enumerate(p.indications):
            self.code(f"{where} indications[{i}]", indication.concern, "concerns")
        for i, use in enumerate(p.agent_uses):
            at = f"{where} agent_uses[{i}] ({use.agent})"
            for performer in use.performers:
                if performer not in p.performers:
                    self.problems.append(
                        f"{at}: performer '{performer}' does not perform this procedure"
                    )
            if use.depth == "medium" and set(use.performers) != {"doctor"}:
                self.problems.append(f"{at}: a medium-depth agent is applied by a doctor only")
        self._check_steps(where, p)
        for set_id in p.rule_sets:
            if set_id not in self.rule_sets:
                known = ", ".join(sorted(self.rule_sets))
                self.problems.append(f"{where} rule_sets: unknown rule set '{set_id}' ({known})")
        for plan in p.home_care:
            if plan not in self.home_care:
                self.problems.append(f"{where} home_care: unknown home-care plan '{plan}'")
        self._check_rules(where, p)
        self.cited(where, p)

    def _check_steps(self, where: str, p: Procedure) -> None:
        """Pre-steps have their own ids and name known conditions; a stage timed by its agent
        belongs to a procedure that lists its agents."""
        ids = [step.id for step in p.pre_steps]
        if len(set(ids)) != len(ids):
            self.problems.append(f"{where} pre_steps: two steps share an id")
        for step in p.pre_steps:
            if step.reaction_shows is not None:
                at = f"{where} pre_steps ({step.id}).reaction_shows"
                self.code(at, step.reaction_shows, "conditions")
        for i, stage in enumerate(p.stages):
            if stage.agent_timer and not p.agent_uses:
                self.problems.append(
                    f"{where} stages[{i}] ({stage.name}): agent_timer needs the procedure's "
                    "agent_uses"
                )

    def cited(self, where: str, model: BaseModel) -> None:
        """Every source cited anywhere inside ``model`` must exist."""
        for path, source in _source_refs(model, ""):
            self.source(f"{where} {path}", source)

    def _check_rules(self, where: str, owner: Procedure | RuleSet) -> None:
        for group in RULE_GROUPS:
            rules: tuple[Rule, ...] = getattr(owner, group)
            for i, rule in enumerate(rules):
                at = f"{where} {group}[{i}] ({rule.local_id})"
                if rule.code is not None:
                    self.code(at, rule.code, "conditions", "skin_types", "allergies")
                for area in rule.areas:
                    self.code(f"{at} areas", area, "areas")
                blocking = isinstance(rule, Contraindication) or group == "referrals"
                self.source(at, rule.source, for_rule=blocking)
                self._check_washout(at, rule)
                if rule.anywhere and not self.is_local(rule.code):
                    self.problems.append(
                        f"{at}: 'anywhere' is for a local condition; '{rule.code}' is not one"
                    )

    def is_local(self, code: str | None) -> bool:
        return code is not None and code in self.local_conditions

    def _check_washout(self, at: str, rule: Rule) -> None:
        if rule.washout_days is None and rule.washout_months is None:
            return
        implied_by_medication = {m.implies for m in self.vocabulary.medications}
        if rule.code not in implied_by_medication:
            self.problems.append(
                f"{at}: a wash-out window needs a condition that a medication implies"
            )


def _check_booking(
    booking: Mapping[str, BookingDefaults], procedures: list[Procedure], checker: _CrossChecker
) -> None:
    """Every procedure a clinic performs has booking defaults that fit its stages."""
    by_id = {p.id: p for p in procedures}
    for procedure_id, defaults in booking.items():
        where = f"scheduling.yaml: {procedure_id}"
        checker.cited(where, defaults)
        procedure = by_id.get(procedure_id)
        if procedure is None:
            checker.problems.append(f"{where}: unknown procedure")
            continue
        for problem in _booking_misfits(procedure, defaults):
            checker.problems.append(f"{where}: {problem}")
    for procedure in procedures:
        in_clinic = set(procedure.performers) - {"client"}
        if in_clinic and procedure.id not in booking:
            checker.problems.append(
                f"scheduling.yaml: {procedure.id}: missing; the calendar cannot book it"
            )


def _check_measures(measures: Measures, checker: _CrossChecker) -> None:
    """Every area a scale grades is a known area; every lesion kind and scale cites a source."""
    for i, lesion in enumerate(measures.lesions):
        checker.cited(f"scales.yaml: lesions[{i}] ({lesion.code})", lesion)
    for i, scale in enumerate(measures.scales):
        where = f"scales.yaml: scales[{i}] ({scale.id})"
        for area in scale.areas:
            checker.code(f"{where} areas", area, "areas")
        checker.cited(where, scale)


def _check_sequencing(
    sequencing: list[SequencingRule], procedures: list[Procedure], checker: _CrossChecker
) -> None:
    """Every sequencing rule joins two different known procedures and cites a source."""
    known = {p.id for p in procedures}
    for i, rule in enumerate(sequencing):
        where = f"sequencing.yaml: sequencing[{i}] ({rule.first} -> {rule.then})"
        for procedure_id in (rule.first, rule.then):
            if procedure_id not in known:
                checker.problems.append(f"{where}: unknown procedure '{procedure_id}'")
        if rule.first == rule.then:
            checker.problems.append(f"{where}: a course's own interval is set in its course")
        checker.cited(where, rule)


def _booking_misfits(procedure: Procedure, defaults: BookingDefaults) -> Iterator[str]:
    minutes = defaults.stage_minutes
    if len(minutes) != len(procedure.stages):
        yield f"stage_minutes has {len(minutes)} entries for {len(procedure.stages)} stages"
        return
    for i, (stage, booked) in enumerate(zip(procedure.stages, minutes, strict=True)):
        known = stage.duration_minutes
        if known is not None and not known.min <= booked <= known.max:
            yield (
                f"stage_minutes[{i}] ({stage.name}): {booked} min is outside the "
                f"{known.min}-{known.max} min the source gives"
            )
    total = procedure.total_minutes
    if total is not None and not total.min <= sum(minutes) <= total.max:
        given = f"{total.min}-{total.max}"
        yield f"stage_minutes add up to {sum(minutes)} min; the source gives {given}"


def _source_refs(model: BaseModel, path: str) -> Iterator[tuple[str, str]]:
    """Every (path, source id) cited anywhere inside a model."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        here = f"{path}.{name}" if path else name
        if name == "source" and isinstance(value, str):
            yield here, value
        elif name in ("sources", "see_also"):
            yield from ((here, v) for v in value)
        elif isinstance(value, BaseModel):
            yield from _source_refs(value, here)
        elif isinstance(value, tuple):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from _source_refs(item, f"{here}[{i}]")


def _compile_procedure(
    procedure: Procedure, rule_sets: Mapping[str, RuleSet], checker: _CrossChecker
) -> list[CompiledRule]:
    owners: list[tuple[str, Procedure | RuleSet]] = [
        (set_id, rule_sets[set_id]) for set_id in procedure.rule_sets if set_id in rule_sets
    ]
    owners.append((procedure.id, procedure))
    compiled: list[CompiledRule] = []
    for owner_id, owner in owners:
        for contra in owner.contraindications:
            effect: Effect = (
                "contraindicated" if contra.severity == "absolute" else "relative_contraindication"
            )
            compiled.append(_compile(owner_id, contra, effect, checker))
        compiled.extend(_compile(owner_id, r, "refer", checker) for r in owner.referrals)
        compiled.extend(_compile(owner_id, r, "caution", checker) for r in owner.cautions)
        compiled.extend(_compile(owner_id, r, "allowed", checker) for r in owner.allowances)
    seen: set[str] = set()
    for compiled_rule in compiled:
        if compiled_rule.id in seen:
            checker.problems.append(
                f"{PROCEDURES_DIR}/{procedure.id}.yaml: procedure '{procedure.id}': rule id "
                f"'{compiled_rule.id}' appears twice; give one an explicit id"
            )
        seen.add(compiled_rule.id)
    return compiled


def _index_rules(
    rules: Mapping[str, tuple[CompiledRule, ...]],
) -> dict[str, tuple[IndexedRule, ...]]:
    index: dict[str, list[IndexedRule]] = {}
    for procedure_id in sorted(rules):
        for position, rule in enumerate(rules[procedure_id]):
            for token in rule_tokens(rule):
                index.setdefault(token, []).append(IndexedRule(procedure_id, position, rule))
    return {token: tuple(entries) for token, entries in index.items()}


_SUBJECT_OF_KIND: dict[str | None, SubjectKind] = {
    "skin_types": "skin_type",
    "allergies": "allergy",
    "conditions": "condition",
}


def _compile(owner: str, rule: Rule, effect: Effect, checker: _CrossChecker) -> CompiledRule:
    subject: SubjectKind = "area"
    if rule.code is not None:
        subject = _SUBJECT_OF_KIND.get(checker.kinds.get(rule.code), "condition")
    elif rule.under_age is not None:
        subject = "age"
    elif rule.phototypes:
        subject = "phototype"
    return CompiledRule(
        id=f"{owner}.{rule.local_id}",
        effect=effect,
        subject=subject,
        code=rule.code,
        phototypes=frozenset(rule.phototypes),
        areas=frozenset(rule.areas),
        washout_months=rule.washout_months,
        washout_days=rule.washout_days,
        reason=rule.reason,
        source=rule.source,
        note=rule.note,
        under_age=rule.under_age,
        local=checker.is_local(rule.code) and not rule.anywhere,
    )


def _implication_closure(vocabulary: Vocabulary, problems: list[str]) -> dict[str, frozenset[str]]:
    direct = {term.code: set(term.implies) for term in vocabulary.conditions}
    closure: dict[str, frozenset[str]] = {}
    for code in direct:
        reached: set[str] = set()
        frontier = list(direct[code])
        while frontier:
            nxt = frontier.pop()
            if nxt == code:
                problems.append(f"codes.yaml: conditions ({code}).implies: leads back to itself")
                break
            if nxt not in reached:
                reached.add(nxt)
                frontier.extend(direct.get(nxt, ()))
        closure[code] = frozenset(reached)
    return closure
