"""What the calendar refuses and a course's conflicts, in a Russian user's pages: worded by the
planning core and the calendar's services as phrases, shown from the catalogue with the values
(and the knowledge base's labels) in Russian, while the API answers the same English as
before."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from babel.support import NullTranslations

from corneum.http.problems import problem
from corneum.knowledge import default_knowledge_base
from corneum.phrase import Code, Phrase
from corneum.planning import course
from corneum.planning.calendar import HELD, resource_phrase
from corneum.records.calendar.bookings import service
from corneum.web.i18n import knowledge_in, load_translations
from corneum.web.templating import said
from tests.api import builders, calendar_builders
from tests.api.conftest import LiveApi
from tests.web.browser import Browser, parse
from tests.web.schedule import propose, proposed_starts
from tests.web.staff import log_in_as, new_staff
from tests.web.test_calendar_pages import course_bookings, local_day, slot_forms
from tests.web.test_kb_in_russian import squeezed

KB = default_knowledge_base()
RU_KB = knowledge_in(KB, "ru")
RU = load_translations("ru")
NIGHT = {"available_from": "21:00", "available_to": "23:00"}
"""Hours no practitioner of the test clinic works: no session fits."""


def russian(phrase: Phrase) -> str:
    return squeezed(said(phrase, RU, RU_KB))


def shown(response: Any) -> str:
    return squeezed(parse(response.text).visible_text())


def test_a_course_that_finds_no_time_is_named_in_russian_and_in_english_to_the_api(
    api: LiveApi,
) -> None:
    plan_id = builders.new_plan(api, builders.new_client(api))
    calendar_builders.ensure_calendar(api)
    with Browser(api) as browser:
        log_in_as(browser, new_staff(api, "reception", language="ru"))
        response = propose(browser, plan_id, {"first_day": "2043-03-02", **NIGHT})
    conflict = Phrase(course.NO_SLOT, {"number": 1, "first": "2043-03-02", "last": "2043-03-30"})
    english = "no free slot for session 1 between 2043-03-02 and 2043-03-30"
    assert conflict.text == english
    page = shown(response)
    numbered = RU.gettext("Session %(number)s: %(message)s")
    assert response.status_code == 200
    assert numbered % {"number": 1, "message": russian(conflict)} in page
    assert "нет свободного времени для сеанса 1" in page
    assert english not in page
    hours = {"spans": [{"weekday": d, "starts": "21:00", "ends": "23:00"} for d in range(7)]}
    body: dict[str, Any] = {"first_day": "2043-03-02", "client_hours": hours}
    with api.as_("reception") as http:
        proposal = http.post(f"/api/plans/{plan_id}/schedule", json=body).json()
        refused = http.post(f"/api/plans/{plan_id}/schedule", json={**body, "confirm": True})
    assert proposal["conflicts"] == [{"session": 1, "message": english}]
    assert refused.status_code == 409
    schedule = f"/api/plans/{plan_id}/schedule"
    assert refused.json() == problem(409, english, schedule, field="start")


def test_a_move_against_the_interval_rule_is_refused_in_russian_and_in_english_to_the_api(
    api: LiveApi,
) -> None:
    with Browser(api) as browser:
        log_in_as(browser, new_staff(api, "reception", language="ru"))
        second = course_bookings(api, browser, "2043-06-01")[1]
        page = f"/calendar/bookings/{second['id']}"
        day = local_day(second) + timedelta(days=1)  # six days before session 3
        slot = slot_forms(browser.get(f"{page}?day={day}").text, f"{page}/move")[0]
        response = browser.submit(page, f"{page}/move", slot)
    english = "session 3 is 6 days after session 2; at least 7 are needed (ASDS)"
    conflict = Phrase(
        course.TOO_SOON, {"number": 3, "gap": 6, "previous": 2, "least": 7, "source": "ASDS"}
    )
    assert conflict.text == english
    text = shown(response)
    assert response.status_code == 409
    assert RU.gettext("Not changed: %(reason)s") % {"reason": russian(conflict)} in text
    assert "сеанс 3 — через 6 дн. после сеанса 2; нужно не менее 7 дн. (ASDS)" in text
    assert english not in text
    move = {"start": slot["start"], "version": second["version"]}
    with api.as_("reception") as http:
        checked = http.post(
            f"/api/bookings/{second['id']}/reschedule", json={**move, "check_only": True}
        )
        refused = http.post(f"/api/bookings/{second['id']}/reschedule", json=move)
        assert http.get(f"/api/bookings/{second['id']}").json()["start"] == second["start"]
    assert checked.json() == {"conflicts": [{"session": 3, "message": english}]}
    assert refused.status_code == 409
    reschedule = f"/api/bookings/{second['id']}/reschedule"
    assert refused.json() == problem(409, english, reschedule, field="start")


def test_a_slot_taken_meanwhile_is_refused_in_russian(api: LiveApi) -> None:
    calendar_builders.ensure_calendar(api)
    client_id = builders.new_client(api)
    query = f"client={client_id}&procedure={builders.ACNE_PROCEDURE}&day=2044-03-01"
    with Browser(api) as browser:
        log_in_as(browser, new_staff(api, "reception", language="ru"))
        picker = browser.get(f"/calendar/slots?{query}")
        slot = slot_forms(picker.text, "/calendar/bookings")[0]
        at = proposed_starts(picker.text)[0].replace("T", " ")[:16]
        first = browser.submit(f"/calendar/slots?{query}", "/calendar/bookings", slot)
        again = browser.submit(f"/calendar/slots?{query}", "/calendar/bookings", slot)
    assert first.status_code == 303, first.text
    assert again.status_code == 409
    text = shown(again)
    names = {
        ("practitioner", int(slot["practitioner_id"])): api.emails["practitioner"],
        ("room", int(slot["room_id"])): "Room 1",
    }
    held = [Phrase(HELD, {"resource": resource_phrase(key, names), "time": at}) for key in names]
    reasons = [RU.gettext("Not booked: %(reason)s") % {"reason": russian(p)} for p in held]
    assert any(reason in text for reason in reasons), text
    assert f"занят в {at}" in text
    assert "is held at" not in text


def test_codes_in_a_refusal_are_named_in_the_users_language() -> None:
    laser = KB.procedure("laser_back_resurfacing")
    no_one = Phrase(service.NO_PRACTITIONER, {"procedure": Code(laser.id)})
    no_device = Phrase(service.NO_DEVICE, {"kind": Code("laser")})
    assert no_one.text == "no practitioner can perform laser_back_resurfacing"  # the API's
    assert no_device.text == "the clinic has no laser in service"
    assert said(no_one, NullTranslations(), KB) == f"no practitioner can perform {laser.name}"
    ru_name = RU_KB.procedure(laser.id).name
    assert (
        said(no_one, RU, RU_KB) == f"нет специалиста, который может провести процедуру «{ru_name}»"
    )
    assert said(no_device, RU, RU_KB).endswith(RU_KB.label("laser"))
    assert RU_KB.label("laser") != KB.label("laser")
