"""Who may call what, for every endpoint of the API.

``ENDPOINTS`` lists every /api route with the roles it lets through; a test fails when the app
has a route the table does not list (or the table a route the app lacks), so a new endpoint
cannot ship without its access rule. For each endpoint: the allowed roles get an answer (2xx),
the other roles 403, no token 401, and a user of another clinic 404 on a path that names a
record, exactly as for a record that does not exist.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

import httpx
import pytest

from corneum.app import create_app
from corneum.config import Settings
from tests.api import builders, calendar_builders, images
from tests.api.conftest import PASSWORD, ROLES, LiveApi

PUBLIC = frozenset({"public"})
SIGNED_IN = frozenset({"signed_in"})
ADMIN = frozenset({"admin"})
PRACTITIONER = frozenset({"practitioner"})
STAFF = frozenset({"practitioner", "reception"})
EVERYONE = frozenset({"admin", "practitioner", "reception"})
OUTSIDER = {"practitioner": "other", "admin": "other_admin"}
"""The user of the other clinic who has the role an endpoint lets through."""


class World:
    """The records an endpoint's path and body name, made on first use by the home clinic."""

    procedure_id = builders.ACNE_PROCEDURE
    stage_index = 0

    def __init__(self, api: LiveApi) -> None:
        self.api = api

    @cached_property
    def client_id(self) -> int:
        client_id = builders.new_client(self.api)
        builders.add_history(self.api, client_id, "herpes_history")
        builders.add_medication(self.api, client_id, "isotretinoin", "2026-08-01")
        return client_id

    @cached_property
    def consultation_id(self) -> int:
        consultation_id: int = builders.new_consultation(self.api, self.client_id)["id"]
        return consultation_id

    @cached_property
    def plan_id(self) -> int:
        return builders.new_plan(self.api, self.client_id)

    @cached_property
    def session_id(self) -> int:
        return builders.ready_session(self.api, self.client_id, self.plan_id)

    @cached_property
    def entry_id(self) -> int:
        entries = builders.fetched(
            self.api, "practitioner", f"/api/clients/{self.client_id}/history"
        )
        entry_id: int = entries[0]["id"]
        return entry_id

    @cached_property
    def medication_id(self) -> int:
        path = f"/api/clients/{self.client_id}/medications"
        medication_id: int = builders.fetched(self.api, "practitioner", path)[0]["id"]
        return medication_id

    def skip_every_stage(self) -> None:
        procedure = builders.fetched(
            self.api, "practitioner", f"/api/procedures/{self.procedure_id}"
        )
        for index in range(len(procedure["stages"])):
            path = f"/api/sessions/{self.session_id}/stages/{index}/skip"
            builders.created(self.api, "practitioner", path, {"reason": "declined"})

    @cached_property
    def user_id(self) -> int:
        created = builders.created(self.api, "admin", "/api/users", builders.new_user_body())
        user_id: int = created["id"]
        return user_id

    @cached_property
    def practitioner_id(self) -> int:
        calendar_builders.ensure_calendar(self.api)
        return builders.user_id(self.api, "practitioner")

    @cached_property
    def room_id(self) -> int:
        return calendar_builders.ensure_calendar(self.api)

    @cached_property
    def device_id(self) -> int:
        body = {"kind": "laser", "name": "Laser"}
        device_id: int = builders.created(self.api, "admin", "/api/devices", body)["id"]
        return device_id

    @cached_property
    def booking_id(self) -> int:
        booking_id: int = calendar_builders.new_booking(self.api, self.plan_id)["id"]
        return booking_id

    @cached_property
    def maintenance_id(self) -> int:
        path = f"/api/devices/{self.device_id}/maintenance"
        body = {"starts_at": "2029-02-01T08:00:00Z", "ends_at": "2029-02-01T12:00:00Z"}
        maintenance_id: int = builders.created(self.api, "admin", path, body)["id"]
        return maintenance_id

    def issue_token(self) -> None:
        assert self.token

    @cached_property
    def token(self) -> str:
        path = f"/api/clients/{self.client_id}/feed-link"
        made = builders.created(self.api, "reception", path, {})
        url: str = made["url"]
        return url.rsplit("/", 1)[1].removesuffix(".ics")

    @cached_property
    def link_id(self) -> int:
        path = f"/api/clients/{self.client_id}/portal-links"
        link_id: int = builders.created(self.api, "reception", path, {})["id"]
        return link_id

    def path(self, template: str, renamed: dict[str, str] | None = None) -> str:
        """The template's placeholders filled with the records of those names (``renamed``:
        another attribute's, where a name means another record)."""
        names = re.findall(r"{(\w+)}", template)
        attribute = renamed or {}
        return template.format(**{n: getattr(self, attribute.get(n, n)) for n in names})

    def on_booking_day(self, minutes: int) -> None:
        """The clock put ``minutes`` from the booking's start (signing in anew then)."""
        start = builders.fetched(self.api, "reception", f"/api/bookings/{self.booking_id}")["start"]
        self.api.clock.now = datetime.fromisoformat(start) + timedelta(minutes=minutes)
        self.api.forget_tokens()

    def free_place(self) -> None:
        """The booking cancelled, its place free for the waitlist."""
        calendar_builders.cancel(self.api, self.booking_id)

    @cached_property
    def waiting_id(self) -> int:
        made = builders.created(self.api, "reception", "/api/waitlist", waiting(self))
        waiting_id: int = made["id"]
        return waiting_id

    @cached_property
    def patch_test_id(self) -> int:
        path = f"/api/clients/{self.client_id}/patch-tests"
        made = builders.created(self.api, "practitioner", path, patch_test_body(self))
        patch_test_id: int = made["id"]
        return patch_test_id

    def record_stage(self) -> None:
        path = f"/api/sessions/{self.session_id}/stages"
        builders.created(self.api, "practitioner", path, stage(self))

    @cached_property
    def photo_id(self) -> int:
        path = f"/api/sessions/{self.session_id}/photos"
        with self.api.as_("practitioner") as http:
            response = http.post(path, data=photo_form(self), files=photo_file())
        assert response.status_code == 201, response.text
        photo_id: int = response.json()["id"]
        return photo_id

    def record_outcome(self) -> None:
        path = f"/api/sessions/{self.session_id}/outcome"
        builders.created(self.api, "practitioner", path, {"papules": 2})


