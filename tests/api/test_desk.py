"""The reception desk over HTTP: check-in, no-show and late cancellation answered with their
status, kept in the booking's history and the audit log, refused to the wrong role or at the
wrong time (409 naming the status); a cancelled place offered to the stored waitlist and booked
for it; and why a slot search found nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.api import builders, calendar_builders
from tests.api.conftest import LiveApi


def booking_on_its_day(api: LiveApi) -> tuple[dict[str, object], datetime]:
    """A booking, and the clock put to half an hour before it."""
    plan_id = builders.new_plan(api, builders.new_client(api))
    row = calendar_builders.new_booking(api, plan_id)
    start = datetime.fromisoformat(str(row["start"]))
    api.clock.now = start - timedelta(minutes=30)
    api.forget_tokens()
    return row, start


def test_check_in_then_no_show_are_recorded_with_who(api: LiveApi) -> None:
    row, start = booking_on_its_day(api)
    path = f"/api/bookings/{row['id']}"
    with api.as_("admin") as http:
        assert http.post(f"{path}/check-in").status_code == 403
    with api.as_("reception") as http:
        early = http.post(f"{path}/no-show")
        assert early.status_code == 409
        assert early.json()["field"] == "status"
        arrived = http.post(f"{path}/check-in")
        assert (arrived.status_code, arrived.json()["status"]) == (200, "arrived")
        detail = http.get(path).json()
    reception = builders.user_id(api, "reception")
    assert [(e["action"], e["actor_id"]) for e in detail["history"]][-1] == ("check_in", reception)
    other, start = booking_on_its_day(api)
    api.clock.now = start + timedelta(minutes=15)
    api.forget_tokens()
    with api.as_("reception") as http:
        missed = http.post(f"/api/bookings/{other['id']}/no-show")
        assert (missed.status_code, missed.json()["status"]) == (200, "no_show")
    changes = [
        event["detail"].get("change")
        for event in builders.fetched(
            api, "admin", "/api/audit", resource="booking", client_id=other["client_id"]
        )["items"]
        if event["resource_id"] == str(other["id"])
    ]
    assert "no_show" in changes


def test_a_late_cancellation_frees_the_place_for_the_waitlist(api: LiveApi) -> None:
    row, start = booking_on_its_day(api)
    waiting = builders.new_client(api)
    day = start.date().isoformat()
    entry = builders.created(
        api, "reception", "/api/waitlist",
        {"client_id": waiting, "procedure_id": builders.ACNE_PROCEDURE, "earliest": day,
         "latest": day},
    )  # fmt: skip
    assert entry["status"] == "waiting"
    with api.as_("reception") as http:
        late = http.post(f"/api/bookings/{row['id']}/late-cancel")
        assert (late.status_code, late.json()["status"]) == (200, "late_cancelled")
        offered = http.get(f"/api/bookings/{row['id']}/offers").json()
        assert [o["id"] for o in offered] == [entry["id"]]
        taken = http.post(f"/api/bookings/{row['id']}/offers", json={"entry_id": entry["id"]})
        assert taken.status_code == 201, taken.text
        assert (taken.json()["client_id"], taken.json()["start"]) == (waiting, row["start"])
        assert entry["id"] not in [e["id"] for e in http.get("/api/waitlist").json()]
        again = http.post(f"/api/bookings/{row['id']}/offers", json={"entry_id": entry["id"]})
        assert again.status_code == 409


def test_bad_waitlist_entries_are_refused_naming_the_field(api: LiveApi) -> None:
    client = builders.new_client(api)
    with api.as_("reception") as http:
        backwards = http.post(
            "/api/waitlist",
            json={"client_id": client, "procedure_id": builders.ACNE_PROCEDURE,
                  "earliest": "2028-02-02", "latest": "2028-02-01"},
        )  # fmt: skip
        unknown = http.post(
            "/api/waitlist",
            json={"client_id": client, "procedure_id": "no_such", "earliest": "2028-02-01",
                  "latest": "2028-02-01"},
        )  # fmt: skip
    assert backwards.status_code == 422
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"] == ["body", "procedure_id"]


def test_the_empty_slot_answer_is_explained(api: LiveApi) -> None:
    calendar_builders.ensure_calendar(api)
    causes = builders.fetched(
        api, "reception", "/api/slots/causes", procedure_id="microdermabrasion",
        start="2028-03-06T00:00:00+01:00", end="2028-03-07T00:00:00+01:00",
    )  # fmt: skip
    assert causes["causes"][0] == "the clinic has no microdermabrasion_machine in service"
