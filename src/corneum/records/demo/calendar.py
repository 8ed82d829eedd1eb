"""The demo clinic's calendar: its time zone, rooms, devices and every practitioner's hours, then
a week of appointments from the seeding day, each booked through the calendar's own service."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, TypedDict

from sqlalchemy.orm import Session

from corneum.records.accounts.tables import User
from corneum.records.calendar.bookings import service as bookings
from corneum.records.calendar.bookings.schemas import BookingCreate
from corneum.records.calendar.resources import service as resources
from corneum.records.calendar.resources.schemas import (
    CalendarSettingsWrite,
    DeviceCreate,
    HoursSpan,
    HoursWrite,
    RoomCreate,
)
from corneum.records.clinic_time import clinic_clock
from corneum.records.demo.data import (
    CLINIC_TIMEZONE,
    DEVICES,
    ROOMS,
    WEEKDAY_HOURS,
    WEEKEND_HOURS,
)
from corneum.records.plans.tables import TreatmentPlan

if TYPE_CHECKING:
    from corneum.records.demo.service import Seeding


class ClinicKey(TypedDict):
    """The keyword arguments that name the clinic to the resources service."""

    session: Session
    clinic_id: int


WEEK_DAYS = 7
FIRST_HOUR = 9


def furnish(run: Seeding) -> None:
    """Time zone, rooms, one unit of each scheduled device and the practitioners' hours."""
    where = ClinicKey(session=run.session, clinic_id=run.clinic_id)
    resources.put_settings(**where, data=CalendarSettingsWrite(timezone=CLINIC_TIMEZONE))
    for name in ROOMS:
        resources.create_room(**where, data=RoomCreate(name=name))
    for kind, name in DEVICES:
        resources.create_device(**where, data=DeviceCreate(kind=kind, name=name))
    hours = HoursWrite(spans=weekly_hours())
    for user in {id(u): u for u in run.staff.values() if u.role == "practitioner"}.values():
        resources.put_hours(**where, practitioner_id=user.id, data=hours)


def weekly_hours() -> list[HoursSpan]:
    return [
        HoursSpan(weekday=day, starts=time(start), ends=time(end))
        for day in range(WEEK_DAYS)
        for start, end in (WEEKDAY_HOURS if day < 5 else WEEKEND_HOURS)
    ]


def book_week(run: Seeding, courses: list[tuple[TreatmentPlan, User]]) -> None:
    """Each course's next session on one of the seven days from the seeding day, in turn, at
    the first place free from a random hour of that day."""
    clock = clinic_clock(run.session, run.clinic_id)
    now = clock.utc(datetime.combine(run.today, time(0)))
    for index, (plan, practitioner) in enumerate(courses):
        day = run.today + timedelta(days=index % WEEK_DAYS)
        earliest = clock.utc(datetime.combine(day, time(FIRST_HOUR + run.rng.randrange(6))))
        found = bookings.search_slots(
            session=run.session, clinic_id=run.clinic_id, kb=run.kb,
            procedure_id=plan.procedure_id, start=earliest, end=earliest + timedelta(days=2),
            count=1, practitioner_id=practitioner.id,
        )  # fmt: skip
        if not found:
            raise RuntimeError(f"the demo calendar has no place for plan {plan.id}")
        slot = found[0][0]
        data = BookingCreate(
            plan_id=plan.id, start=clock.utc(slot.start), practitioner_id=slot.practitioner_id,
            room_id=slot.room_id,
        )  # fmt: skip
        bookings.book(
            session=run.session, clinic_id=run.clinic_id, kb=run.kb, data=data,
            actor=run.staff["reception"].id, now=now,
        )  # fmt: skip
