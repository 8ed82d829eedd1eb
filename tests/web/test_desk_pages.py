"""The reception desk's pages over real HTTP: the day sheet's check-in and a freed place
booked from the waitlist; the waitlist page (add, refuse naming the field, remove); the week
optimiser's proposal beside the greedy baseline, with only the places the desk ticks booked;
and a walk-in booked now, or refused naming why."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from tests.api import builders, calendar_builders
from tests.api.conftest import LiveApi
from tests.web.browser import Browser
from tests.web.schedule import booking_ids

WEEK = "2036-06-02"
"""A Monday no other test books into."""


def waiting_ids(api: LiveApi) -> list[int]:
    return [entry["id"] for entry in builders.fetched(api, "reception", "/api/waitlist")]


def desk_on_the_day(api: LiveApi) -> tuple[dict[str, object], datetime]:
    """A booking, and the clock half an hour before it."""
    row = calendar_builders.new_booking(api, builders.new_plan(api, builders.new_client(api)))
    start = datetime.fromisoformat(str(row["start"]))
    api.clock.now = start - timedelta(minutes=30)
    api.forget_tokens()
    return row, start


def test_the_day_sheet_checks_in_and_books_a_freed_place_from_the_waitlist(
    api: LiveApi,
) -> None:
    row, start = desk_on_the_day(api)
    day = start.date().isoformat()
    waiting = builders.new_client(api, given_name="Wanda")
    body = {"client_id": waiting, "procedure_id": builders.ACNE_PROCEDURE}
    entry = builders.created(
        api, "reception", "/api/waitlist", body | {"earliest": day, "latest": day}
    )
    sheet = f"/day?day={day}"
    with Browser(api) as browser:
        browser.log_in("reception")
        assert row["id"] in booking_ids(browser.get(sheet).text)
        assert 'href="/waitlist"' in browser.get(sheet).text
        late = browser.submit(
            sheet, f"/day/bookings/{row['id']}/late_cancel", {"day": day, "by": ""}
        )
        assert late.status_code == 303, late.text
        offered = browser.get(sheet).text
        assert f'name="entry_id" value="{entry["id"]}"' in offered
        taken = browser.submit(
            sheet, f"/day/offers/{row['id']}", {"entry_id": str(entry["id"]), "day": day}
        )
        assert taken.status_code == 303, taken.text
        booking_id = int(taken.headers["location"].rsplit("/", 1)[1])
        checked = browser.submit(
            sheet, f"/day/bookings/{booking_id}/check_in", {"day": day, "by": ""}
        )
        assert checked.status_code == 303, checked.text
        after = browser.get(sheet).text
    assert re.search(rf'data-booking-id="{booking_id}" data-status="arrived"', after)
    assert re.search(rf'data-booking-id="{row["id"]}" data-status="late_cancelled"', after)
    made = builders.fetched(api, "reception", f"/api/bookings/{booking_id}")
    assert (made["client_id"], made["start"], made["status"]) == (waiting, row["start"], "arrived")
    assert entry["id"] not in waiting_ids(api)


def test_the_waitlist_page_adds_refuses_and_removes(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    answers = {
        "client_id": str(client_id), "procedure_id": builders.ACNE_PROCEDURE,
        "earliest": "2036-07-01", "latest": "2036-07-03",
    }  # fmt: skip
    with Browser(api) as browser:
        browser.log_in("reception")
        added = browser.submit("/waitlist", "/waitlist", answers)
        assert added.status_code == 303, added.text
        (entry,) = [
            e for e in builders.fetched(api, "reception", "/api/waitlist")
            if e["client_id"] == client_id
        ]  # fmt: skip
        listed = browser.get("/waitlist").text
        backwards = browser.submit("/waitlist", "/waitlist", answers | {"latest": "2036-06-30"})
        no_client = browser.submit("/waitlist", "/waitlist", answers | {"client_id": ""})
        removed = browser.submit("/waitlist", f"/waitlist/{entry['id']}/remove", {})
        after = browser.get("/waitlist").text
    assert (entry["earliest"], entry["latest"], entry["status"]) == (
        "2036-07-01",
        "2036-07-03",
        "waiting",
    )
    assert f'data-entry-id="{entry["id"]}"' in listed
    assert backwards.status_code == 422
    assert "latest must not be before earliest" in backwards.text
    assert no_client.status_code == 422
    assert 'id="client_id-error"' in no_client.text
    assert removed.status_code == 303
    assert f'data-entry-id="{entry["id"]}"' not in after
    assert entry["id"] not in waiting_ids(api)


def test_the_week_is_proposed_beside_the_baseline_and_only_ticked_places_booked(
    api: LiveApi,
) -> None:
    calendar_builders.ensure_calendar(api)
    plans = [builders.new_plan(api, builders.new_client(api)) for _ in range(2)]
    entries: list[dict[str, object]] = []
    for plan in plans:
        client_id = plan_client(api, plan)
        body = {"client_id": client_id, "plan_id": plan, "earliest": WEEK, "latest": "2036-06-03"}
        entries.append(builders.created(api, "reception", "/api/waitlist", body))
    with Browser(api) as browser:
        browser.log_in("reception")
        proposed = browser.submit("/waitlist", "/waitlist/optimise", {"week_start": WEEK})
        boxes = re.findall(r'name="accept" value="([^"]+)"', proposed.text)
        tuesday = browser.submit("/waitlist", "/waitlist/optimise", {"week_start": "2036-06-03"})
        booked = browser.submit("/waitlist", "/waitlist/book", {"accept": boxes[0]})
    assert proposed.status_code == 200, proposed.text
    assert 'data-figure="placed">2<' in proposed.text
    assert 'data-figure="greedy-placed">2<' in proposed.text
    assert len(boxes) == 2
    assert tuesday.status_code == 422
    assert 'id="week_start-error"' in tuesday.text
    assert booked.status_code == 303
    assert booked.headers["location"].startswith("/day?day=2036-06-0")
    first_entry, start = int(boxes[0].split(" ")[0]), boxes[0].split(" ")[1]
    still = waiting_ids(api)
    assert first_entry not in still
    assert next(e["id"] for e in entries if e["id"] != first_entry) in still
    rows = builders.fetched(
        api, "reception", "/api/bookings", start="2036-06-02T00:00:00+02:00",
        end="2036-06-09T00:00:00+02:00",
    )  # fmt: skip
    assert [datetime.fromisoformat(r["start"]) for r in rows] == [datetime.fromisoformat(start)]


def plan_client(api: LiveApi, plan_id: int) -> int:
    client_id: int = builders.fetched(api, "practitioner", f"/api/plans/{plan_id}")["client_id"]
    return client_id


def test_a_walk_in_is_booked_now_or_refused_naming_why(api: LiveApi) -> None:
    calendar_builders.ensure_calendar(api)
    client_id = builders.new_client(api)
    with Browser(api) as browser:
        browser.log_in("reception")
        sheet = browser.get("/day").text
        answers = {"client_id": str(client_id), "procedure_id": builders.ACNE_PROCEDURE}
        walked = browser.submit("/day", "/day/walk-in", answers)
        no_machine = browser.submit(
            "/day", "/day/walk-in", answers | {"procedure_id": "microdermabrasion"}
        )
        unknown = browser.submit("/day", "/day/walk-in", answers | {"procedure_id": "no_such"})
    assert 'action="/day/walk-in"' in sheet
    assert walked.status_code == 303, walked.text
    booking = builders.fetched(
        api, "reception", walked.headers["location"].replace("/calendar", "/api")
    )
    assert (booking["client_id"], booking["status"]) == (client_id, "arrived")
    assert datetime.fromisoformat(booking["start"]) >= api.clock.now
    assert datetime.fromisoformat(booking["start"]).date() == api.clock.now.date()
    assert no_machine.status_code == 409
    assert "no place for a walk-in before the end of the day" in no_machine.text
    assert "microdermabrasion" in no_machine.text.lower()
    assert unknown.status_code == 422
    assert 'id="procedure_id-error"' in unknown.text
