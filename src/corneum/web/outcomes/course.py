"""A client's course of outcomes as the outcomes page shows it: a chart of lesion counts and of
grades by session, the same figures as a table, and photos paired before/after by area."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from corneum.knowledge import KnowledgeBase
from corneum.records.outcomes.service import CourseOutcome
from corneum.records.outcomes.tables import LESION_TYPES, OutcomePhoto
from corneum.web.outcomes import texts as outcome_texts
from corneum.web.outcomes.chart import Chart, Series, line_chart


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str


@dataclass(frozen=True, slots=True)
class Row:
    session_id: int
    at: datetime
    cells: tuple[int | None, ...]
    """One value per column of ``Course.columns``."""


@dataclass(frozen=True, slots=True)
class PhotoPair:
    session_id: int
    at: datetime
    before: OutcomePhoto | None
    after: OutcomePhoto | None


@dataclass(frozen=True, slots=True)
class AreaPhotos:
    area: str
    label: str
    pairs: tuple[PhotoPair, ...]


@dataclass(frozen=True, slots=True)
class Course:
    counts: Chart
    grades: Chart | None
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    photos: tuple[AreaPhotos, ...]


def course_view(
    kb: KnowledgeBase,
    outcomes: Sequence[CourseOutcome],
    photos: Sequence[OutcomePhoto],
    session_times: dict[int, datetime],
    day: Callable[[datetime], str],
) -> Course:
    """Everything the page draws; ``session_times`` gives each session's scheduled time and
    ``day`` how the reader's language writes its day (the charts' labels)."""
    dates = [day(item.session_scheduled_at) for item in outcomes]
    grade_keys = _graded(kb, outcomes)
    columns = tuple(Column(lesion.code, lesion.label) for lesion in kb.lesions) + tuple(
        Column(f"{scale}-{area}", grade_label(kb, scale, area)) for scale, area in grade_keys
    )
    rows = tuple(_row(item, grade_keys) for item in outcomes)
    counts = line_chart(dates, _count_series(kb, outcomes))
    grades = None
    if grade_keys:
        series = [
            Series(
                f"{scale}-{area}",
                grade_label(kb, scale, area),
                _grade_values(outcomes, scale, area),
            )
            for scale, area in grade_keys
        ]
        top = max(kb.scales[scale].highest for scale, _ in grade_keys if scale in kb.scales)
        grades = line_chart(dates, series, least_top=top, step=1)
    return Course(counts, grades, columns, rows, _pair_photos(kb, photos, session_times))


def _graded(kb: KnowledgeBase, outcomes: Sequence[CourseOutcome]) -> list[tuple[str, str]]:
    """Every (scale, area) graded at least once, in the knowledge base's order."""
    present = {(g.scale, g.area) for item in outcomes for g in item.outcome.grades}
    known = [(s.id, area) for s in kb.scales.values() for area in s.areas]
    return [key for key in known if key in present] + sorted(present - set(known))


def grade_label(kb: KnowledgeBase, scale_id: str, area: str) -> str:
    scale = kb.scales.get(scale_id)
    return f"{scale.abbreviation if scale else scale_id} — {kb.label(area)}"


def _grade_values(outcomes: Sequence[CourseOutcome], scale: str, area: str) -> list[int | None]:
    return [
        next((g.value for g in item.outcome.grades if (g.scale, g.area) == (scale, area)), None)
        for item in outcomes
    ]


def _count_series(kb: KnowledgeBase, outcomes: Sequence[CourseOutcome]) -> list[Series]:
    """One line per lesion group (comedones, papules and pustules, nodules): the sum of its
    kinds' counts, or a gap where none of them was counted."""
    series = []
    for group, label in outcome_texts.LESION_GROUPS.items():
        kinds = [lesion.code for lesion in kb.lesions if lesion.group == group]
        values: list[int | None] = []
        for item in outcomes:
            counted = [getattr(item.outcome, kind) for kind in kinds]
            known = [count for count in counted if count is not None]
            values.append(sum(known) if known else None)
        series.append(Series(group, label, values))
    return series


def _row(item: CourseOutcome, grade_keys: list[tuple[str, str]]) -> Row:
    outcome = item.outcome
    counts = tuple(getattr(outcome, kind) for kind in LESION_TYPES)
    grades = {(g.scale, g.area): g.value for g in outcome.grades}
    return Row(
        outcome.session_id,
        item.session_scheduled_at,
        counts + tuple(grades.get(k) for k in grade_keys),
    )


def _pair_photos(
    kb: KnowledgeBase, photos: Sequence[OutcomePhoto], session_times: dict[int, datetime]
) -> tuple[AreaPhotos, ...]:
    """Per area, per session: the latest before and after photo, side by side."""
    latest: dict[tuple[str, int, str], OutcomePhoto] = {}
    for photo in photos:
        latest[photo.area, photo.session_id, photo.moment] = photo
    areas = sorted({photo.area for photo in photos}, key=lambda a: _area_order(kb, a))
    found = []
    for area in areas:
        sessions = sorted(
            {s for a, s, _ in latest if a == area}, key=lambda s: (session_times[s], s)
        )
        pairs = tuple(
            PhotoPair(
                s, session_times[s], latest.get((area, s, "before")), latest.get((area, s, "after"))
            )
            for s in sessions
        )
        found.append(AreaPhotos(area, kb.label(area), pairs))
    return tuple(found)


def _area_order(kb: KnowledgeBase, area: str) -> tuple[int, str]:
    codes = kb.codes("areas")
    return (codes.index(area) if area in codes else len(codes), area)
