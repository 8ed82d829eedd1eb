"""The knowledge base's texts in another language, as the pages show them: procedure names and
summaries, the vocabulary's labels (device kinds too) and the phototypes, pre-treatment and
aftercare instructions, home-care plans, the protocol's stages, course and season notes, the
assessment's rule reasons, and the outcome scales and lesion kinds.

A translation file (``data/translations/<language>.yaml``) mirrors the knowledge base by id and
repeats each English text beside its translation, ``{en: ..., ru: ...}``. Keys follow the
knowledge base's own ids (a rule's id, a scale's id, a grade's value, a phototype's value) and
list positions only where it has none (instructions, stages, agents, season notes).
``procedures.<id>`` holds what a handout says of a procedure; the protocol's ``stages``, the
plan's ``courses`` (a course's note) and ``season_notes``, and the assessment's ``reasons`` (by
rule id, ``owner.local_id``, as a stored assessment names them) have sections of their own.
Loading checks the file whole: every text has its translation, nothing is left over, and each
English text still reads as the knowledge base says it; so an instruction edited in English is
reported as an outdated translation instead of leaving the old advice in print. Problems are
collected, as the knowledge base's own loader does."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel

from corneum.knowledge.base import KnowledgeBase
from corneum.knowledge.load import KnowledgeBaseError, default_data_dir, default_knowledge_base
from corneum.knowledge.model import (
    Course,
    HomeCarePlan,
    Instruction,
    Procedure,
    Rule,
    RuleSet,
    Scale,
    Stage,
    Vocabulary,
)

TRANSLATIONS_DIR = "translations"
LABELLED = (
    "skin_types",
    "areas",
    "concerns",
    "conditions",
    "medications",
    "allergies",
    "risk_factors",
    "equipment",
)
"""The vocabulary lists whose labels pages show: a consultation's choices, and the devices the
calendar books."""
RULE_GROUPS = ("contraindications", "referrals", "cautions", "allowances")
"""The lists of rules a procedure or a rule set has, each rule with its reason."""
M = TypeVar("M", bound=BaseModel)
R = TypeVar("R", bound=Rule)
Owner = TypeVar("Owner", Procedure, RuleSet)


def translatable_texts(kb: KnowledgeBase) -> dict[str, str]:
    """Every client-facing text of ``kb`` by its key (``procedures.<id>.aftercare.0``...)."""
    return dict(_texts(kb))


def _texts(kb: KnowledgeBase) -> Iterator[tuple[str, str]]:
    for kind in LABELLED:
        for term in getattr(kb.vocabulary, kind):
            yield f"labels.{kind}.{term.code}", term.label
    for phototype in kb.vocabulary.phototypes:
        yield f"phototypes.{phototype.value}.label", phototype.label
        yield f"phototypes.{phototype.value}.description", phototype.description
    for procedure in kb.procedures:
        yield from _procedure_texts(procedure)
    for owner in _rule_owners(kb):
        for rule in _rules_of(owner):
            yield f"reasons.{owner.id}.{rule.local_id}", rule.reason
    for plan in kb.home_care.values():
        yield f"home_care.{plan.id}.title", plan.title
        for index, item in enumerate(plan.rules):
            yield f"home_care.{plan.id}.rules.{index}", item.text
    for lesion in kb.lesions:
        yield f"lesions.{lesion.code}.label", lesion.label
    for scale in kb.scales.values():
        yield from _scale_texts(scale)
    for index, gap in enumerate(kb.sequencing):
        yield f"sequencing.{index}.reason", gap.reason


def _procedure_texts(procedure: Procedure) -> Iterator[tuple[str, str]]:
    key = f"procedures.{procedure.id}"
    yield f"{key}.name", procedure.name
    yield f"{key}.summary", procedure.summary
    for index, item in enumerate(procedure.pre_treatment):
        yield f"{key}.pre_treatment.{index}", item.text
    for index, item in enumerate(procedure.aftercare):
        yield f"{key}.aftercare.{index}", item.text
    for index, stage in enumerate(procedure.stages):
        stage_key = f"stages.{procedure.id}.{index}"
        yield f"{stage_key}.name", stage.name
        yield f"{stage_key}.purpose", stage.purpose
        for number, agent in enumerate(stage.agents):
            yield f"{stage_key}.agents.{number}", agent
    for index, use in enumerate(procedure.agent_uses):
        yield f"agent_uses.{procedure.id}.{index}.agent", use.agent
        yield f"agent_uses.{procedure.id}.{index}.end_point", use.end_point
    for step in procedure.pre_steps:
        yield f"pre_steps.{procedure.id}.{step.id}.name", step.name
        yield f"pre_steps.{procedure.id}.{step.id}.purpose", step.purpose
    if procedure.course is not None and procedure.course.note is not None:
        yield f"courses.{procedure.id}.note", procedure.course.note
    for index, item in enumerate(procedure.season_notes):
        yield f"season_notes.{procedure.id}.{index}", item.text


def _scale_texts(scale: Scale) -> Iterator[tuple[str, str]]:
    key = f"scales.{scale.id}"
    yield f"{key}.name", scale.name
    yield f"{key}.summary", scale.summary
    for grade in scale.grades:
        yield f"{key}.grades.{grade.value}.label", grade.label
        yield f"{key}.grades.{grade.value}.description", grade.description
    if scale.score is not None:
        for index, region in enumerate(scale.score.regions):
            yield f"{key}.score.regions.{index}", region.name
        for point in scale.score.points:
            yield f"{key}.score.points.{point.value}.label", point.label
            yield f"{key}.score.points.{point.value}.description", point.description


def _rule_owners(kb: KnowledgeBase) -> Iterator[Procedure | RuleSet]:
    """Whatever holds rules: the shared rule sets, then the procedures."""
    yield from kb.rule_sets.values()
    yield from kb.procedures


def _rules_of(owner: Procedure | RuleSet) -> Iterator[Rule]:
    for group in RULE_GROUPS:
        rules: tuple[Rule, ...] = getattr(owner, group)
        yield from rules


def rule_reasons(kb: KnowledgeBase) -> dict[str, str]:
    """Each rule's reason as ``kb`` words it, by rule id (``owner.local_id``, as the engine and a
    stored assessment name the rule). In a :func:`translated` view these are the translations,
    while ``kb.rules``, which the engine applies, keeps the English."""
    return {
        f"{owner.id}.{rule.local_id}": rule.reason.strip()
        for owner in _rule_owners(kb)
        for rule in _rules_of(owner)
    }


def translation_languages(data_dir: Path) -> list[str]:
    """The languages ``data_dir`` has a translation file for."""
    return sorted(path.stem for path in (data_dir / TRANSLATIONS_DIR).glob("*.yaml"))


def load_translation(kb: KnowledgeBase, language: str, data_dir: Path) -> dict[str, str]:
    """The translation of every text of ``kb`` into ``language``, by key; raises
    :class:`KnowledgeBaseError` listing every problem of the file."""
    name = f"{TRANSLATIONS_DIR}/{language}.yaml"
    path = data_dir / name
    if not path.is_file():
        raise KnowledgeBaseError([f"{name}: file is missing"])
    try:
        document = yaml.safe_load(path.read_bytes())
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError([f"{name}: not valid YAML: {exc}".replace("\n", " ")]) from None
    given = dict(_flatten(document, ""))
    problems: list[str] = []
    translated: dict[str, str] = {}
    for key, english in translatable_texts(kb).items():
        pair = given.pop(key, None)
        problem = _pair_problem(pair, english, language)
        if problem:
            problems.append(f"{name}: {key}: {problem}")
        elif isinstance(pair, dict):
            translated[key] = pair[language]
    problems += [f"{name}: {key}: no such text in the knowledge base" for key in sorted(given)]
    if problems:
        raise KnowledgeBaseError(problems)
    return translated


def _flatten(node: Any, prefix: str) -> Iterator[tuple[str, Any]]:
    """Keys of nested mappings and lists joined with dots, down to each ``{en, <language>}``
    pair (a mapping with an ``en`` key) or any other leaf."""
    if isinstance(node, dict) and "en" not in node:
        for key, value in node.items():
            yield from _flatten(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _flatten(value, f"{prefix}.{index}")
    else:
        yield prefix, node


def _pair_problem(pair: Any, english: str, language: str) -> str | None:
    if pair is None:
        return "missing"
    if not isinstance(pair, dict) or set(pair) != {"en", language}:
        return f"give {{en: ..., {language}: ...}}"
    if pair["en"] != english:
        return f"outdated: the English now reads {english!r}"
    if not isinstance(pair[language], str) or not pair[language].strip():
        return "the translation is empty"
    return None


@cache
def shipped_translation(language: str) -> Mapping[str, str]:
    """The shipped knowledge base's texts in ``language``, loaded and checked once."""
    return load_translation(default_knowledge_base(), language, default_data_dir())