Body = Callable[[World], dict[str, Any]]


def waiting(world: World) -> dict[str, Any]:
    """A waitlist entry for the client, for a single visit on a day no booking takes."""
    return {
        "client_id": world.client_id,
        "procedure_id": builders.ACNE_PROCEDURE,
        "earliest": "2029-03-05",
        "latest": "2029-03-09",
    }


def offer_taken(world: World) -> dict[str, Any]:
    """A client waiting for the booking's freed place, which an earlier call's taking is
    cancelled to free again."""
    start = builders.fetched(world.api, "reception", f"/api/bookings/{world.booking_id}")["start"]
    end = (datetime.fromisoformat(start) + timedelta(minutes=1)).isoformat()
    for held in builders.fetched(world.api, "reception", "/api/bookings", start=start, end=end):
        if held["status"] == "booked":
            calendar_builders.cancel(world.api, held["id"])
    day = start[:10]
    body = {"client_id": world.client_id, "procedure_id": world.procedure_id}
    entry = builders.created(
        world.api, "reception", "/api/waitlist", body | {"earliest": day, "latest": day}
    )
    return {"entry_id": entry["id"]}


def set_up_calendar(world: World) -> None:
    calendar_builders.ensure_calendar(world.api)


def waiting_in_week(world: World) -> None:
    """A plan's entry waiting for a day of the week the optimiser is asked about."""
    body = {"client_id": world.client_id, "plan_id": world.plan_id}
    week = {"earliest": "2029-06-18", "latest": "2029-06-19"}
    builders.created(world.api, "reception", "/api/waitlist", body | week)


