"""Personal links and signing in to the portal: made by staff (audited), opened by the client
with a one-time code from her e-mail (or her date of birth, by the clinic's setting); a wrong
answer counted, an expired, revoked or spent link refused, and the portal's cookie good for
the portal only."""

from __future__ import annotations

from datetime import datetime, timedelta
from email.header import decode_header, make_header
from uuid import uuid4

from tests.api import builders
from tests.api.conftest import LiveApi
from tests.portal.client import Phone, delivered, new_link
from tests.web.browser import Browser


def client_with_email(api: LiveApi, **fields: str) -> tuple[int, str]:
    email = f"ana.{uuid4().hex[:8]}@example.org"
    return builders.new_client(api, email=email, **fields), email


def test_reception_makes_a_link_and_the_client_signs_in_with_the_emailed_code(
    api: LiveApi,
) -> None:
    client_id, email = client_with_email(api)
    link = new_link(api, client_id)
    expires = datetime.fromisoformat(link["expires_at"])
    assert expires == api.clock.now + timedelta(days=7)
    assert link["url"].startswith(f"{api.base_url}/portal/open/")
    with Phone(api) as phone:
        opened = phone.open(link["url"])
        assert opened.headers["location"] == "/portal/sign-in"
        page = phone.get("/portal/sign-in")
        assert f"a•••@{email.split('@')[1]}" in page.text
        assert email not in page.text  # the address itself is never shown to the link's holder
        phone.sign_in(link["url"], email)
        home = phone.get("/portal")
    assert home.status_code == 200
    assert "Hello, Ana" in home.text
    mine = builders.audit_events(api, client_id=client_id)
    by_her = {(e["action"], e["resource_type"]) for e in mine if e["actor_client_id"] == client_id}
    assert {("login", "portal"), ("read", "booking"), ("create", "portal_code")} <= by_her
    made = [e for e in mine if e["resource_type"] == "portal_link" and e["action"] == "create"]
    assert made[0]["actor_id"] == builders.user_id(api, "reception")


def test_only_the_links_hash_is_stored(api: LiveApi) -> None:
    client_id, _ = client_with_email(api)
    token = new_link(api, client_id)["url"].rsplit("/", 1)[1]
    from sqlalchemy import text

    from corneum.db.engine import make_engine

    engine = make_engine(api.database_url)
    with engine.connect() as connection:
        stored = connection.execute(
            text("SELECT token_sha256 FROM portal_links WHERE client_id = :c"), {"c": client_id}
        ).scalar_one()
    engine.dispose()
    assert token not in stored
    assert len(stored) == 64


def test_five_wrong_codes_spend_the_link(api: LiveApi) -> None:
    client_id, email = client_with_email(api)
    url = new_link(api, client_id)["url"]
    with Phone(api) as phone:
        phone.open(url)
        code = phone.ask_code(email)
        wrong = "000000" if code != "000000" else "111111"
        answers = [phone.post("/portal/sign-in", answer=wrong) for _ in range(5)]
        right = phone.post("/portal/sign-in", answer=code)
        reopened = phone.open(url)
    assert [a.status_code for a in answers] == [422, 422, 422, 422, 410]
    assert "That code is not right" in answers[0].text
    assert right.status_code == 410
    assert reopened.status_code == 410
    assert "no longer works" in reopened.text
    failures = builders.audit_events(api, client_id=client_id, action="login_failed")
    assert len(failures) == 5
    assert all(e["actor_client_id"] == client_id for e in failures)


def test_an_expired_link_is_refused(api: LiveApi) -> None:
    client_id, _ = client_with_email(api)
    url = new_link(api, client_id)["url"]
    api.clock.now += timedelta(days=7, seconds=1)
    with Phone(api) as phone:
        refused = phone.open(url)
    assert refused.status_code == 410
    assert "This link has expired" in refused.text