_VIEWS: dict[tuple[str, str], KnowledgeBase] = {}
"""Translated views of the knowledge base by (its hash, language): made once per process."""


def in_language(kb: KnowledgeBase, language: str) -> KnowledgeBase:
    """``kb`` as a page in ``language`` shows it (relabelled only: whatever stores anything
    keeps using ``kb`` itself); English is ``kb``."""
    if language == "en":
        return kb
    key = (kb.sha256, language)
    if key not in _VIEWS:
        _VIEWS[key] = translated(kb, shipped_translation(language))
    return _VIEWS[key]


def translated(kb: KnowledgeBase, texts: Mapping[str, str]) -> KnowledgeBase:
    """``kb`` showing ``texts`` (a :func:`load_translation`) instead of its English: labels and
    phototypes, procedures (names, summaries, instructions, stages, rule reasons, course and
    season notes), rule sets, home-care plans, lesion kinds and scales. Only for display: codes,
    the compiled rules and their index, sources, version and hash stay those of ``kb``, so
    nothing assessed or stored with it differs from the English."""
    labels = dict(kb.labels)
    for kind in LABELLED:
        for term in getattr(kb.vocabulary, kind):
            labels[term.code] = texts.get(f"labels.{kind}.{term.code}", term.label)
    return replace(
        kb,
        labels=labels,
        vocabulary=_vocabulary(kb.vocabulary, texts),
        procedures=tuple(_procedure(procedure, texts) for procedure in kb.procedures),
        rule_sets={key: _reasons(rule_set, texts) for key, rule_set in kb.rule_sets.items()},
        home_care={key: _home_care(plan, texts) for key, plan in kb.home_care.items()},
        lesions=tuple(
            _relabelled(lesion, f"lesions.{lesion.code}", texts, "label") for lesion in kb.lesions
        ),
        scales={key: _scale(scale, texts) for key, scale in kb.scales.items()},
        sequencing=tuple(
            rule.model_copy(update={"reason": texts.get(f"sequencing.{i}.reason", rule.reason)})
            for i, rule in enumerate(kb.sequencing)
        ),
    )


