"""The knowledge base's texts in the client, today, plan, calendar and consent pages of a user who
reads Russian: skin labels, procedure, stage and device names, course and season notes. The
English pages keep the English, and what is stored keeps its codes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from corneum.knowledge import default_knowledge_base
from corneum.knowledge.translations import shipped_translation
from tests.api import builders, calendar_builders
from tests.api.conftest import LiveApi
from tests.web.browser import Browser
from tests.web.schedule import ensure_device, propose
from tests.web.staff import log_in_as

KB = default_knowledge_base()
RUSSIAN = shipped_translation("ru")
ACNE = KB.procedure(builders.ACNE_PROCEDURE)
DEVICE_PROCEDURE = KB.procedure("ultrasonic_back_cleansing")
LASER = KB.procedure("laser_back_resurfacing")


def russian_staff(api: LiveApi, role: str = "practitioner") -> dict[str, Any]:
    """A new account of the home clinic that reads Russian, made by its admin."""
    qualifications = ["doctor", "cosmetologist"] if role == "practitioner" else []
    body = builders.new_user_body(role, qualifications=qualifications, language="ru")
    return builders.created(api, "admin", "/api/users", body)


def pages(api: LiveApi, email: str | None, *paths: str) -> list[str]:
    """The visible text of each of ``paths``, for the account ``email`` (None: the seeded
    practitioner, who reads English)."""
    with Browser(api) as browser:
        if email is None:
            browser.log_in("practitioner")
        else:
            log_in_as(browser, email)
        return [browser.page(path).visible_text() for path in paths]


def russian_pages(api: LiveApi, *paths: str) -> list[str]:
    return pages(api, russian_staff(api)["email"], *paths)


def test_the_client_record_shows_skin_and_timeline_in_russian(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    builders.new_consultation(api, client_id)
    builders.new_plan(api, client_id)
    (russian,) = russian_pages(api, f"/clients/{client_id}")
    (english,) = pages(api, None, f"/clients/{client_id}")
    phototype = KB.vocabulary.phototypes[2]
    assert phototype.value == builders.CLIENT["phototype"]
    shown = {
        RUSSIAN["labels.skin_types.oily"]: KB.label("oily"),
        f"{RUSSIAN['phototypes.3.label']} ({RUSSIAN['phototypes.3.description']})": (
            f"{phototype.label} ({phototype.description})"
        ),
        RUSSIAN["labels.risk_factors.frequent_stress"]: KB.label("frequent_stress"),
        RUSSIAN["labels.areas.back"]: KB.label("back"),  # the consultation on the timeline
        RUSSIAN[f"procedures.{ACNE.id}.name"]: ACNE.name,  # the plan on the timeline
    }
    for translation, english_text in shown.items():
        assert translation in russian
        assert english_text not in russian
        assert english_text in english


def test_the_plan_page_shows_the_procedure_course_and_season_advice_in_russian(
    api: LiveApi,
) -> None:
    (note,) = LASER.season_notes
    assert LASER.course is not None
    assert LASER.course.note is not None
    calendar_builders.ensure_calendar(api)
    ensure_device(api, "laser")
    body = {"procedure_id": LASER.id, "sessions_planned": 2}
    plan_id = builders.new_plan(api, builders.new_client(api), **body)
    with Browser(api) as browser:
        log_in_as(browser, russian_staff(api)["email"])
        proposal = propose(browser, plan_id, {"first_day": "2040-06-04"})
    assert proposal.status_code == 200, proposal.text
    page = " ".join(proposal.text.split())
    season_note = RUSSIAN[f"season_notes.{LASER.id}.0"]
    assert RUSSIAN[f"procedures.{LASER.id}.name"] in page
    assert LASER.name not in page
    assert RUSSIAN[f"courses.{LASER.id}.note"] in page
    assert LASER.course.note not in page
    assert page.count(season_note) == 2  # both sessions fall in the sunny months
    assert f"({note.source})" in page
    assert " ".join(note.text.split()) not in page
    with api.as_("practitioner") as http:
        assert http.get(f"/api/plans/{plan_id}").json()["procedure_id"] == LASER.id


def device_booking(api: LiveApi) -> dict[str, Any]:
    """A single visit of a procedure whose stages hold a scheduled device."""
    ensure_device(api, "ultrasonic_device")
    calendar_builders.ensure_calendar(api)
    body = {
        "client_id": builders.new_client(api),
        "procedure_id": DEVICE_PROCEDURE.id,
        "start": "2041-03-06T10:00:00+01:00",
    }
    return builders.created(api, "reception", "/api/bookings", body)


def test_the_calendar_and_booking_pages_show_procedure_stages_and_devices_in_russian(
    api: LiveApi,
) -> None:
    booking = device_booking(api)
    week = f"/calendar?week=2041-03-06&practitioner={booking['practitioner_id']}"
    detail = f"/calendar/bookings/{booking['id']}"
    picker = f"/calendar/slots?client={booking['client_id']}&procedure={DEVICE_PROCEDURE.id}"
    reception = russian_staff(api, "reception")["email"]
    calendar, booked, slots = pages(api, reception, week, detail, picker)
    name = RUSSIAN[f"procedures.{DEVICE_PROCEDURE.id}.name"]
    assert name in calendar
    assert f"{name} · " in calendar  # the block's procedure and client
    assert name in booked
    assert name in slots
    for index, stage in enumerate(DEVICE_PROCEDURE.stages):
        assert RUSSIAN[f"stages.{DEVICE_PROCEDURE.id}.{index}.name"] in booked
        assert RUSSIAN[f"stages.{DEVICE_PROCEDURE.id}.{index}.name"] in calendar
        assert stage.name not in booked + calendar
    assert RUSSIAN["labels.equipment.ultrasonic_device"] in booked
    assert KB.label("ultrasonic_device") not in booked
    for procedure_id in KB.booking:
        assert RUSSIAN[f"procedures.{procedure_id}.name"] in slots
        assert KB.procedure(procedure_id).name not in slots + calendar + booked


def test_the_today_page_names_the_procedure_in_russian(api: LiveApi) -> None:
    practitioner = russian_staff(api)
    calendar_builders.ensure_calendar(api)
    with api.as_("admin") as http:
        hours = http.put(
            f"/api/practitioners/{practitioner['id']}/hours", json=calendar_builders.HOURS
        )
    assert hours.status_code == 200, hours.text
    body = {
        "client_id": builders.new_client(api),
        "procedure_id": ACNE.id,
        "practitioner_id": practitioner["id"],
        "start": "2042-03-05T10:00:00+01:00",
    }
    builders.created(api, "reception", "/api/bookings", body)
    api.clock.now = datetime(2042, 3, 5, 7, tzinfo=UTC)
    (today,) = pages(api, practitioner["email"], "/")
    assert RUSSIAN[f"procedures.{ACNE.id}.name"] in today
    assert ACNE.name not in today


def test_the_consent_pages_name_the_procedures_in_russian(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    body = {**builders.consent_body(), "procedure_id": ACNE.id}
    consent = builders.created(api, "practitioner", f"/api/clients/{client_id}/consents", body)
    choice, signed = russian_pages(
        api, f"/clients/{client_id}/consents/new", f"/consents/{consent['id']}"
    )
    for procedure in KB.procedures:
        assert RUSSIAN[f"procedures.{procedure.id}.name"] in choice
        assert procedure.name not in choice
    assert RUSSIAN[f"procedures.{ACNE.id}.name"] in signed
    assert ACNE.name not in signed
    assert consent["procedure_id"] == ACNE.id
