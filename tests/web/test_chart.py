"""The SVG chart's geometry: a point per value, a gap where a session has none, tidy axes."""

from __future__ import annotations

import pytest

from corneum.web.outcomes.chart import MAX_DATE_LABELS, Series, line_chart

DATES = ["2026-11-02", "2026-11-16", "2026-11-30", "2026-12-14"]


def test_a_missing_value_breaks_the_line_but_keeps_the_other_points() -> None:
    chart = line_chart(DATES, [Series("papules", "Papules", [8, None, 4, 2])])
    [line] = chart.lines
    assert [(p.session, p.value) for p in line.points] == [(0, 8), (2, 4), (3, 2)]
    assert len(line.segments) == 1  # the lone first point has no line to join
    assert line.segments[0].count(",") == 2


def test_points_run_left_to_right_and_higher_values_sit_higher() -> None:
    chart = line_chart(DATES, [Series("cass-back", "CASS — Back", [4, 3, 3, 1])], least_top=5)
    xs = [p.x for p in chart.lines[0].points]
    ys = {p.value: p.y for p in chart.lines[0].points}
    assert xs == sorted(xs)
    assert ys[4] < ys[3] < ys[1]
    assert [tick.label for tick in chart.y_ticks] == ["0", "1", "2", "3", "4", "5"]


@pytest.mark.parametrize(("largest", "top"), [(0, 1), (3, 3), (7, 10), (38, 50), (120, 200)])
def test_the_value_axis_ends_on_a_tidy_number(largest: int, top: int) -> None:
    chart = line_chart(DATES[:1], [Series("s", "S", [largest])])
    assert chart.y_ticks[-1].label == str(top)


def test_a_series_without_values_draws_nothing_and_many_dates_are_thinned() -> None:
    dates = [f"2027-01-{day:02d}" for day in range(1, 21)]
    chart = line_chart(dates, [Series("nodular", "Nodules", [None] * 20)])
    assert chart.lines == ()
    assert 0 < sum(1 for tick in chart.x_ticks if tick.label) <= MAX_DATE_LABELS