def _relabelled(model: M, key: str, texts: Mapping[str, str], *fields: str, **update: Any) -> M:
    """``model`` with each of its ``fields`` taken from ``texts`` at ``<key>.<field>`` where
    given, and with ``update``."""
    words = {name: texts.get(f"{key}.{name}", getattr(model, name)) for name in fields}
    return model.model_copy(update={**words, **update})


def _vocabulary(vocabulary: Vocabulary, texts: Mapping[str, str]) -> Vocabulary:
    """The phototypes relabelled: the other lists are shown through ``KnowledgeBase.labels``."""
    phototypes = tuple(
        _relabelled(term, f"phototypes.{term.value}", texts, "label", "description")
        for term in vocabulary.phototypes
    )
    return vocabulary.model_copy(update={"phototypes": phototypes})


def _procedure(procedure: Procedure, texts: Mapping[str, str]) -> Procedure:
    key = f"procedures.{procedure.id}"
    stages = tuple(
        _stage(stage, f"stages.{procedure.id}.{index}", texts)
        for index, stage in enumerate(procedure.stages)
    )
    return _relabelled(
        _reasons(procedure, texts),
        key,
        texts,
        "name",
        "summary",
        stages=stages,
        pre_treatment=_instructions(procedure.pre_treatment, f"{key}.pre_treatment", texts),
        aftercare=_instructions(procedure.aftercare, f"{key}.aftercare", texts),
        course=_course(procedure.course, f"courses.{procedure.id}", texts),
        agent_uses=tuple(
            _relabelled(use, f"agent_uses.{procedure.id}.{i}", texts, "agent", "end_point")
            for i, use in enumerate(procedure.agent_uses)
        ),
        pre_steps=tuple(
            _relabelled(step, f"pre_steps.{procedure.id}.{step.id}", texts, "name", "purpose")
            for step in procedure.pre_steps
        ),
        season_notes=_instructions(procedure.season_notes, f"season_notes.{procedure.id}", texts),
    )


