"""The week calendar of one practitioner, room or device, and slot picking: the earliest free
places for a procedure, one of them booked for a client or a plan's session. Practitioners and
reception use it, as the API's calendar; administrators keep its resources through the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from corneum.http.deps import ClockDep, SessionDep
from corneum.knowledge import KnowledgeBase
from corneum.records.accounts.tables import User
from corneum.records.calendar.bookings import service as calendar
from corneum.records.calendar.bookings.tables import Booking
from corneum.records.calendar.resources import service as resources
from corneum.records.clients import service as clients
from corneum.records.clinic_time import ClinicClock, clinic_clock, clinic_day
from corneum.records.fields import MAX_INTEGER
from corneum.web.access import PageStaff
from corneum.web.calendar.texts import RESOURCE_KINDS
from corneum.web.calendar.views import (
    Clinic,
    Problems,
    clinic_resources,
    read_day,
)
from corneum.web.calendar.week import Placed, build_week, hour_range, monday_of, stage_views
from corneum.web.shown import ShownKnowledge
from corneum.web.templating import render
from corneum.web.timeline import procedure_name

router = APIRouter(include_in_schema=False)
OptionalId = Annotated[int | None, Query(ge=1, le=MAX_INTEGER)]


@dataclass(frozen=True, slots=True)
class Shown:
    """Whose week is shown: a practitioner, a room or a device, by id."""

    kind: str
    id: int
    name: str

    @property
    def query(self) -> str:
        return f"{self.kind}={self.id}"


def shown_resource(
    clinic: Clinic, user: User, practitioner: int | None, room: int | None, device: int | None
) -> Shown | None:
    """The resource the query names, else the signed-in practitioner, else the first one."""
    wanted = [
        ("practitioner", practitioner, clinic.practitioners),
        ("room", room, clinic.rooms),
        ("device", device, clinic.devices),
    ]
    for kind, chosen, choices in wanted:
        if chosen is not None:
            found = next((c for c in choices if c.value == chosen), None)
            return Shown(kind, chosen, found.label) if found else None
    default = next((c for c in clinic.practitioners if c.value == user.id), None)
    default = default or next(iter(clinic.practitioners), None)
    return Shown("practitioner", default.value, default.label) if default else None


@router.get("/calendar")
def week_page(
    request: Request,
    user: PageStaff,
    session: SessionDep,
    kb: ShownKnowledge,
    clock: ClockDep,
    week: str = "",
    practitioner: OptionalId = None,
    room: OptionalId = None,
    device: OptionalId = None,
) -> Response:
    """Seven days by the working hours, each booking a block with what its stages hold, in the
    user's language."""
    problems = Problems()
    day = read_day(week, "week", problems) or clinic_day(session, user.clinic_id, clock())
    monday = monday_of(day)
    clinic = clinic_resources(session, user.clinic_id, kb)
    shown = shown_resource(clinic, user, practitioner, room, device)
    wall = clinic_clock(session, user.clinic_id)
    placed = week_bookings(session, user, kb, wall, monday, shown) if shown else []
    spans = working_spans(session, user.clinic_id, clinic, shown)
    context = {
        "user": user,
        "week": build_week(monday, placed, hour_range(spans, placed)),
        "shown": shown,
        "kinds": RESOURCE_KINDS,
        "clinic": clinic,
        "errors": problems.fields,
        "week_value": week if problems else monday.isoformat(),
    }
    status = 422 if problems else 200
    return render(request, "calendar.html", context, status_code=status)


def week_bookings(
    session: Session, user: User, kb: KnowledgeBase, wall: ClinicClock, monday: date, shown: Shown
) -> list[Placed]:
    """The week's bookings holding the resource shown (cancelled ones left out)."""
    start = wall.utc(datetime.combine(monday, time()))
    end = wall.utc(datetime.combine(monday + timedelta(days=7), time()))
    rows = calendar.list_bookings(
        session=session,
        clinic_id=user.clinic_id,
        start=start,
        end=end,
        practitioner_id=shown.id if shown.kind == "practitioner" else None,
        room_id=shown.id if shown.kind == "room" else None,
        actor=user.id,
    )
    rows = [row for row in rows if row.status != "cancelled"]
    if shown.kind == "device":
        units = calendar.device_ids(session, [row.id for row in rows])
        rows = [row for row in rows if shown.id in units[row.id].values()]
    names = client_names(session, user, {row.client_id for row in rows})
    return [placed(row, wall, kb, names[row.client_id]) for row in rows]


def placed(row: Booking, wall: ClinicClock, kb: KnowledgeBase, client: str) -> Placed:
    starts = wall.local(row.starts_at)
    return Placed(
        booking_id=row.id,
        starts=starts,
        ends=wall.local(row.ends_at),
        procedure=procedure_name(kb, row.procedure_id),
        client=client,
        status=row.status,
        stages=stage_views(kb, row.procedure_id, starts),
    )


def client_names(session: Session, user: User, client_ids: set[int]) -> dict[int, str]:
    """Each client's name, read (and audited) once however many bookings they have."""
    names = {}
    for client_id in sorted(client_ids):
        client = clients.get_client(
            session=session, clinic_id=user.clinic_id, client_id=client_id, actor=user.id
        )
        names[client_id] = f"{client.given_name} {client.family_name}"
    return names


def working_spans(
    session: Session, clinic_id: int, clinic: Clinic, shown: Shown | None
) -> list[tuple[time, time]]:
    """The shown practitioner's weekly hours; for a room or device, everyone's."""
    if shown is not None and shown.kind == "practitioner":
        whose = [shown.id]
    else:
        whose = [choice.value for choice in clinic.practitioners]
    return [
        (span.starts, span.ends)
        for practitioner_id in whose
        for span in resources.get_hours(
            session=session, clinic_id=clinic_id, practitioner_id=practitioner_id
        ).spans
    ]