@dataclass(frozen=True)
class Access:
    allowed: frozenset[str]
    record: bool = False
    """Whether the request names a record of a clinic (in its path or body)."""
    body: Body | None = None
    """Made afresh for every call: a booking needs a time no earlier call took."""
    setup: Callable[[World], None] | None = None
    query: Body | None = None
    form: Body | None = None
    """Sent as a multipart form with a photo attached, instead of a JSON body."""
    renamed: dict[str, str] | None = None
    """The World attribute for a path placeholder naming another record than its namesake."""


def photo_form(_: World) -> dict[str, Any]:
    return {"area": "back", "moment": "after"}


def photo_file() -> dict[str, tuple[str, bytes, str]]:
    return {"file": ("after.png", images.png(), "image/png")}


def patch_test_body(_: World) -> dict[str, Any]:
    return {
        "procedure_id": builders.ACNE_PROCEDURE,
        "product": "Enzyme powder",
        "lot_number": "PT-1",
        "applied_at": "2026-11-21T09:00:00Z",
    }


def stage(_: World) -> dict[str, Any]:
    return {"stage_index": 0, "name": "Cleansing", "started_at": "2026-11-23T10:00:00Z"}


OWNERS = frozenset({"practitioner", "admin"})
"""A practitioner's feed address: hers to issue and revoke, or an admin's."""


def practitioner_link(world: World) -> None:
    path = f"/api/practitioners/{world.practitioner_id}/feed-link"
    builders.created(world.api, "practitioner", path, {})


