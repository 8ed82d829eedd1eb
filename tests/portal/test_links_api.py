"""The portal-links API and the record page's button: staff only, their own clinic only,
bad input named by its field path, and the link the page shows works."""

from __future__ import annotations

from tests.api import builders
from tests.api.conftest import LiveApi
from tests.portal.client import Phone
from tests.portal.test_sign_in import client_with_email
from tests.web.browser import Browser, parse


def test_links_need_a_signed_in_staff_member_of_the_clients_clinic(api: LiveApi) -> None:
    client_id, _ = client_with_email(api)
    path = f"/api/clients/{client_id}/portal-links"
    with api.client() as http:
        anonymous = http.post(path)
    with api.as_("admin") as http:
        admin = http.post(path)
    with api.as_("other") as http:
        other_clinic = http.post(path)
    with api.as_("practitioner") as http:
        practitioner = http.post(path)
    assert anonymous.status_code == 401
    assert admin.status_code == 403
    assert other_clinic.status_code == 404
    assert practitioner.status_code == 201


def test_a_language_the_portal_does_not_speak_is_refused_by_field(api: LiveApi) -> None:
    client_id, _ = client_with_email(api)
    with api.as_("reception") as http:
        refused = http.post(f"/api/clients/{client_id}/portal-links", json={"language": "fr"})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "language"]


def test_portal_settings_are_the_admins_and_checked(api: LiveApi) -> None:
    with api.as_("admin") as http:
        defaults = http.get("/api/portal/settings").json()
        refused = http.put("/api/portal/settings", json={"cancel_notice_hours": -1})
    with api.as_("reception") as http:
        not_admin = http.get("/api/portal/settings")
    assert defaults == {
        "sign_in_check": "code",
        "cancel_notice_hours": 24,
        "link_days": 7,
        "clinic_phone": None,
    }
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "cancel_notice_hours"]
    assert not_admin.status_code == 403


def test_the_record_page_makes_a_link_that_signs_the_client_in(api: LiveApi) -> None:
    client_id, email = client_with_email(api)
    with Browser(api) as staff:
        staff.log_in("reception")
        record = staff.page(f"/clients/{client_id}")
        assert "Make a portal link" in record.visible_text()
        made = staff.submit(
            f"/clients/{client_id}", f"/clients/{client_id}/portal-link", {"language": "en"}
        )
    assert made.status_code == 200
    shown = parse(made.text).fields
    url = next(f.attrs["value"] for f in shown if f.attrs.get("id") == "portal-url")
    with Phone(api) as phone:
        phone.sign_in(url, email)
        assert phone.get("/portal").status_code == 200
    created = builders.audit_events(api, client_id=client_id, resource="portal_link")
    assert created[-1]["actor_id"] == builders.user_id(api, "reception")
