"""My appointments in the portal: the client's own only, upcoming and past; cancelling one
within the clinic's notice (audited as hers), and past it the page asking her to call."""

from __future__ import annotations

from datetime import datetime, timedelta

from corneum.knowledge import KnowledgeBase
from tests.api import builders, calendar_builders
from tests.api.conftest import LiveApi
from tests.portal.client import Phone, new_link
from tests.portal.test_sign_in import client_with_email


def booked_client(api: LiveApi) -> tuple[int, str, dict[str, object]]:
    """A client with an e-mail and one booking (in 2028); her id, e-mail and the booking."""
    client_id, email = client_with_email(api)
    made = calendar_builders.new_booking(api, builders.new_plan(api, client_id))
    return client_id, email, made


def booking_status(api: LiveApi, booking_id: object) -> str:
    status: str = builders.fetched(api, "reception", f"/api/bookings/{booking_id}")["status"]
    return status


def test_the_client_sees_her_appointment_and_cancels_it_within_the_notice(
    api: LiveApi, kb: KnowledgeBase
) -> None:
    client_id, email, made = booked_client(api)
    with Phone(api) as phone:
        phone.sign_in(new_link(api, client_id)["url"], email)
        page = phone.get("/portal")
        cancelled = phone.post(f"/portal/appointments/{made['id']}/cancel")
        after = phone.get(cancelled.headers["location"])
    assert f'id="appointment-{made["id"]}"' in page.text
    assert kb.procedure(builders.ACNE_PROCEDURE).name in page.text
    assert "Cancel this appointment" in page.text
    assert cancelled.status_code == 303
    assert "Your appointment has been cancelled." in after.text
    assert "Cancel this appointment" not in after.text
    assert booking_status(api, made["id"]) == "cancelled"
    read = builders.fetched(api, "reception", f"/api/bookings/{made['id']}")
    assert read["cancel_reason"] == "client_request"
    hers = builders.audit_events(api, client_id=client_id, resource="booking", action="update")
    assert any(e["actor_client_id"] == client_id for e in hers)


def test_inside_the_notice_the_portal_asks_her_to_call(api: LiveApi) -> None:
    client_id, email, made = booked_client(api)
    starts = datetime.fromisoformat(str(made["start"]))
    api.clock.now = starts - timedelta(hours=2)
    api.forget_tokens()
    try:
        with Phone(api) as phone:
            phone.sign_in(new_link(api, client_id)["url"], email)
            page = phone.get("/portal")
            refused = phone.post(f"/portal/appointments/{made['id']}/cancel")
    finally:
        api.forget_tokens()
    assert "please call the clinic" in page.text
    assert "Cancel this appointment" not in page.text
    assert refused.status_code == 409
    assert "less than 24 hours away" in refused.text
    assert booking_status(api, made["id"]) == "booked"


def test_a_client_never_sees_or_cancels_another_clients_appointment(api: LiveApi) -> None:
    client_id, email, mine = booked_client(api)
    _, _, theirs = booked_client(api)
    with Phone(api) as phone:
        phone.sign_in(new_link(api, client_id)["url"], email)
        page = phone.get("/portal")
        refused = phone.post(f"/portal/appointments/{theirs['id']}/cancel")
    assert f'id="appointment-{mine["id"]}"' in page.text
    assert f'id="appointment-{theirs["id"]}"' not in page.text
    assert refused.status_code == 404
    assert booking_status(api, theirs["id"]) == "booked"


def test_the_appointments_page_speaks_russian_to_a_russian_client(api: LiveApi) -> None:
    client_id, email, _ = booked_client(api)
    with Phone(api) as phone:
        phone.sign_in(new_link(api, client_id, language="ru")["url"], email)
        page = phone.get("/portal")
    assert "Предстоящие визиты" in page.text
    assert "Отменить визит" in page.text
    assert "Upcoming" not in page.text