ENDPOINTS: dict[tuple[str, str], Access] = {
    ("GET", "/api/health"): Access(PUBLIC),
    ("GET", "/api/ready"): Access(PUBLIC),
    ("GET", "/api/procedures"): Access(PUBLIC),
    ("GET", "/api/procedures/{procedure_id}"): Access(PUBLIC),
    ("GET", "/api/procedures/{procedure_id}/consent"): Access(PUBLIC),
    ("GET", "/api/codes"): Access(PUBLIC),
    ("POST", "/api/auth/token"): Access(PUBLIC),
    ("POST", "/api/auth/session"): Access(PUBLIC),
    ("DELETE", "/api/auth/session"): Access(PUBLIC),
    ("POST", "/api/auth/logout"): Access(SIGNED_IN),
    ("GET", "/api/auth/me"): Access(SIGNED_IN),
    ("PATCH", "/api/auth/me"): Access(SIGNED_IN, body=lambda _: {"language": "en"}),
    ("POST", "/api/auth/password"): Access(
        SIGNED_IN, body=lambda _: {"current_password": "x", "new_password": "a long new phrase"}
    ),
    ("POST", "/api/auth/second-factor"): Access(SIGNED_IN),
    ("POST", "/api/auth/second-factor/confirm"): Access(
        SIGNED_IN, body=lambda _: {"code": "0" * 6}
    ),
    ("POST", "/api/auth/second-factor/off"): Access(SIGNED_IN, body=lambda _: {"code": "0" * 6}),
    ("GET", "/api/clients"): Access(STAFF),
    ("POST", "/api/clients"): Access(STAFF, body=lambda _: {"given_name": "A", "family_name": "B"}),
    ("GET", "/api/clients/{client_id}"): Access(STAFF, record=True),
    ("PATCH", "/api/clients/{client_id}"): Access(
        STAFF, record=True, body=lambda _: {"phone": "+44 20 7946 0001"}
    ),
    ("GET", "/api/clients/{client_id}/history"): Access(PRACTITIONER, record=True),
    ("POST", "/api/clients/{client_id}/history"): Access(
        PRACTITIONER, record=True, body=lambda _: {"condition_code": "eczema"}
    ),
    ("PATCH", "/api/clients/{client_id}/history/{entry_id}"): Access(
        PRACTITIONER, record=True, body=lambda _: {"status": "resolved"}
    ),
    ("GET", "/api/clients/{client_id}/medications"): Access(PRACTITIONER, record=True),
    ("PATCH", "/api/clients/{client_id}/medications/{medication_id}"): Access(
        PRACTITIONER, record=True, body=lambda _: {"note": "stopped by her GP"}
    ),
    ("POST", "/api/clients/{client_id}/medications"): Access(
        PRACTITIONER, record=True, body=lambda _: {"code": "topical_retinoid"}
    ),
    ("GET", "/api/clients/{client_id}/allergies"): Access(PRACTITIONER, record=True),
    ("POST", "/api/clients/{client_id}/allergies"): Access(
        PRACTITIONER, record=True, body=lambda _: {"allergen": "salicylic acid"}
    ),
    ("POST", "/api/assessments"): Access(
        PRACTITIONER, record=True, body=lambda w: {"client_id": w.client_id, **builders.BACK}
    ),
    ("GET", "/api/clients/{client_id}/consultations"): Access(PRACTITIONER, record=True),
    ("POST", "/api/clients/{client_id}/consultations"): Access(
        PRACTITIONER, record=True, body=lambda _: builders.BACK
    ),
    ("GET", "/api/consultations/{consultation_id}"): Access(PRACTITIONER, record=True),
    ("GET", "/api/clients/{client_id}/plans"): Access(STAFF, record=True),
    ("POST", "/api/clients/{client_id}/plans"): Access(
        PRACTITIONER,
        record=True,
        body=lambda _: {"procedure_id": builders.ACNE_PROCEDURE, "sessions_planned": 3},
    ),
    ("GET", "/api/plans/{plan_id}"): Access(PRACTITIONER, record=True),
    ("PATCH", "/api/plans/{plan_id}"): Access(
        PRACTITIONER, record=True, body=lambda _: {"sessions_planned": 5}
    ),
    ("POST", "/api/plans/{plan_id}/sessions"): Access(
        STAFF, record=True, body=lambda w: builders.booking(w.api)
    ),
    ("GET", "/api/clients/{client_id}/sessions"): Access(STAFF, record=True),
    ("GET", "/api/sessions/{session_id}"): Access(PRACTITIONER, record=True),
    ("PATCH", "/api/sessions/{session_id}"): Access(
        PRACTITIONER, record=True, body=lambda _: {"scheduled_at": "2026-11-23T11:00:00Z"}
    ),
    ("POST", "/api/sessions/{session_id}/stages"): Access(PRACTITIONER, record=True, body=stage),
    ("POST", "/api/sessions/{session_id}/stages/{stage_index}/skip"): Access(
        PRACTITIONER, record=True, body=lambda _: {"reason": "the client declined it"}
    ),
    ("POST", "/api/sessions/{session_id}/acknowledgement"): Access(
        PRACTITIONER, record=True, body=lambda _: {"note": "discussed with the client"}
    ),
    ("POST", "/api/sessions/{session_id}/complete"): Access(
        PRACTITIONER, record=True, setup=World.skip_every_stage
    ),
    ("PATCH", "/api/sessions/{session_id}/stages/{stage_index}"): Access(
        PRACTITIONER,
        record=True,
        setup=World.record_stage,
        body=lambda _: {"ended_at": "2026-11-30T10:05:00Z"},
    ),
    ("POST", "/api/sessions/{session_id}/products"): Access(
        PRACTITIONER, record=True, body=lambda _: {"name": "Glycolic 30%", "lot_number": "L-77"}
    ),
    ("POST", "/api/sessions/{session_id}/observations"): Access(
        PRACTITIONER,
        record=True,
        body=lambda _: {"observed_at": "2026-11-30T10:20:00Z", "text": "mild erythema"},
    ),
    ("POST", "/api/sessions/{session_id}/adverse-events"): Access(
        PRACTITIONER,
        record=True,
        body=lambda _: {
            "occurred_at": "2026-11-30T10:25:00Z",
            "kind": "erythema",
            "severity": "mild",
        },
    ),
    ("GET", "/api/sessions/{session_id}/outcome"): Access(
        PRACTITIONER, record=True, setup=World.record_outcome
    ),
    ("POST", "/api/sessions/{session_id}/outcome"): Access(
        PRACTITIONER, record=True, body=lambda _: {"open_comedones": 12}
    ),
    ("PUT", "/api/sessions/{session_id}/outcome"): Access(
        PRACTITIONER,
        record=True,
        body=lambda _: {"papules": 3, "grades": [{"scale": "cass", "area": "back", "value": 2}]},
    ),
    ("GET", "/api/clients/{client_id}/outcomes"): Access(PRACTITIONER, record=True),
    ("POST", "/api/sessions/{session_id}/photos"): Access(
        PRACTITIONER, record=True, form=photo_form
    ),
    ("GET", "/api/sessions/{session_id}/photos"): Access(PRACTITIONER, record=True),
    ("GET", "/api/photos/{photo_id}"): Access(PRACTITIONER, record=True),
    ("GET", "/api/photos/{photo_id}/thumbnail"): Access(PRACTITIONER, record=True),
    ("GET", "/api/clients/{client_id}/consents"): Access(PRACTITIONER, record=True),
    ("POST", "/api/clients/{client_id}/consents"): Access(
        PRACTITIONER, record=True, body=lambda _: builders.consent_body()
    ),
    ("GET", "/api/clients/{client_id}/patch-tests"): Access(PRACTITIONER, record=True),
    ("POST", "/api/clients/{client_id}/patch-tests"): Access(
        PRACTITIONER, record=True, body=patch_test_body
    ),
    ("POST", "/api/patch-tests/{patch_test_id}/reading"): Access(
        PRACTITIONER,
        record=True,
        body=lambda _: {"read_at": "2026-11-22T09:00:00Z", "result": "no_reaction"},
    ),
    ("GET", "/api/clients/{client_id}/export"): Access(ADMIN, record=True),
    ("GET", "/api/clients/{client_id}/export.zip"): Access(ADMIN, record=True),
    ("POST", "/api/clients/{client_id}/erase"): Access(ADMIN, record=True),
    ("GET", "/api/users"): Access(ADMIN),
    ("POST", "/api/users"): Access(ADMIN, body=lambda _: builders.new_user_body()),
    ("GET", "/api/users/{user_id}"): Access(ADMIN, record=True),
    ("PATCH", "/api/users/{user_id}"): Access(
        ADMIN, record=True, body=lambda _: {"qualifications": []}
    ),
    ("POST", "/api/users/{user_id}/password"): Access(
        ADMIN, record=True, body=lambda _: {"new_password": "a long new phrase"}
    ),
    ("GET", "/api/audit"): Access(ADMIN),
    ("GET", "/api/slots"): Access(STAFF, query=lambda _: SLOT_QUERY),
    ("POST", "/api/bookings"): Access(
        STAFF, record=True, body=lambda w: calendar_builders.booking_body(w.api, w.plan_id)
    ),
    ("GET", "/api/bookings"): Access(STAFF, query=lambda _: WINDOW),
    ("GET", "/api/bookings/{booking_id}"): Access(STAFF, record=True),
    ("POST", "/api/bookings/{booking_id}/cancel"): Access(STAFF, record=True, body=lambda _: {}),
    ("POST", "/api/bookings/{booking_id}/session"): Access(PRACTITIONER, record=True),
    ("POST", "/api/bookings/{booking_id}/reschedule"): Access(
        STAFF, record=True, body=lambda _: {"start": calendar_builders.unique_start()}
    ),
    ("POST", "/api/plans/{plan_id}/schedule"): Access(
        STAFF, record=True, body=lambda w: {"practitioner_id": w.practitioner_id}
    ),
    ("POST", "/api/calendar/optimise"): Access(
        STAFF,
        record=True,
        body=lambda w: {
            "week_start": "2029-06-11",
            "requests": [{"plan_id": w.plan_id, "earliest": "2029-06-11", "latest": "2029-06-12"}],
            "seconds": 1,
        },
    ),
    ("GET", "/api/practitioners/{practitioner_id}/calendar.ics"): Access(STAFF, record=True),
    ("GET", "/api/clients/{client_id}/calendar.ics"): Access(STAFF, record=True),
    ("POST", "/api/clients/{client_id}/feed-link"): Access(STAFF, record=True, body=lambda _: {}),
    ("DELETE", "/api/clients/{client_id}/feed-link"): Access(
        STAFF, record=True, setup=lambda w: w.issue_token()
    ),
    ("POST", "/api/practitioners/{practitioner_id}/feed-link"): Access(
        OWNERS, record=True, body=lambda _: {}
    ),
    ("DELETE", "/api/practitioners/{practitioner_id}/feed-link"): Access(
        OWNERS, record=True, setup=practitioner_link
    ),
    ("GET", "/api/feeds/{token}.ics"): Access(PUBLIC),
    ("POST", "/api/clients/{client_id}/portal-links"): Access(STAFF, record=True),
    ("GET", "/api/clients/{client_id}/portal-links"): Access(STAFF, record=True),
    ("DELETE", "/api/clients/{client_id}/portal-links/{link_id}"): Access(STAFF, record=True),
    ("GET", "/api/portal/settings"): Access(ADMIN),
    ("PUT", "/api/portal/settings"): Access(ADMIN, body=lambda _: {}),
    ("GET", "/api/calendar/settings"): Access(EVERYONE),
    ("PUT", "/api/calendar/settings"): Access(ADMIN, body=lambda _: calendar_builders.SETTINGS),
    ("GET", "/api/rooms"): Access(EVERYONE),
    ("POST", "/api/rooms"): Access(ADMIN, body=lambda _: {"name": "Room 2"}),
    ("PATCH", "/api/rooms/{room_id}"): Access(
        ADMIN, record=True, body=lambda _: {"name": "Room 1"}
    ),
    ("GET", "/api/offerings"): Access(EVERYONE),
    ("GET", "/api/offerings/{procedure_id}"): Access(EVERYONE),
    ("PUT", "/api/offerings/{procedure_id}"): Access(ADMIN, body=lambda _: {"price": "1.00"}),
    ("GET", "/api/devices"): Access(EVERYONE),
    ("POST", "/api/devices"): Access(ADMIN, body=lambda _: {"kind": "laser", "name": "Laser"}),
    ("PATCH", "/api/devices/{device_id}"): Access(
        ADMIN, record=True, body=lambda _: {"name": "Laser 2"}
    ),
    ("GET", "/api/devices/{device_id}/maintenance"): Access(EVERYONE, record=True),
    ("POST", "/api/devices/{device_id}/maintenance"): Access(
        ADMIN,
        record=True,
        body=lambda _: {"starts_at": "2029-01-01T08:00:00Z", "ends_at": "2029-01-01T12:00:00Z"},
    ),
    ("DELETE", "/api/devices/{device_id}/maintenance/{maintenance_id}"): Access(ADMIN, record=True),
    ("POST", "/api/bookings/{booking_id}/check-in"): Access(
        STAFF, record=True, setup=lambda w: w.on_booking_day(-30)
    ),
    ("POST", "/api/bookings/{booking_id}/no-show"): Access(
        STAFF, record=True, setup=lambda w: w.on_booking_day(15)
    ),
    ("POST", "/api/bookings/{booking_id}/late-cancel"): Access(
        STAFF, record=True, setup=lambda w: w.on_booking_day(-30)
    ),
    ("GET", "/api/bookings/{booking_id}/offers"): Access(
        STAFF, record=True, setup=World.free_place
    ),
    ("POST", "/api/bookings/{booking_id}/offers"): Access(
        STAFF, record=True, setup=World.free_place, body=offer_taken
    ),
    ("POST", "/api/walk-ins"): Access(
        STAFF,
        record=True,
        setup=set_up_calendar,
        body=lambda w: {"client_id": w.client_id, "procedure_id": w.procedure_id},
    ),
    ("GET", "/api/slots/causes"): Access(STAFF, query=lambda _: SLOT_QUERY),
    ("GET", "/api/waitlist"): Access(STAFF),
    ("POST", "/api/waitlist"): Access(STAFF, record=True, body=waiting),
    ("DELETE", "/api/waitlist/{entry_id}"): Access(
        STAFF, record=True, renamed={"entry_id": "waiting_id"}
    ),
    ("POST", "/api/waitlist/optimise"): Access(
        STAFF, setup=waiting_in_week, body=lambda _: {"week_start": "2029-06-18", "seconds": 1}
    ),
    ("GET", "/api/practitioners/{practitioner_id}/hours"): Access(EVERYONE, record=True),
    ("PUT", "/api/practitioners/{practitioner_id}/hours"): Access(
        ADMIN, record=True, body=lambda _: calendar_builders.HOURS
    ),
}


