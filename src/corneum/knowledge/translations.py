"""The knowledge base's client-facing texts in another language: procedure names and
summaries, the vocabulary's labels, pre-treatment and aftercare instructions, home-care plans.

A translation file (``data/translations/<language>.yaml``) mirrors the knowledge base by id and
repeats each English text beside its translation, ``{en: ..., ru: ...}``. Loading checks it
whole: every text has its translation, nothing is left over, and each English text still reads
as the knowledge base says it; so an instruction edited in English is reported as an outdated
translation instead of leaving the old advice in print. Problems are collected, as the
knowledge base's own loader does."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from corneum.knowledge.base import KnowledgeBase
from corneum.knowledge.load import KnowledgeBaseError, default_data_dir, default_knowledge_base
from corneum.knowledge.model import HomeCarePlan, Instruction, Procedure

TRANSLATIONS_DIR = "translations"
LABELLED = ("skin_types", "areas", "concerns", "conditions", "medications", "risk_factors")
"""The vocabulary lists a consultation offers as choices."""


def translatable_texts(kb: KnowledgeBase) -> dict[str, str]:
    """Every client-facing text of ``kb`` by its key (``procedures.<id>.aftercare.0``...)."""
    return dict(_texts(kb))


def _texts(kb: KnowledgeBase) -> Iterator[tuple[str, str]]:
    for kind in LABELLED:
        for term in getattr(kb.vocabulary, kind):
            yield f"labels.{kind}.{term.code}", term.label
    for procedure in kb.procedures:
        key = f"procedures.{procedure.id}"
        yield f"{key}.name", procedure.name
        yield f"{key}.summary", procedure.summary
        for index, item in enumerate(procedure.pre_treatment):
            yield f"{key}.pre_treatment.{index}", item.text
        for index, item in enumerate(procedure.aftercare):
            yield f"{key}.aftercare.{index}", item.text
    for plan in kb.home_care.values():
        yield f"home_care.{plan.id}.title", plan.title
        for index, rule in enumerate(plan.rules):
            yield f"home_care.{plan.id}.rules.{index}", rule.text


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


def translated(kb: KnowledgeBase, texts: Mapping[str, str]) -> KnowledgeBase:
    """``kb`` showing ``texts`` (a :func:`load_translation`) instead of its English: labels,
    procedure names, summaries and instructions, home-care plans. Only for display: codes,
    rules, sources, version and hash stay those of ``kb``, so nothing assessed or stored with
    it differs from the English."""
    labels = dict(kb.labels)
    for kind in LABELLED:
        for term in getattr(kb.vocabulary, kind):
            labels[term.code] = texts.get(f"labels.{kind}.{term.code}", term.label)
    return replace(
        kb,
        labels=labels,
        procedures=tuple(_procedure(procedure, texts) for procedure in kb.procedures),
        home_care={key: _home_care(plan, texts) for key, plan in kb.home_care.items()},
    )


def _procedure(procedure: Procedure, texts: Mapping[str, str]) -> Procedure:
    key = f"procedures.{procedure.id}"
    return procedure.model_copy(
        update={
            "name": texts.get(f"{key}.name", procedure.name),
            "summary": texts.get(f"{key}.summary", procedure.summary),
            "pre_treatment": _instructions(procedure.pre_treatment, f"{key}.pre_treatment", texts),
            "aftercare": _instructions(procedure.aftercare, f"{key}.aftercare", texts),
        }
    )


def _home_care(plan: HomeCarePlan, texts: Mapping[str, str]) -> HomeCarePlan:
    key = f"home_care.{plan.id}"
    return plan.model_copy(
        update={
            "title": texts.get(f"{key}.title", plan.title),
            "rules": _instructions(plan.rules, f"{key}.rules", texts),
        }
    )


def _instructions(
    items: tuple[Instruction, ...], key: str, texts: Mapping[str, str]
) -> tuple[Instruction, ...]:
    return tuple(
        item.model_copy(update={"text": texts.get(f"{key}.{index}", item.text)})
        for index, item in enumerate(items)
    )
