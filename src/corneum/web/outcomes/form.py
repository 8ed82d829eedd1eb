"""The outcome entry form: its fields from the knowledge base (lesion kinds, each scale's areas
and grades in plain words), read back from a post and checked by the same schema as the API."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import ValidationError
from starlette.datastructures import FormData

from corneum.knowledge import KnowledgeBase
from corneum.records.outcomes.schemas import OutcomeCreate
from corneum.records.outcomes.tables import LESION_TYPES, Outcome
from corneum.web.choices import Choice
from corneum.web.forms import text
from corneum.web.outcomes import texts as outcome_texts


@dataclass(frozen=True, slots=True)
class GradeField:
    """One select of the form: a scale on one area (CASS, back)."""

    name: str
    scale: str
    area: str
    area_label: str
    choices: tuple[Choice, ...]


@dataclass(frozen=True, slots=True)
class ScaleFields:
    id: str
    name: str
    abbreviation: str
    summary: str
    fields: tuple[GradeField, ...]
    grades: tuple[Choice, ...]
    """Every grade with its description, for the explanation beside the selects."""


@dataclass
class OutcomeAnswers:
    """What the form holds: the texts as typed or chosen, and an error beside each bad one."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def grade_field_name(scale: str, area: str) -> str:
    return f"grade-{scale}-{area}"


def scale_fields(kb: KnowledgeBase) -> list[ScaleFields]:
    """The grade selects of every scale, in the knowledge base's order."""
    found = []
    for scale in kb.scales.values():
        choices = tuple(Choice(str(g.value), f"{g.value} — {g.label}") for g in scale.grades)
        fields = tuple(
            GradeField(grade_field_name(scale.id, area), scale.id, area, kb.label(area), choices)
            for area in scale.areas
        )
        grades = tuple(
            Choice(str(g.value), f"{g.value} — {g.label}", g.description) for g in scale.grades
        )
        found.append(
            ScaleFields(scale.id, scale.name, scale.abbreviation, scale.summary, fields, grades)
        )
    return found


def answers_from_outcome(outcome: Outcome | None) -> OutcomeAnswers:
    """The form filled in with what is saved (empty when nothing is)."""
    if outcome is None:
        return OutcomeAnswers()
    values = {kind: _shown(getattr(outcome, kind)) for kind in LESION_TYPES}
    values.update(
        {grade_field_name(g.scale, g.area): str(g.value) for g in outcome.grades},
    )
    values["note"] = outcome.note or ""
    return OutcomeAnswers(values)


def read_outcome(form: FormData, kb: KnowledgeBase) -> tuple[OutcomeAnswers, OutcomeCreate | None]:
    """The answers as posted, and the outcome they make, or None with errors by field."""
    answers = OutcomeAnswers({kind: text(form, kind) for kind in LESION_TYPES})
    answers.values["note"] = text(form, "note")
    graded: list[tuple[str, dict[str, str]]] = []
    for scale in kb.scales.values():
        for area in scale.areas:
            name = grade_field_name(scale.id, area)
            answers.values[name] = text(form, name)
            if answers.values[name]:
                graded.append(
                    (name, {"scale": scale.id, "area": area, "value": answers.values[name]})
                )
    raw = {kind: answers.values[kind] or None for kind in LESION_TYPES}
    try:
        data = OutcomeCreate.model_validate(
            {**raw, "grades": [g for _, g in graded], "note": answers.values["note"] or None}
        )
    except ValidationError as exc:
        for error in exc.errors():
            name, message = _field_of(error["loc"], [n for n, _ in graded])
            answers.errors.setdefault(name, message)
        return answers, None
    return answers, data


def _field_of(loc: tuple[int | str, ...], grade_names: list[str]) -> tuple[str, str]:
    """The form field an error of ``OutcomeCreate`` belongs to, and what to say beside it."""
    if loc[0] == "grades" and len(loc) > 1 and isinstance(loc[1], int):
        return grade_names[loc[1]], outcome_texts.GRADE_INVALID
    if loc[0] == "note":
        return "note", outcome_texts.NOTE_TOO_LONG
    return str(loc[0]), outcome_texts.COUNT_INVALID


def _shown(value: int | None) -> str:
    return "" if value is None else str(value)
