"""A practitioner's week as the settings form shows it: per weekday her hours and one break,
and her days off and holidays, one date a line."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData

from corneum.records.calendar.resources.schemas import HoursRead
from corneum.web.forms import text


def hours_data(form: FormData) -> dict[str, Any]:
    """The form as :class:`HoursWrite` takes it; a day with a break is two spans."""
    spans: list[dict[str, str]] = []
    for day in range(7):
        starts, ends = text(form, f"starts_{day}"), text(form, f"ends_{day}")
        if not (starts or ends):
            continue
        pause, resume = text(form, f"break_starts_{day}"), text(form, f"break_ends_{day}")
        cuts = [starts, pause, resume, ends] if pause and resume else [starts, ends]
        spans += [
            {"weekday": str(day), "starts": cuts[i], "ends": cuts[i + 1]}
            for i in range(0, len(cuts), 2)
        ]
    days_off = [line.strip() for line in text(form, "days_off").splitlines() if line.strip()]
    return {"spans": spans, "days_off": days_off}


def hours_fields(hours: HoursRead) -> dict[str, str]:
    """The stored week as the form's fields (a day's first start, last end, and the gap
    between its first two spans as its break)."""
    fields: dict[str, str] = {"days_off": "\n".join(d.isoformat() for d in hours.days_off)}
    for day in range(7):
        spans = [s for s in hours.spans if s.weekday == day]
        if not spans:
            continue
        fields[f"starts_{day}"] = f"{spans[0].starts:%H:%M}"
        fields[f"ends_{day}"] = f"{spans[-1].ends:%H:%M}"
        if len(spans) > 1:
            fields[f"break_starts_{day}"] = f"{spans[0].ends:%H:%M}"
            fields[f"break_ends_{day}"] = f"{spans[1].starts:%H:%M}"
    return fields
