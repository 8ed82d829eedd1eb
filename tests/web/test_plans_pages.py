"""From an assessment to a plan, and the plan's course proposed and booked, over real HTTP."""

from __future__ import annotations

import itertools
import re
from datetime import date, datetime, time

import pytest

from corneum.knowledge import default_knowledge_base
from tests.api import builders, calendar_builders
from tests.api.conftest import LiveApi
from tests.web.browser import Browser, new_client
from tests.web.schedule import (
    booking_ids,
    confirm_form,
    ensure_device,
    propose,
    proposed_starts,
    schedule_course,
)
from tests.web.test_pages import WIZARD_ANSWERS, wizard


def assessed(api: LiveApi, browser: Browser) -> tuple[int, int]:
    """A client consulted through the wizard (psoriasis: some procedures contraindicated);
    the client's and the consultation's ids."""
    client_id = new_client(api)
    response = browser.submit(wizard(client_id), wizard(client_id), WIZARD_ANSWERS)
    assert response.status_code == 303, response.text
    return client_id, int(response.headers["location"].rsplit("/", 1)[1])


def test_only_procedures_not_contraindicated_get_a_plan_button(api: LiveApi) -> None:
    with Browser(api) as browser:
        browser.log_in("practitioner")
        _, consultation_id = assessed(api, browser)
        page = browser.get(f"/consultations/{consultation_id}").text
    with api.as_("practitioner") as http:
        assessment = http.get(f"/api/consultations/{consultation_id}").json()["assessment"]
    verdicts = {item["id"]: item["verdict"] for item in assessment["procedures"]}
    assert "contraindicated" in verdicts.values()  # the test means something
    buttons = set(re.findall(r'data-procedure-id="([a-z_]+)"', page))
    assert buttons == {pid for pid, verdict in verdicts.items() if verdict != "contraindicated"}
    names = {p.id: p.name for p in default_knowledge_base().procedures}
    for procedure_id in buttons:  # each button says which plan it starts, to a screen reader
        assert f'aria-label="Start a plan: {names[procedure_id]}"' in page


def test_the_button_creates_the_plan_and_opens_it(api: LiveApi) -> None:
    kb = default_knowledge_base()
    with Browser(api) as browser:
        browser.log_in("practitioner")
        client_id, consultation_id = assessed(api, browser)
        page = f"/consultations/{consultation_id}"
        procedure_id = re.findall(r'data-procedure-id="([a-z_]+)"', browser.get(page).text)[0]
        response = browser.submit(page, f"{page}/plans", {"procedure_id": procedure_id})
        assert response.status_code == 303, response.text
        plan_page = browser.page(response.headers["location"]).visible_text()
    with api.as_("practitioner") as http:
        (plan,) = http.get(f"/api/clients/{client_id}/plans").json()
    course = kb.procedure(procedure_id).course
    expected = course.sessions.min if course and course.sessions else 1
    assert response.headers["location"] == f"/plans/{plan['id']}"
    assert (plan["procedure_id"], plan["consultation_id"]) == (procedure_id, consultation_id)
    assert plan["sessions_planned"] == expected
    assert kb.procedure(procedure_id).name in plan_page


def test_a_contraindicated_procedure_gets_no_plan_even_when_posted(api: LiveApi) -> None:
    with Browser(api) as browser:
        browser.log_in("practitioner")
        client_id, consultation_id = assessed(api, browser)
        with api.as_("practitioner") as http:
            assessment = http.get(f"/api/consultations/{consultation_id}").json()["assessment"]
        barred = next(
            item["id"] for item in assessment["procedures"] if item["verdict"] == "contraindicated"
        )
        page = f"/consultations/{consultation_id}"
        response = browser.submit(page, f"{page}/plans", {"procedure_id": barred})
    assert response.status_code == 409
    with api.as_("practitioner") as http:
        assert http.get(f"/api/clients/{client_id}/plans").json() == []


