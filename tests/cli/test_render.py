"""The CLI's text output as a person reads it, from the real command: the assessment table
ordered by verdict with labels not codes, stage minutes from the calendar's defaults marked as
such where the source states none, and the course said as a sentence."""

from __future__ import annotations

import json
import re

from corneum.cli.render import BOOKED_MARK, VERDICT_LABEL, VERDICT_ORDER, course_sentence
from corneum.knowledge import KnowledgeBase
from corneum.knowledge.model import Course
from tests.cli.test_cli import corneum
from tests.conftest import profile_data


def test_the_assessment_table_lists_suitable_then_caution_then_contraindicated() -> None:
    profile = json.dumps(profile_data(conditions=["rosacea"], assessed_on="2026-12-07"))
    verdicts = {
        p["name"]: p["verdict"]
        for p in json.loads(corneum("assess", "-", "-f", "json", stdin=profile).stdout)[
            "procedures"
        ]
    }
    assert len(set(verdicts.values())) >= 2, verdicts
    table = corneum("assess", "-", stdin=profile).stdout
    shown = sorted(verdicts, key=table.index)
    assert [VERDICT_ORDER[verdicts[name]] for name in shown] == sorted(
        VERDICT_ORDER[verdicts[name]] for name in shown
    )
    assert "Assessment on 7 December 2026" in table
    assert not re.search(r"\d{4}-\d{2}-\d{2}", table)
    for verdict in set(verdicts.values()):
        assert VERDICT_LABEL[verdict] in table
    assert "│ suitable" not in table, "a verdict's code, not its label"


def test_stages_the_source_leaves_untimed_show_the_calendars_minutes_marked(
    kb: KnowledgeBase,
) -> None:
    procedure = kb.procedure("chemical_peel")
    booked = kb.booking[procedure.id].stage_minutes
    untimed = [i for i, stage in enumerate(procedure.stages) if stage.duration_minutes is None]
    timed = [i for i, stage in enumerate(procedure.stages) if stage.duration_minutes is not None]
    assert untimed, "the test needs a stage the source leaves untimed"
    lines = corneum("procedure", procedure.id).stdout.splitlines()
    for index in untimed:
        row = next(line for line in lines if f"│ {index + 1} " in line)
        assert f"{booked[index]} min{BOOKED_MARK}" in row
    for index in timed:
        row = next(line for line in lines if f"│ {index + 1} " in line)
        assert BOOKED_MARK not in row
    assert any(line.startswith("Course: A course of ") for line in lines)
    assert '"sessions"' not in "\n".join(lines), "the course as JSON"


def test_a_course_is_said_as_a_sentence() -> None:
    course = Course.model_validate(
        {"sessions": {"min": 4, "max": 6}, "interval_days": {"min": 10, "max": 14}, "source": "S1"}
    )
    assert (
        course_sentence(course) == "Course: A course of 4 to 6 sessions, 10 to 14 days apart. (S1)"
    )
    open_ended = Course.model_validate(
        {"sessions": {"min": 1, "max": 1}, "interval_days": {"min": 21}, "source": "S2"}
    )
    assert (
        course_sentence(open_ended) == "Course: A course of 1 session, at least 21 days apart. (S2)"
    )
