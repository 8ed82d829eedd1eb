"""``/settings``: what an administrator sets up, a page per section, each form read into the
same schemas the API takes and handed to the same services (which audit every change);
refusals are shown beside their fields."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import Response

from corneum.http.deps import ClockDep, KnowledgeDep, PathId, SessionDep
from corneum.knowledge import KnowledgeBase, default_knowledge_base
from corneum.knowledge.consent import default_consent_template
from corneum.phrase import VERBATIM, Code, Phrase
from corneum.records.accounts import service as accounts
from corneum.records.accounts.schemas import UserCreate, UserUpdate
from corneum.records.accounts.tables import User
from corneum.records.calendar.resources import service as resources
from corneum.records.calendar.resources.schemas import (
    CalendarSettingsWrite,
    DeviceCreate,
    DeviceUpdate,
    HoursWrite,
    MaintenanceCreate,
    RoomCreate,
    RoomUpdate,
)
from corneum.records.clinic_time import clinic_clock
from corneum.records.offerings import service as offerings
from corneum.records.offerings.schemas import OfferingWrite
from corneum.records.paging import MAX_LIMIT
from corneum.web.access import Csrf, allow
from corneum.web.calendar.texts import WEEKDAYS as WEEKDAY_NAMES
from corneum.web.forms import Form, see_other, text, texts
from corneum.web.messages import ROLES
from corneum.web.settings.forms import Errors, Refusal, errors_of, filled, ticked
from corneum.web.settings.hours import hours_data, hours_fields
from corneum.web.templating import render

router = APIRouter(include_in_schema=False)
PageAdmin = Annotated[User, Depends(allow("admin"))]
CLINIC_FIELDS = (
    "name", "address", "phone", "timezone", "step_minutes", "horizon_days", "reminder_hours",
)  # fmt: skip
WEEKDAYS = range(7)
QUALIFICATIONS = [c for c in default_knowledge_base().codes("performers") if c != "client"]


def coded(code: str) -> Phrase:
    """A knowledge-base code as a page names it, in its user's language."""
    return Phrase(VERBATIM, {"text": Code(code)})


@router.get("/settings")
def settings_home(request: Request, user: PageAdmin) -> Response:
    return render(request, "settings.html", {"user": user})


def _page(
    request: Request, user: User, name: str, context: dict[str, Any], errors: Errors, status: int
) -> Response:
    full = {
        "user": user, "errors": errors, "form": {}, "chosen": (), "coded": coded,
        "roles": ROLES, "day_names": WEEKDAY_NAMES, "qualifications": QUALIFICATIONS,
        "request_saved": "saved" in request.query_params, **context,
    }  # fmt: skip
    return render(request, f"settings_{name}.html", full, status_code=status)


# The clinic


def clinic_page(
    request: Request, session: Session, user: User, errors: Errors | None = None,
    status: int = 200, form: dict[str, Any] | None = None,
) -> Response:  # fmt: skip
    stored = resources.get_settings(session=session, clinic_id=user.clinic_id)
    context = {"settings": form or stored.model_dump(exclude_none=True)}
    return _page(request, user, "clinic", context, errors or {}, status)


@router.get("/settings/clinic")
def show_clinic(request: Request, user: PageAdmin, session: SessionDep) -> Response:
    return clinic_page(request, session, user)


@router.post("/settings/clinic", dependencies=[Csrf])
def save_clinic(request: Request, user: PageAdmin, form: Form, session: SessionDep) -> Response:
    data = filled(form, *CLINIC_FIELDS)
    try:
        resources.put_settings(
            session=session, clinic_id=user.clinic_id,
            data=CalendarSettingsWrite.model_validate(data), actor=user.id,
        )  # fmt: skip
    except Refusal as exc:
        errors, status = errors_of(session, exc)
        return clinic_page(request, session, user, errors, status, data)
    return see_other("/settings/clinic?saved=1")


# Staff


def staff_page(
    request: Request, session: Session, user: User, errors: Errors | None = None,
    status: int = 200, form: dict[str, Any] | None = None,
) -> Response:  # fmt: skip
    staff = accounts.list_users(session=session, clinic_id=user.clinic_id, limit=MAX_LIMIT).items
    return _page(request, user, "staff", {"staff": staff, "form": form or {}}, errors or {}, status)


@router.get("/settings/staff")
def show_staff(request: Request, user: PageAdmin, session: SessionDep) -> Response:
    return staff_page(request, session, user)