SLOT_QUERY: dict[str, str | int] = {
    "procedure_id": builders.ACNE_PROCEDURE,
    "start": "2029-02-05T00:00:00+01:00",
    "end": "2029-02-06T00:00:00+01:00",
}
WINDOW: dict[str, str] = {"start": "2028-01-01T00:00:00Z", "end": "2028-02-01T00:00:00Z"}


def app_routes() -> set[tuple[str, str]]:
    """Every /api route of the app, as the OpenAPI schema (built from the routes) lists them."""
    app = create_app(Settings(database_url="sqlite://", mode="development"))
    paths: dict[str, dict[str, Any]] = app.openapi()["paths"]
    return {
        (method.upper(), path)
        for path, operations in paths.items()
        if path.startswith("/api/")
        for method in operations
    }


def test_every_api_route_has_an_access_rule() -> None:
    routes = app_routes()
    assert sorted(routes - ENDPOINTS.keys()) == [], "routes with no access rule in ENDPOINTS"
    assert sorted(ENDPOINTS.keys() - routes) == [], "access rules for routes the app lacks"


def call(http: httpx.Client, method: str, path: str, body: dict[str, Any] | None) -> int:
    return http.request(method, path, json=body).status_code


def anonymous_status(api: LiveApi, method: str, path: str, body: dict[str, Any] | None) -> int:
    if path in ("/api/auth/token", "/api/auth/session") and method == "POST":
        # signing in is what a caller without a token does
        body = {"email": api.emails["reception"], "password": PASSWORD}
    with api.client() as http:
        return call(http, method, path, body)


