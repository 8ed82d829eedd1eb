"""Line charts drawn on the server as SVG geometry: no script, no chart library.

:func:`line_chart` turns series of values, one per session, into coordinates; the template
``_outcome_chart.html`` draws them. Sessions are spaced evenly (a course's visits are what is
compared, not the days between them); a missing value leaves a gap in its line.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

XMap = Callable[[int], float]
YMap = Callable[[float], float]

WIDTH = 640
HEIGHT = 260
LEFT = 44
RIGHT = 40
TOP = 16
BOTTOM = 40
"""The plot area's margins, in SVG units: room for the value axis and the date labels."""
MAX_DATE_LABELS = 8
"""More dates than this under the axis would overlap: only every n-th is written."""


@dataclass(frozen=True, slots=True)
class Series:
    key: str
    """A stable id for the line (``inflammatory``, ``cass-back``), used in classes and tests."""
    label: str
    values: Sequence[int | None]
    """One value per session, ``None`` where that session has none."""


@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float
    value: int
    session: int
    """The index of the session along the course."""


@dataclass(frozen=True, slots=True)
class Line:
    key: str
    label: str
    index: int
    """The series' place, which picks its colour and marker."""
    points: tuple[Point, ...]
    segments: tuple[str, ...]
    """``points`` attributes of SVG polylines: one per run of sessions with a value."""


@dataclass(frozen=True, slots=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    lines: tuple[Line, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int


def line_chart(
    labels: Sequence[str], series: Sequence[Series], *, least_top: int = 1, step: int = 0
) -> Chart:
    """A chart of ``series`` over the sessions named by ``labels`` (their dates).

    The value axis runs from 0 to the largest value rounded up to a tidy number, at least
    ``least_top`` (a scale's highest grade, so a grade of 1 does not fill the chart);
    ``step`` forces the distance between value ticks (1 for grades)."""
    top = _tidy_top(max([least_top, *(v for s in series for v in s.values if v is not None)]))
    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM

    def x(index: int) -> float:
        if len(labels) < 2:
            return (LEFT + right) / 2
        return round(LEFT + index * (right - LEFT) / (len(labels) - 1), 1)

    def y(value: float) -> float:
        return round(bottom - value * (bottom - TOP) / top, 1)

    lines = tuple(
        _line(index, item, x, y) for index, item in enumerate(series) if _has_values(item)
    )
    tick_step = step or _tick_step(top)
    y_ticks = tuple(Tick(y(v), str(v)) for v in range(0, top + 1, tick_step))
    every = math.ceil(len(labels) / MAX_DATE_LABELS) or 1
    x_ticks = tuple(Tick(x(i), label if i % every == 0 else "") for i, label in enumerate(labels))
    return Chart(WIDTH, HEIGHT, lines, x_ticks, y_ticks, LEFT, right, TOP, bottom)


def _has_values(series: Series) -> bool:
    return any(value is not None for value in series.values)


def _line(index: int, series: Series, x: XMap, y: YMap) -> Line:
    points = tuple(
        Point(x(i), y(value), value, i)
        for i, value in enumerate(series.values)
        if value is not None
    )
    runs: list[list[Point]] = []
    previous = -2
    for point in points:
        if point.session != previous + 1:
            runs.append([])
        runs[-1].append(point)
        previous = point.session
    segments = tuple(" ".join(f"{p.x},{p.y}" for p in run) for run in runs if len(run) > 1)
    return Line(series.key, series.label, index, points, segments)


def _tidy_top(value: int) -> int:
    """The smallest of 1, 2, 5 times a power of ten that is at least ``value``."""
    if value <= 5:
        return max(value, 1)
    magnitude = int(10 ** math.floor(math.log10(value)))
    return next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= value)


def _tick_step(top: int) -> int:
    return max(1, top // 5)