@router.post("/settings/staff", dependencies=[Csrf])
def add_staff(request: Request, user: PageAdmin, form: Form, session: SessionDep) -> Response:
    """A staff account with her first password (she changes it in her account)."""
    data: dict[str, Any] = filled(form, "email", "role", "full_name", "colour", "language")
    data["password"] = form.get("password") or ""
    data["qualifications"] = texts(form, "qualifications")
    try:
        created = accounts.create_user(
            session=session, clinic_id=user.clinic_id, data=UserCreate.model_validate(data),
            actor=user.id,
        )  # fmt: skip
    except Refusal as exc:
        errors, status = errors_of(session, exc)
        data.pop("password")
        return staff_page(request, session, user, errors, status, data)
    return see_other(f"/settings/staff/{created.id}")


def person_page(
    request: Request, session: Session, user: User, person_id: int,
    errors: Errors | None = None, status: int = 200,
) -> Response:  # fmt: skip
    person = accounts.get_user(session=session, clinic_id=user.clinic_id, user_id=person_id)
    hours = None
    if person.role == "practitioner":
        hours = hours_fields(
            resources.get_hours(
                session=session, clinic_id=user.clinic_id, practitioner_id=person.id
            )
        )
    context = {"person": person, "hours": hours, "weekdays": WEEKDAYS}
    return _page(request, user, "person", context, errors or {}, status)


@router.get("/settings/staff/{person_id}")
def show_person(
    request: Request, person_id: PathId, user: PageAdmin, session: SessionDep
) -> Response:
    return person_page(request, session, user, person_id)


@router.post("/settings/staff/{person_id}", dependencies=[Csrf])
def save_person(
    request: Request, person_id: PathId, user: PageAdmin, form: Form, session: SessionDep,
    clock: ClockDep,
) -> Response:  # fmt: skip
    data: dict[str, Any] = filled(form, "full_name", "colour", "role")
    data["active"] = ticked(form, "active")
    data["qualifications"] = texts(form, "qualifications")
    try:
        accounts.update_user(
            session=session, clinic_id=user.clinic_id, user_id=person_id,
            data=UserUpdate.model_validate(data), actor=user.id, now=clock(),
        )  # fmt: skip
    except Refusal as exc:
        errors, status = errors_of(session, exc)
        return person_page(request, session, user, person_id, errors, status)
    return see_other(f"/settings/staff/{person_id}?saved=1")


@router.post("/settings/staff/{person_id}/hours", dependencies=[Csrf])
def save_hours(
    request: Request, person_id: PathId, user: PageAdmin, form: Form, session: SessionDep
) -> Response:
    """Her week (a day's hours and its break), days off and holidays, one date a line."""
    try:
        resources.put_hours(
            session=session, clinic_id=user.clinic_id, practitioner_id=person_id,
            data=HoursWrite.model_validate(hours_data(form)), actor=user.id,
        )  # fmt: skip
    except Refusal as exc:
        errors, status = errors_of(session, exc)
        return person_page(request, session, user, person_id, errors, status)
    return see_other(f"/settings/staff/{person_id}?saved=1")


# Rooms and devices


def things_page(
    request: Request, session: Session, user: User, kb: KnowledgeBase,
    errors: Errors | None = None, status: int = 200,
) -> Response:  # fmt: skip
    devices = resources.list_devices(session=session, clinic_id=user.clinic_id)
    context = {
        "rooms": resources.list_rooms(session=session, clinic_id=user.clinic_id),
        "devices": devices,
        "maintenance": {
            d.id: resources.list_maintenance(
                session=session, clinic_id=user.clinic_id, device_id=d.id
            )
            for d in devices
        },
        "kinds": [t.code for t in kb.vocabulary.equipment if t.scheduled],
        "clock": clinic_clock(session, user.clinic_id),
    }
    return _page(request, user, "resources", context, errors or {}, status)


@router.get("/settings/resources")
def show_things(
    request: Request, user: PageAdmin, session: SessionDep, kb: KnowledgeDep
) -> Response:
    return things_page(request, session, user, kb)


@router.post("/settings/rooms", dependencies=[Csrf])
def add_room(
    request: Request, user: PageAdmin, form: Form, session: SessionDep, kb: KnowledgeDep
) -> Response:
    return _write(request, session, user, kb, lambda: resources.create_room(
        session=session, clinic_id=user.clinic_id,
        data=RoomCreate.model_validate(filled(form, "name")), actor=user.id,
    ))  # fmt: skip


