"""Steps the plan and calendar page tests share: proposing and booking a course through the
plan page, and reading the stable hooks (``data-slot-start``, ``data-booking-id``) pages give."""

from __future__ import annotations

import re
from typing import Any

import httpx

from tests.api import builders, calendar_builders
from tests.api.conftest import LiveApi
from tests.web.browser import Browser


def propose(browser: Browser, plan_id: int, answer: dict[str, Any]) -> httpx.Response:
    """Post the plan page's course form."""
    page = f"/plans/{plan_id}"
    return browser.submit(page, f"{page}/schedule", {"action": "propose", **answer})


def proposed_starts(html: str) -> list[str]:
    """The clinic's wall-clock starts of the sessions a page proposes or lists as free."""
    return re.findall(r'data-slot-start="([^"]+)"', html)


def booking_ids(html: str) -> list[int]:
    return [int(found) for found in dict.fromkeys(re.findall(r'data-booking-id="(\d+)"', html))]


def confirm_form(html: str) -> dict[str, Any]:
    """The hidden fields of the proposal's confirm form, as the browser would post them."""
    form = html[html.index('<div class="proposal"') :]
    fields: dict[str, Any] = {}
    for name, value in re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', form):
        if name in ("weekdays", "proposed"):
            fields.setdefault(name, []).append(value)
        elif name != "csrf_token":
            fields[name] = value
    return fields


def schedule_course(
    api: LiveApi,
    browser: Browser,
    plan_id: int,
    first_day: str,
    shown: httpx.Response | None = None,
) -> tuple[list[str], httpx.Response]:
    """Propose the course from ``first_day`` (unless ``shown`` already did) and confirm it:
    the proposed starts (UTC) and the confirmation's response."""
    calendar_builders.ensure_calendar(api)
    shown = shown or propose(browser, plan_id, {"first_day": first_day})
    assert shown.status_code == 200, shown.text
    fields = confirm_form(shown.text)
    page = f"/plans/{plan_id}"
    response = browser.submit(page, f"{page}/schedule", {**fields, "action": "confirm"})
    return fields["proposed"], response


def ensure_device(api: LiveApi, kind: str) -> int:
    """A device of ``kind`` in the home clinic, created once per live server."""
    devices = builders.fetched(api, "admin", "/api/devices")
    found = [device["id"] for device in devices if device["kind"] == kind]
    if found:
        return int(found[0])
    body = {"kind": kind, "name": f"{kind} 1"}
    return int(builders.created(api, "admin", "/api/devices", body)["id"])