def test_the_course_is_proposed_at_the_knowledge_bases_intervals_in_the_clients_hours(
    api: LiveApi,
) -> None:
    plan_id = builders.new_plan(api, builders.new_client(api))
    calendar_builders.ensure_calendar(api)
    course = default_knowledge_base().procedure(builders.ACNE_PROCEDURE).course
    assert course is not None
    assert course.interval_days is not None
    assert course.interval_days.max is not None
    with Browser(api) as browser:
        browser.log_in("reception")
        answer = {
            "first_day": "2031-03-03",
            "weekdays": ["1", "3"],
            "available_from": "10:00",
            "available_to": "14:00",
        }
        response = propose(browser, plan_id, answer)
    assert response.status_code == 200, response.text
    starts = [datetime.fromisoformat(s) for s in proposed_starts(response.text)]
    assert len(starts) == 4  # the plan's sessions
    assert all(start.weekday() in (1, 3) for start in starts)
    assert all(time(10) <= start.time() for start in starts)
    assert all(start.date() >= date(2031, 3, 3) for start in starts)
    gaps = [(b.date() - a.date()).days for a, b in itertools.pairwise(starts)]
    assert all(course.interval_days.min <= gap <= course.interval_days.max for gap in gaps)


@pytest.mark.parametrize(
    ("answer", "fields"),
    [
        ({"available_from": "14:00", "available_to": "10:00"}, ["available_to"]),
        ({"available_from": "23:59"}, ["available_to"]),  # the day ends at 23:59
        ({"first_day": "soon", "available_to": "noon"}, ["first_day", "available_to"]),
    ],
)
def test_bad_answers_are_shown_beside_their_fields(
    api: LiveApi, answer: dict[str, str], fields: list[str]
) -> None:
    plan_id = builders.new_plan(api, builders.new_client(api))
    with Browser(api) as browser:
        browser.log_in("reception")
        response = propose(browser, plan_id, answer)
    assert response.status_code == 422
    assert re.findall(r'id="(\w+)-error"', response.text) == fields
    assert proposed_starts(response.text) == []


def test_confirming_books_the_proposal_shown(api: LiveApi) -> None:
    plan_id = builders.new_plan(api, builders.new_client(api))
    with Browser(api) as browser:
        browser.log_in("reception")
        proposed, response = schedule_course(api, browser, plan_id, "2032-03-01")
        assert response.status_code == 303, response.text
        page = browser.get(f"/plans/{plan_id}").text
    with api.as_("reception") as http:
        bookings = [http.get(f"/api/bookings/{bid}").json() for bid in booking_ids(page)]
    assert len(bookings) == 4
    assert [datetime.fromisoformat(b["start"]) for b in bookings] == [
        datetime.fromisoformat(start) for start in proposed
    ]
    assert {b["plan_id"] for b in bookings} == {plan_id}
    assert "Every planned session is booked." in page


def test_a_stale_proposal_is_not_booked(api: LiveApi) -> None:
    """Someone took a proposed time meanwhile: the new proposal is shown, nothing is booked."""
    plan_id = builders.new_plan(api, builders.new_client(api))
    calendar_builders.ensure_calendar(api)
    with Browser(api) as browser:
        browser.log_in("reception")
        shown = propose(browser, plan_id, {"first_day": "2033-03-01"})
        first = confirm_form(shown.text)["proposed"][0]
        other = builders.new_plan(api, builders.new_client(api))
        taken = calendar_builders.booking_body(api, other, first)
        builders.created(api, "reception", "/api/bookings", taken)
        response = schedule_course(api, browser, plan_id, "2033-03-01", shown=shown)[1]
    assert response.status_code == 409
    assert "The calendar changed since these times were proposed" in response.text
    assert first not in re.findall(r'name="proposed" value="([^"]+)"', response.text)
    with api.as_("reception") as http:
        summaries = http.get(f"/api/clients/{_client_of(api, plan_id)}/plans").json()
    assert summaries[0]["sessions_booked"] == 0


def _client_of(api: LiveApi, plan_id: int) -> int:
    with api.as_("practitioner") as http:
        client_id: int = http.get(f"/api/plans/{plan_id}").json()["client_id"]
    return client_id