@router.post("/settings/rooms/{room_id}", dependencies=[Csrf])
def save_room(
    request: Request, room_id: PathId, user: PageAdmin, form: Form, session: SessionDep,
    kb: KnowledgeDep,
) -> Response:  # fmt: skip
    data = {**filled(form, "name"), "active": ticked(form, "active")}
    return _write(request, session, user, kb, lambda: resources.update_room(
        session=session, clinic_id=user.clinic_id, room_id=room_id,
        data=RoomUpdate.model_validate(data), actor=user.id,
    ))  # fmt: skip


@router.post("/settings/devices", dependencies=[Csrf])
def add_device(
    request: Request, user: PageAdmin, form: Form, session: SessionDep, kb: KnowledgeDep
) -> Response:
    return _write(request, session, user, kb, lambda: resources.create_device(
        session=session, clinic_id=user.clinic_id,
        data=DeviceCreate.model_validate(filled(form, "kind", "name")), actor=user.id,
    ))  # fmt: skip


@router.post("/settings/devices/{device_id}", dependencies=[Csrf])
def save_device(
    request: Request, device_id: PathId, user: PageAdmin, form: Form, session: SessionDep,
    kb: KnowledgeDep,
) -> Response:  # fmt: skip
    data = {**filled(form, "name"), "active": ticked(form, "active")}
    return _write(request, session, user, kb, lambda: resources.update_device(
        session=session, clinic_id=user.clinic_id, device_id=device_id,
        data=DeviceUpdate.model_validate(data), actor=user.id,
    ))  # fmt: skip


@router.post("/settings/devices/{device_id}/maintenance", dependencies=[Csrf])
def add_maintenance(
    request: Request, device_id: PathId, user: PageAdmin, form: Form, session: SessionDep,
    kb: KnowledgeDep,
) -> Response:  # fmt: skip
    """A window out of service, given on the clinic's clock."""
    data = _window(session, user.clinic_id, form)
    return _write(request, session, user, kb, lambda: resources.add_maintenance(
        session=session, clinic_id=user.clinic_id, device_id=device_id,
        data=MaintenanceCreate.model_validate(data), actor=user.id,
    ))  # fmt: skip


def _window(session: Session, clinic_id: int, form: FormData) -> dict[str, Any]:
    clock = clinic_clock(session, clinic_id)
    data: dict[str, Any] = filled(form, "note")
    for name in ("starts_at", "ends_at"):
        try:
            data[name] = clock.utc(datetime.fromisoformat(text(form, name))).isoformat()
        except ValueError:
            data[name] = text(form, name)  # refused by the schema, beside the field
    return data


def _write(
    request: Request, session: Session, user: User, kb: KnowledgeBase, change: Any
) -> Response:
    try:
        change()
    except Refusal as exc:
        errors, status = errors_of(session, exc)
        return things_page(request, session, user, kb, errors, status)
    return see_other("/settings/resources?saved=1")


# Procedures and consent texts


def procedures_page(
    request: Request, session: Session, user: User, kb: KnowledgeBase,
    errors: Errors | None = None, status: int = 200, failed: str = "",
) -> Response:  # fmt: skip
    listed = offerings.list_offerings(session=session, clinic_id=user.clinic_id, kb=kb)
    context = {"offerings": listed, "failed": failed}
    return _page(request, user, "procedures", context, errors or {}, status)


@router.get("/settings/procedures")
def show_procedures(
    request: Request, user: PageAdmin, session: SessionDep, kb: KnowledgeDep
) -> Response:
    return procedures_page(request, session, user, kb)


@router.post("/settings/procedures/{procedure_id}", dependencies=[Csrf])
def save_procedure(
    request: Request, procedure_id: str, user: PageAdmin, form: Form, session: SessionDep,
    kb: KnowledgeDep,
) -> Response:  # fmt: skip
    data = {**filled(form, "price", "minutes"), "active": ticked(form, "active")}
    try:
        offerings.put_offering(
            session=session, clinic_id=user.clinic_id, kb=kb, procedure_id=procedure_id,
            data=OfferingWrite.model_validate(data), actor=user.id,
        )  # fmt: skip
    except Refusal as exc:
        errors, status = errors_of(session, exc)
        return procedures_page(request, session, user, kb, errors, status, procedure_id)
    return see_other(f"/settings/procedures?saved=1#{procedure_id}")


@router.get("/settings/consents")
def show_consents(request: Request, user: PageAdmin, kb: KnowledgeDep) -> Response:
    """The consent texts in use: the wording's version, its languages, the knowledge base's."""
    template = default_consent_template()
    context = {"template": template, "kb_version": kb.version, "today": date.today()}
    return _page(request, user, "consents", context, {}, 200)
