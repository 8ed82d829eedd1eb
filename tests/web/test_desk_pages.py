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
    ours = [r for r in rows if r["plan_id"] in plans]  # other tests may book in that week too
    assert [datetime.fromisoformat(r["start"]) for r in ours] == [datetime.fromisoformat(start)]


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


def hidden_fields(html: str, action: str) -> dict[str, str]:
    """The hidden fields of the first form posting to ``action`` (its CSRF token left out)."""
    form = re.search(rf'<form method="post" action="{re.escape(action)}">(.*?)</form>', html, re.S)
    assert form is not None, action
    found = re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', form.group(1))
    return {name: value for name, value in found if name != "csrf_token"}


def test_booking_and_moving_are_confirmed_before_anything_is_written(api: LiveApi) -> None:
    calendar_builders.ensure_calendar(api)
    client_id = builders.new_client(api, given_name="Olga")
    query = f"/calendar/slots?client={client_id}&procedure={builders.ACNE_PROCEDURE}&day=2039-03-07"
    window = {"start": "2039-03-07T00:00:00+01:00", "end": "2039-03-09T00:00:00+01:00"}
    with Browser(api) as browser:
        browser.log_in("reception")
        slot = hidden_fields(browser.get(query).text, "/calendar/bookings")
        review = browser.submit(query, "/calendar/bookings", slot)
        before = builders.fetched(api, "reception", "/api/bookings", **window)
        confirmed = browser.submit(
            query, "/calendar/bookings", hidden_fields(review.text, "/calendar/bookings")
        )
        page = confirmed.headers["location"]
        move = hidden_fields(browser.get(f"{page}?day=2039-03-08").text, f"{page}/move")
        move_review = browser.submit(page, f"{page}/move", move)
        unmoved = builders.fetched(api, "reception", page.replace("/calendar", "/api"))
        moved = browser.submit(
            page, f"{page}/move", hidden_fields(move_review.text, f"{page}/move")
        )
    assert slot["step"] == "review"
    assert review.status_code == 200
    assert "Confirm the booking" in review.text
    assert "Olga" in review.text
    assert 'data-confirm-start="2039-03-07 07:00"' in review.text
    assert [b for b in before if b["client_id"] == client_id] == []
    assert confirmed.status_code == 303, confirmed.text
    assert "Confirm the move" in move_review.text
    assert "2039-03-07 07:00" in move_review.text  # where it is now
    assert unmoved["start"].startswith("2039-03-07")
    assert moved.status_code == 303, moved.text
    after = builders.fetched(api, "reception", page.replace("/calendar", "/api"))
    assert after["start"].startswith("2039-03-08")
