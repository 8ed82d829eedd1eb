"""A week's waitlist through the optimiser over HTTP: proposed, then booked in one go, always
around what the calendar already holds; bad input named by field."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from typing import Any

import httpx

from tests.api import builders, calendar_builders
from tests.api.conftest import LiveApi

WEEK = date(2029, 6, 4)
"""A Monday no other test books into."""


def entry(plan_id: int, first: int, last: int) -> dict[str, Any]:
    return {
        "plan_id": plan_id,
        "earliest": (WEEK + timedelta(days=first)).isoformat(),
        "latest": (WEEK + timedelta(days=last)).isoformat(),
    }


def optimise(api: LiveApi, body: dict[str, Any]) -> httpx.Response:
    with api.as_("reception") as http:
        return http.post("/api/calendar/optimise", json=body)


def test_a_waitlist_is_proposed_then_booked_around_what_is_there(api: LiveApi) -> None:
    calendar_builders.ensure_calendar(api)
    plans = [builders.new_plan(api, builders.new_client(api)) for _ in range(3)]
    requests = [entry(plans[0], 0, 0), entry(plans[1], 0, 1), entry(plans[2], 2, 4)]
    proposed = optimise(api, {"week_start": WEEK.isoformat(), "requests": requests, "seconds": 2})
    assert proposed.status_code == 200, proposed.text
    week = proposed.json()
    assert (len(week["placed"]), week["unplaced"], week["placed_bound"]) == (3, [], 3)
    assert week["booked"] == []
    assert week["greedy_placed"] == 3
    for placement in week["placed"]:
        asked = requests[placement["request"]]
        assert placement["plan_id"] == asked["plan_id"]
        day = datetime.fromisoformat(placement["slot"]["local_start"]).date()
        assert date.fromisoformat(asked["earliest"]) <= day <= date.fromisoformat(asked["latest"])
    booked = optimise(
        api, {"week_start": WEEK.isoformat(), "requests": requests, "seconds": 2, "book": True}
    ).json()
    assert sorted(b["plan_id"] for b in booked["booked"]) == sorted(plans)
    # The same waitlist again must go around the sessions just booked: one practitioner and
    # one room, so no two sessions of the week may overlap.
    again = optimise(
        api, {"week_start": WEEK.isoformat(), "requests": requests, "seconds": 2, "book": True}
    ).json()
    spans = sorted(
        (datetime.fromisoformat(b["start"]), datetime.fromisoformat(b["end"]))
        for b in booked["booked"] + again["booked"]
    )
    assert len(spans) == 6
    assert all(end <= start for (_, end), (start, _) in itertools.pairwise(spans))


def test_bad_waitlists_are_refused_naming_the_field(api: LiveApi) -> None:
    plan_id = builders.new_plan(api, builders.new_client(api))
    tuesday = (WEEK + timedelta(days=1)).isoformat()
    cases: list[tuple[dict[str, Any], list[str | int]]] = [
        ({"week_start": tuesday, "requests": [entry(plan_id, 0, 1)]}, ["body", "week_start"]),
        ({"week_start": WEEK.isoformat(), "requests": []}, ["body", "requests"]),
        (
            {"week_start": WEEK.isoformat(), "requests": [entry(plan_id, 0, 1)], "seconds": 60},
            ["body", "seconds"],
        ),
        (
            {"week_start": WEEK.isoformat(), "requests": [entry(plan_id, 3, 1)]},
            ["body", "requests", 0],
        ),
    ]
    for body, location in cases:
        refused = optimise(api, body)
        assert refused.status_code == 422, (body, refused.text)
        assert [problem["loc"] for problem in refused.json()["detail"]] == [location]


def test_a_plan_of_another_clinic_is_not_found(api: LiveApi) -> None:
    plan_id = builders.new_plan(api, builders.new_client(api))
    with api.as_("other") as http:
        refused = http.post(
            "/api/calendar/optimise",
            json={"week_start": WEEK.isoformat(), "requests": [entry(plan_id, 0, 1)]},
        )
    assert refused.status_code == 404