def test_an_unknown_link_is_refused(api: LiveApi) -> None:
    with Phone(api) as phone:
        refused = phone.open(f"{api.base_url}/portal/open/not-a-token")
    assert refused.status_code == 404
    assert "This link does not work" in refused.text


def test_revoking_a_link_refuses_it_and_signs_its_client_out(api: LiveApi) -> None:
    client_id, email = client_with_email(api)
    link = new_link(api, client_id)
    with Phone(api) as phone:
        phone.sign_in(link["url"], email)
        assert phone.get("/portal").status_code == 200
        with api.as_("practitioner") as http:
            path = f"/api/clients/{client_id}/portal-links/{link['id']}"
            revoked = http.delete(path)
            listed = http.get(f"/api/clients/{client_id}/portal-links").json()["items"]
        after = phone.get("/portal")
        reopened = phone.open(link["url"])
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    assert listed[0]["id"] == link["id"]
    assert "url" not in listed[0]
    assert after.status_code == 401
    assert reopened.status_code == 410
    assert "withdrawn" in reopened.text


def test_the_date_of_birth_signs_in_when_the_clinic_chooses_it(api: LiveApi) -> None:
    client_id, _ = client_with_email(api)
    url = new_link(api, client_id)["url"]
    with api.as_("admin") as http:
        assert http.put("/api/portal/settings", json={"sign_in_check": "date_of_birth"}).is_success
        try:
            with Phone(api) as phone:
                phone.open(url)
                page = phone.get("/portal/sign-in")
                wrong = phone.post("/portal/sign-in", answer="1995-04-03")
                right = phone.post("/portal/sign-in", answer="1995-04-02")
        finally:
            assert http.put("/api/portal/settings", json={}).json()["sign_in_check"] == "code"
    assert 'type="date"' in page.text
    assert wrong.status_code == 422
    assert "does not match" in wrong.text
    assert right.status_code == 303


def test_the_code_and_the_pages_come_in_the_clients_language(api: LiveApi) -> None:
    client_id, email = client_with_email(api)
    url = new_link(api, client_id, language="ru")["url"]
    with Phone(api) as phone:
        phone.open(url)
        page = phone.get("/portal/sign-in")
        phone.post("/portal/code")
        (mail,) = [m for m in delivered(api) if m["To"] == email]
    assert "Отправить код" in page.text
    assert 'lang="ru"' in page.text
    assert str(make_header(decode_header(mail["Subject"]))).startswith("Код для входа")


def test_the_portal_cookie_opens_no_staff_page_and_the_staff_cookie_no_portal(
    api: LiveApi,
) -> None:
    client_id, email = client_with_email(api)
    with Phone(api) as phone:
        phone.sign_in(new_link(api, client_id)["url"], email)
        staff_page = phone.http.get("/clients")
        staff_api = phone.http.get(f"/api/clients/{client_id}")
    assert staff_page.status_code == 303
    assert staff_page.headers["location"].startswith("/login")
    assert staff_api.status_code == 401
    with Browser(api) as staff:
        staff.log_in("reception")
        assert staff.get("/clients").status_code == 200
        assert staff.get("/portal").status_code == 401


def test_a_portal_form_without_its_token_is_refused(api: LiveApi) -> None:
    client_id, email = client_with_email(api)
    with Phone(api) as phone:
        phone.sign_in(new_link(api, client_id)["url"], email)
        phone.token = "forged"
        refused = phone.post("/portal/sign-out")
        still = phone.get("/portal")
    assert refused.status_code == 403
    assert still.status_code == 200


def test_signing_out_ends_the_session(api: LiveApi) -> None:
    client_id, email = client_with_email(api)
    with Phone(api) as phone:
        phone.sign_in(new_link(api, client_id)["url"], email)
        phone.get("/portal")
        out = phone.post("/portal/sign-out")
        after = phone.get("/portal")
    assert out.headers["location"] == "/portal/signed-out"
    assert after.status_code == 401
    logouts = builders.audit_events(api, client_id=client_id, action="logout")
    assert logouts[0]["actor_client_id"] == client_id