def _course(course: Course | None, key: str, texts: Mapping[str, str]) -> Course | None:
    """The course with its note translated; its numbers and sources as they were."""
    return None if course is None else _relabelled(course, key, texts, "note")


def _stage(stage: Stage, key: str, texts: Mapping[str, str]) -> Stage:
    agents = _listed(stage.agents, f"{key}.agents", texts)
    return _relabelled(stage, key, texts, "name", "purpose", agents=agents)


def _reasons(owner: Owner, texts: Mapping[str, str]) -> Owner:
    """``owner`` with every rule's reason translated, the rules themselves unchanged."""
    update = {
        group: _rules(getattr(owner, group), f"reasons.{owner.id}", texts) for group in RULE_GROUPS
    }
    return owner.model_copy(update=update)


def _rules(rules: tuple[R, ...], key: str, texts: Mapping[str, str]) -> tuple[R, ...]:
    return tuple(
        rule.model_copy(update={"reason": texts.get(f"{key}.{rule.local_id}", rule.reason)})
        for rule in rules
    )


def _home_care(plan: HomeCarePlan, texts: Mapping[str, str]) -> HomeCarePlan:
    key = f"home_care.{plan.id}"
    return _relabelled(
        plan, key, texts, "title", rules=_instructions(plan.rules, f"{key}.rules", texts)
    )


def _scale(scale: Scale, texts: Mapping[str, str]) -> Scale:
    key = f"scales.{scale.id}"
    grades = tuple(
        _relabelled(grade, f"{key}.grades.{grade.value}", texts, "label", "description")
        for grade in scale.grades
    )
    score = scale.score
    if score is not None:
        regions = tuple(
            region.model_copy(update={"name": texts.get(f"{key}.score.regions.{i}", region.name)})
            for i, region in enumerate(score.regions)
        )
        points = tuple(
            _relabelled(point, f"{key}.score.points.{point.value}", texts, "label", "description")
            for point in score.points
        )
        score = score.model_copy(update={"regions": regions, "points": points})
    return _relabelled(scale, key, texts, "name", "summary", grades=grades, score=score)


def _instructions(
    items: tuple[Instruction, ...], key: str, texts: Mapping[str, str]
) -> tuple[Instruction, ...]:
    return tuple(
        item.model_copy(update={"text": texts.get(f"{key}.{index}", item.text)})
        for index, item in enumerate(items)
    )


def _listed(items: Iterable[str], key: str, texts: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(texts.get(f"{key}.{index}", item) for index, item in enumerate(items))