@pytest.mark.parametrize(
    ("method", "template"), sorted(ENDPOINTS), ids=[" ".join(key) for key in sorted(ENDPOINTS)]
)
def test_roles(api: LiveApi, method: str, template: str) -> None:
    access = ENDPOINTS[method, template]
    world = World(api)
    if access.setup:
        access.setup(world)
    path = world.path(template, access.renamed)
    params = access.query(world) if access.query else None

    def body() -> dict[str, Any] | None:
        return access.body(world) if access.body else None

    def send(http: httpx.Client) -> int:
        if access.form:
            form, files = access.form(world), photo_file()
            return http.request(method, path, data=form, files=files, params=params).status_code
        return http.request(method, path, json=body(), params=params).status_code

    anonymous = anonymous_status(api, method, path, body())
    if access.allowed == PUBLIC:
        assert 200 <= anonymous < 300
        return
    assert anonymous == 401
    if access.allowed == SIGNED_IN:
        return  # every role may: tests/api/test_auth.py
    if access.record:
        outsider = next(OUTSIDER[role] for role in sorted(access.allowed) if role in OUTSIDER)
        with api.as_(outsider) as http:
            assert send(http) == 404, outsider
    for role in sorted(set(ROLES) - access.allowed):
        with api.as_(role) as http:
            assert send(http) == 403, role
    for role in sorted(access.allowed):
        with api.as_(role) as http:
            status = send(http)
        assert 200 <= status < 300, (role, status)
