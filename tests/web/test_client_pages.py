"""The client pages over real HTTP: adding and editing a client (refusals beside the fields,
nothing typed lost, a possible duplicate shown before saving), the list (search in any script,
by phone and e-mail, sorted, a page at a time) and the record (age, appointments, plans)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

import httpx
import pytest

from corneum.web.clients.pages import PAGE_SIZE
from tests.api import builders, calendar_builders
from tests.api.conftest import LiveApi
from tests.web.browser import Browser, parse

FORM = {
    "given_name": "Алина",
    "family_name": "Соколова",
    "date_of_birth": "1990-05-17",
    "sex": "female",
    "phone": "+7 (912) 345-67-89",
    "email": "alina@example.org",
    "preferred_language": "ru",
    "address": "Тверская, 1",
    "emergency_contact": "Мама, +7 912 000-00-00",
    "referral_source": "recommendation",
    "marketing_consent": "yes",
    "notes": "Prefers mornings",
}


def unique() -> str:
    return uuid4().hex[:10]


def form(**changes: str) -> dict[str, str]:
    """The form filled in for a client no other test has (names, phone and e-mail unique)."""
    tag = unique()
    digits = str(int(tag, 16))[-9:].rjust(9, "0")
    return {
        **FORM,
        "family_name": f"Соколова-{tag}",
        "phone": f"+7 (9{digits[:2]}) {digits[2:5]}-{digits[5:7]}-{digits[7:]}",
        "email": f"alina.{tag}@example.org",
        **changes,
    }


def add(browser: Browser, data: dict[str, str]) -> httpx.Response:
    return browser.submit("/clients/new", "/clients/new", data)


def added_id(response: httpx.Response) -> int:
    assert response.status_code == 303, response.text
    found = re.fullmatch(r"/clients/(\d+)", response.headers["location"])
    assert found is not None
    return int(found.group(1))


def stored(api: LiveApi, client_id: int) -> dict[str, Any]:
    client: dict[str, Any] = builders.fetched(api, "reception", f"/api/clients/{client_id}")
    return client


def listed(browser: Browser, **params: str) -> list[int]:
    """The ids of the clients a list page shows, in order."""
    response = browser.get("/clients", params=params)
    assert response.status_code == 200, response.text
    return ids_in(response.text)


def test_reception_adds_a_client_with_every_detail(api: LiveApi) -> None:
    data = form()
    with Browser(api) as browser:
        browser.log_in("reception")
        client_id = added_id(add(browser, data))
        record = browser.page(f"/clients/{client_id}").visible_text()
    client = stored(api, client_id)
    assert client["family_name"] == data["family_name"]
    assert (client["sex"], client["preferred_language"]) == ("female", "ru")
    assert (client["referral_source"], client["marketing_consent"]) == ("recommendation", True)
    assert client["marketing_consent_at"] is not None
    assert client["emergency_contact"] == "Мама, +7 912 000-00-00"
    assert "Prefers mornings" in record
    assert "Recommended by someone" in record
    created = builders.audit_events(api, client_id=client_id, action="create")
    assert [event["actor_id"] for event in created] == [builders.user_id(api, "reception")]


def test_a_refused_form_shows_each_error_beside_its_field_and_keeps_what_was_typed(
    api: LiveApi,
) -> None:
    data = form(family_name="", email="not an address", phone="call me", date_of_birth="2999-01-01")
    with Browser(api) as browser:
        browser.log_in("reception")
        response = add(browser, data)
    assert response.status_code == 422
    page = parse(response.text)
    errors = {
        name: re.search(rf'<p class="error" id="{name}-error">([^<]+)</p>', response.text)
        for name in ("family_name", "email", "phone", "date_of_birth")
    }
    assert {name: found.group(1) if found else None for name, found in errors.items()} == {
        "family_name": "Required.",
        "email": "Not one valid e-mail address.",
        "phone": "Not a phone number: digits, spaces, brackets and dashes, a + first if any.",
        "date_of_birth": "Give a date in the past.",
    }
    values = {f.attrs.get("name"): f.attrs.get("value") for f in page.fields if f.tag == "input"}
    assert values["email"] == "not an address"
    assert values["phone"] == "call me"
    assert values["given_name"] == "Алина"
    assert "Prefers mornings" in response.text  # the notes too
    assert 'id="marketing_consent" name="marketing_consent" value="yes" checked' in response.text
    nothing = builders.fetched(api, "reception", "/api/clients", q=data["phone"])
    assert nothing["total"] == 0  # nothing was stored


def test_a_possible_duplicate_is_shown_before_saving_and_can_be_saved_anyway(
    api: LiveApi,
) -> None:
    first = form()
    same_phone = form(phone=re.sub(r"\D", "", first["phone"]).replace("7", "8", 1))
    with Browser(api) as browser:
        browser.log_in("reception")
        existing = added_id(add(browser, first))
        warned = add(browser, same_phone)
        anyway = add(browser, {**same_phone, "anyway": "yes"})
    assert warned.status_code == 409
    assert 'id="duplicates"' in warned.text
    assert f'<a href="/clients/{existing}">' in warned.text
    assert f'value="{same_phone["family_name"]}"' in warned.text  # nothing typed is lost
    added = added_id(anyway)
    assert added != existing


def test_the_same_name_and_birth_date_is_a_possible_duplicate(api: LiveApi) -> None:
    first = form()
    twin = form(family_name=first["family_name"].upper(), given_name="АЛИНА")
    other_day = form(family_name=first["family_name"], date_of_birth="1991-05-17")
    with Browser(api) as browser:
        browser.log_in("practitioner")
        added_id(add(browser, first))
        assert add(browser, twin).status_code == 409
        added_id(add(browser, other_day))


def test_an_edit_changes_the_details_and_clears_an_emptied_field(api: LiveApi) -> None:
    with Browser(api) as browser:
        browser.log_in("reception")
        client_id = added_id(add(browser, form()))
        edit = f"/clients/{client_id}/edit"
        page = browser.page(edit)
        shown = {f.attrs.get("name"): f.attrs.get("value") for f in page.fields}
        assert shown["given_name"] == "Алина"
        changed = form(given_name="Алёна", email="", marketing_consent="")
        changed["phone"] = shown["phone"] or ""
        response = browser.submit(edit, edit, changed)
        assert response.status_code == 303
    client = stored(api, client_id)
    assert (client["given_name"], client["email"]) == ("Алёна", None)
    assert (client["marketing_consent"], client["marketing_consent_at"]) == (False, None)
    [change] = builders.audit_events(api, client_id=client_id, action="update")
    assert "email" in change["detail"]["fields"]


def test_an_edit_refused_keeps_the_record_as_it_was(api: LiveApi) -> None:
    with Browser(api) as browser:
        browser.log_in("reception")
        client_id = added_id(add(browser, form()))
        edit = f"/clients/{client_id}/edit"
        response = browser.submit(edit, edit, form(given_name="  "))
    assert response.status_code == 422
    assert 'id="given_name-error"' in response.text
    assert stored(api, client_id)["given_name"] == "Алина"


def test_the_list_finds_a_client_by_a_cyrillic_part_of_the_name_the_phone_and_the_email(
    api: LiveApi,
) -> None:
    data = form()
    tag = data["family_name"].split("-")[1]
    with Browser(api) as browser:
        browser.log_in("reception")
        client_id = added_id(add(browser, data))
        phone_digits = re.sub(r"\D", "", data["phone"])
        assert listed(browser, q=f"СОКОЛОВА-{tag.upper()}") == [client_id]
        assert listed(browser, q=f"алина {tag}") == [client_id]
        assert listed(browser, q="8" + phone_digits[1:]) == [client_id]
        assert listed(browser, q=data["phone"]) == [client_id]
        assert listed(browser, q=f"alina.{tag}@") == [client_id]
        fragment = browser.get("/clients", params={"q": tag}, headers={"HX-Request": "true"})
    assert f'href="/clients/{client_id}"' in fragment.text
    assert "<html" not in fragment.text


def test_the_list_sorts_by_name_or_recent_first_and_pages(api: LiveApi) -> None:
    tag = unique()
    names = [f"{tag}-{number:02d}" for number in reversed(range(PAGE_SIZE + 2))]
    ids = {name: builders.new_client(api, family_name=name) for name in names}
    by_name = [ids[name] for name in sorted(names)]
    with Browser(api) as browser:
        browser.log_in("practitioner")
        assert listed(browser, q=tag, sort="name") == by_name[:PAGE_SIZE]
        assert listed(browser, q=tag) == sorted(ids.values(), reverse=True)[:PAGE_SIZE]
        first = browser.get("/clients", params={"q": tag.upper(), "sort": "name"}).text
        second = browser.get(link(first, "next-page")).text
        again = browser.get(link(second, "previous-page")).text
    assert ids_in(second) == by_name[PAGE_SIZE:]
    assert 'id="next-page"' not in second
    assert ids_in(again) == ids_in(first) == by_name[:PAGE_SIZE]
    assert f"Clients: {PAGE_SIZE + 2}" in first


def link(html: str, rel: str) -> str:
    found = re.search(rf'href="([^"]+)" id="{rel}"', html)
    assert found is not None, rel
    return found.group(1).replace("&amp;", "&")


def ids_in(html: str) -> list[int]:
    return [int(found) for found in re.findall(r'<tr data-client-id="(\d+)"', html)]


def test_the_record_shows_age_appointments_with_practitioners_and_plan_progress(
    api: LiveApi,
) -> None:
    client_id = builders.new_client(api, date_of_birth="1990-11-24")
    plan_id = builders.new_plan(api, client_id, sessions_planned=4)
    booking = calendar_builders.new_booking(api, plan_id)
    practitioner = api.emails["practitioner"]
    with Browser(api) as browser:
        browser.log_in("reception")
        before = browser.get(f"/clients/{client_id}").text
    api.clock.now = datetime.fromisoformat(booking["start"]) + timedelta(days=1)
    api.forget_tokens()
    with Browser(api) as browser:
        browser.log_in("reception")  # the sign-in of a day before has run out
        after = browser.get(f"/clients/{client_id}").text
    assert re.search(r'id="client-age">Age: 35<', before)  # 36 only on 24 November
    upcoming = before[before.index('id="appointments-upcoming"') :]
    assert f'data-booking-id="{booking["id"]}"' in upcoming
    assert practitioner in upcoming.split("</ul>")[0]
    assert 'id="appointments-past"' not in before
    past = after[after.index('id="appointments-past"') :]
    assert f'data-booking-id="{booking["id"]}"' in past
    plan = re.search(rf'data-plan-id="{plan_id}">(.*?)</li>', before)
    assert plan is not None
    assert "0 of 4 sessions done" in plan.group(1)
    assert "booked: 1" in plan.group(1)


@pytest.mark.parametrize("path", ["/clients/new", "/clients/{id}/edit"])
def test_an_administrator_may_not_add_or_edit_clients(api: LiveApi, path: str) -> None:
    client_id = builders.new_client(api)
    with Browser(api) as browser:
        browser.log_in("admin")
        assert browser.get(path.format(id=client_id)).status_code == 403


def test_another_clinics_client_cannot_be_edited(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    with Browser(api) as browser:
        browser.log_in("other")
        assert browser.get(f"/clients/{client_id}/edit").status_code == 404
        edit = "/clients/new"
        response = browser.submit(edit, f"/clients/{client_id}/edit", form())
        assert response.status_code == 404
    assert stored(api, client_id)["given_name"] == "Ana"  # as the builder made her