def test_reception_sees_the_plan_without_its_note(api: LiveApi) -> None:
    plan_id = builders.new_plan(api, builders.new_client(api), note="Private clinical note")
    with Browser(api) as browser:
        browser.log_in("reception")
        reception = browser.page(f"/plans/{plan_id}").visible_text()
    with Browser(api) as browser:
        browser.log_in("practitioner")
        practitioner = browser.page(f"/plans/{plan_id}").visible_text()
    assert "Private clinical note" in practitioner
    assert "Private clinical note" not in reception
    assert "Propose the sessions" in reception


def test_plans_need_the_right_role_and_a_csrf_token(api: LiveApi) -> None:
    plan_id = builders.new_plan(api, builders.new_client(api))
    with Browser(api) as browser:
        assert browser.get(f"/plans/{plan_id}").status_code == 303  # sign in first
        browser.log_in("admin")
        assert browser.get(f"/plans/{plan_id}").status_code == 403
    with Browser(api) as browser:
        browser.log_in("reception")
        refused = browser.submit("/", "/consultations/1/plans", {"procedure_id": "x"})
        assert refused.status_code == 403  # only practitioners start plans
        forged = browser.http.post(f"/plans/{plan_id}/schedule", data={"action": "propose"})
        assert forged.status_code == 403
    with Browser(api) as browser:
        browser.log_in("other")
        assert browser.get(f"/plans/{plan_id}").status_code == 404


def test_a_course_in_the_sunny_months_draws_the_knowledge_bases_season_advice(
    api: LiveApi,
) -> None:
    procedure = default_knowledge_base().procedure("laser_back_resurfacing")
    (note,) = procedure.season_notes
    calendar_builders.ensure_calendar(api)
    ensure_device(api, "laser")
    body = {"procedure_id": procedure.id, "sessions_planned": 2}
    plan_id = builders.new_plan(api, builders.new_client(api), **body)
    with Browser(api) as browser:
        browser.log_in("practitioner")
        shown = propose(browser, plan_id, {"first_day": "2039-05-02"})
        response = schedule_course(api, browser, plan_id, "2039-05-02", shown=shown)[1]
        first = booking_ids(browser.get(f"/plans/{plan_id}").text)[0]
        booking = browser.page(f"/calendar/bookings/{first}").visible_text()
    starts = [datetime.fromisoformat(s) for s in proposed_starts(shown.text)]
    assert [start.month in note.avoid_months for start in starts] == [True, True]
    assert shown.text.count(note.text) == 2  # one line per session in a flagged month
    assert response.status_code == 303, response.text
    assert "waiting: practitioner free" in booking  # the anaesthetic wait holds only the room


def test_the_practitioner_sets_the_number_of_sessions_within_the_course(api: LiveApi) -> None:
    course = default_knowledge_base().procedure(builders.ACNE_PROCEDURE).course
    assert course is not None
    assert course.sessions is not None
    most = course.sessions.max
    plan_id = builders.new_plan(api, builders.new_client(api))
    page, action = f"/plans/{plan_id}", f"/plans/{plan_id}/sessions"
    with Browser(api) as browser:
        browser.log_in("reception")
        assert browser.submit(page, action, {"sessions_planned": "5"}).status_code == 403
    with Browser(api) as browser:
        browser.log_in("practitioner")
        too_many = browser.submit(page, action, {"sessions_planned": str(most + 1)})
        changed = browser.submit(page, action, {"sessions_planned": str(most)})
    assert too_many.status_code == 422
    assert 'id="sessions_planned-error"' in too_many.text
    assert changed.status_code == 303
    with api.as_("practitioner") as http:
        assert http.get(f"/api/plans/{plan_id}").json()["sessions_planned"] == most


def test_the_plan_page_links_its_handout(api: LiveApi) -> None:
    plan_id = builders.new_plan(api, builders.new_client(api))
    with Browser(api) as browser:
        browser.log_in("practitioner")
        page = browser.get(f"/plans/{plan_id}").text
        link = f'href="/plans/{plan_id}/handout"'
        assert link in page
        assert browser.get(f"/plans/{plan_id}/handout").status_code == 200
