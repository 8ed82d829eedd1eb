"""The calendar over HTTP: slot search, bookings, courses and iCalendar feeds (staff), and the
resources behind them (admin writes, everyone reads). Reception books and sees bookings; a
booking carries ids and times, nothing clinical.

Booking writes run in a session that takes SQLite's write lock when it begins, before even the
sign-in check reads: a SQLite transaction that has read cannot safely take the lock later. That
one session serves the whole request (one connection each, so 50 requests at once cannot starve
the pool). PostgreSQL ignores the option; its exclusion constraint guards the holds.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from corneum.api.calendar_reads import booking_reads, slot_read, week_plan_read
from corneum.http.deps import (
    Admin,
    Anyone,
    ClockDep,
    KnowledgeDep,
    Paged,
    PathId,
    Practitioner,
    SessionDep,
    Staff,
    StaffWriting,
    WriteSessionDep,
)
from corneum.records.calendar.bookings import service
from corneum.records.calendar.bookings.schemas import (
    BookingCreate,
    BookingDetailRead,
    BookingEventRead,
    BookingRead,
    CancelRequest,
    CheckRead,
    ConflictRead,
    RescheduleRequest,
    SlotRead,
)
from corneum.records.calendar.courses import service as courses
from corneum.records.calendar.courses.schemas import CourseRuleRead, ProposalRead, ScheduleRequest
from corneum.records.calendar.feeds import service as feeds
from corneum.records.calendar.resources import service as resources
from corneum.records.calendar.resources.schemas import (
    CalendarSettingsRead,
    CalendarSettingsWrite,
    DeviceCreate,
    DeviceRead,
    DeviceUpdate,
    HoursRead,
    HoursWrite,
    MaintenanceCreate,
    MaintenanceRead,
    RoomCreate,
    RoomRead,
    RoomUpdate,
)
from corneum.records.calendar.waitlist import service as waitlist
from corneum.records.calendar.waitlist.schemas import WeekPlanRead, WeekRequest
from corneum.records.fields import MAX_INTEGER, Moment
from corneum.records.sessions.schemas import CautionRead, SessionRead

router = APIRouter(prefix="/api", tags=["calendar"])
CREATED = status.HTTP_201_CREATED


ICS = "text/calendar; charset=utf-8"


@router.get("/slots", response_model=list[SlotRead])
def search_slots(
    user: Staff,
    session: SessionDep,
    kb: KnowledgeDep,
    procedure_id: Annotated[str, Query(max_length=64)],
    start: Annotated[Moment, Query()],
    end: Annotated[Moment, Query()],
    count: Annotated[int, Query(ge=1, le=50)] = 5,
    practitioner_id: Annotated[int | None, Query(ge=1, le=MAX_INTEGER)] = None,
) -> list[SlotRead]:
    """The earliest ``count`` places a session of the procedure can start in [start, end)."""
    found = service.search_slots(
        session=session,
        clinic_id=user.clinic_id,
        kb=kb,
        procedure_id=procedure_id,
        start=start,
        end=end,
        count=count,
        practitioner_id=practitioner_id,
    )
    return [slot_read(slot, clock, need.minutes) for slot, clock, need in found]


@router.post("/bookings", status_code=CREATED, response_model=BookingRead)
def create_booking(
    data: BookingCreate,
    user: StaffWriting,
    session: WriteSessionDep,
    kb: KnowledgeDep,
    clock: ClockDep,
) -> BookingRead:
    """Book a session; 409 naming the resource and time if the place is taken."""
    row = service.book(
        session=session, clinic_id=user.clinic_id, kb=kb, data=data, actor=user.id, now=clock()
    )
    return booking_reads(session, [row])[0]


@router.get("/bookings", response_model=list[BookingRead])
def list_bookings(
    user: Staff,
    session: SessionDep,
    page: Paged,
    start: Annotated[Moment, Query()],
    end: Annotated[Moment, Query()],
    practitioner_id: Annotated[int | None, Query(ge=1, le=MAX_INTEGER)] = None,
    room_id: Annotated[int | None, Query(ge=1, le=MAX_INTEGER)] = None,
) -> list[BookingRead]:
    rows = service.list_bookings(
        session=session,
        clinic_id=user.clinic_id,
        start=start,
        end=end,
        practitioner_id=practitioner_id,
        room_id=room_id,
        actor=user.id,
    )
    return page(booking_reads(session, rows))


@router.get("/bookings/{booking_id}", response_model=BookingDetailRead)
def get_booking(
    booking_id: PathId, user: Staff, session: SessionDep, kb: KnowledgeDep
) -> BookingDetailRead:
    """The booking and its history (every creation, cancellation and move, by whom), with
    ``flagged``: the contraindications screening finds now for its day, if any."""
    row, history = service.get_booking(
        session=session, clinic_id=user.clinic_id, booking_id=booking_id, actor=user.id
    )
    flagged = service.booking_flags(session=session, row=row, kb=kb, actor=user.id)
    return BookingDetailRead(
        **booking_reads(session, [row])[0].model_dump(),
        history=[BookingEventRead.model_validate(event) for event in history],
        flagged=[CautionRead.model_validate(reason) for reason in flagged],
    )


@router.post("/bookings/{booking_id}/cancel", response_model=BookingRead)
def cancel_booking(
    booking_id: PathId, data: CancelRequest, user: StaffWriting, session: WriteSessionDep
) -> BookingRead:
    row = service.cancel(
        session=session,
        clinic_id=user.clinic_id,
        booking_id=booking_id,
        version=data.version,
        actor=user.id,
        reason=data.reason,
    )
    return booking_reads(session, [row])[0]


@router.post("/bookings/{booking_id}/session", response_model=SessionRead)
def start_booking_session(
    booking_id: PathId, user: Practitioner, session: SessionDep
) -> SessionRead:
    """The treatment session of a course's booking, made the first time it is asked for, to
    run its protocol; 409 for a cancelled booking or one outside any plan."""
    visit = service.session_for_booking(
        session=session, clinic_id=user.clinic_id, booking_id=booking_id, actor=user.id
    )
    return SessionRead.model_validate(visit)


@router.post("/bookings/{booking_id}/reschedule", response_model=BookingRead | CheckRead)
def reschedule_booking(
    booking_id: PathId,
    data: RescheduleRequest,
    user: StaffWriting,
    session: WriteSessionDep,
    kb: KnowledgeDep,
    clock: ClockDep,
) -> BookingRead | CheckRead:
    """Move a booking; for a course's session its intervals must stay valid. With
    ``check_only`` the answer lists what would conflict (empty: the move is possible)."""
    conflicts, moved = courses.move_course_session(
        session=session,
        clinic_id=user.clinic_id,
        kb=kb,
        booking_id=booking_id,
        data=data,
        actor=user.id,
        now=clock(),
    )
    if moved is None:
        return CheckRead(
            conflicts=[ConflictRead(session=c.session, message=c.message) for c in conflicts]
        )
    return booking_reads(session, [moved])[0]


@router.post("/plans/{plan_id}/schedule", response_model=ProposalRead)
def schedule_plan(
    plan_id: PathId,
    data: ScheduleRequest,
    user: StaffWriting,
    session: WriteSessionDep,
    kb: KnowledgeDep,
    clock: ClockDep,
) -> ProposalRead:
    """Propose the plan's remaining sessions at the course's intervals; ``confirm`` books them."""
    schedule = courses.schedule_plan(
        session=session,
        clinic_id=user.clinic_id,
        kb=kb,
        plan_id=plan_id,
        data=data,
        actor=user.id,
        now=clock(),
    )
    rule = schedule.rule
    return ProposalRead(
        rule=CourseRuleRead(
            sessions=rule.sessions,
            min_days=rule.min_days,
            max_days=rule.max_days,
            source=rule.source,
        ),
        sessions=[slot_read(s, schedule.clock, schedule.minutes) for s in schedule.slots],
        conflicts=[ConflictRead(session=c.session, message=c.message) for c in schedule.conflicts],
        booked=booking_reads(session, list(schedule.booked)),
        advice=list(schedule.advice),
    )


@router.post("/calendar/optimise", response_model=WeekPlanRead)
def optimise_week(
    data: WeekRequest,
    user: StaffWriting,
    session: WriteSessionDep,
    kb: KnowledgeDep,
    clock: ClockDep,
) -> WeekPlanRead:
    """Place a waitlist of course sessions in one week with the optimiser (at most 10 s):
    as many as fit, then the fewest idle gaps; ``book`` books them all in one transaction."""
    result = waitlist.optimise_waitlist(
        session=session, clinic_id=user.clinic_id, kb=kb, data=data, actor=user.id, now=clock()
    )
    return week_plan_read(session, result)


@router.get("/practitioners/{practitioner_id}/calendar.ics", response_class=Response)
def practitioner_feed(
    practitioner_id: PathId, user: Staff, session: SessionDep, kb: KnowledgeDep, clock: ClockDep
) -> Response:
    """The practitioner's bookings as an iCalendar feed (no client names in it)."""
    text = feeds.practitioner_feed(
        session=session,
        clinic_id=user.clinic_id,
        practitioner_id=practitioner_id,
        kb=kb,
        now=clock(),
        actor=user.id,
    )
    return Response(text, media_type=ICS)


@router.get("/clients/{client_id}/calendar.ics", response_class=Response)
def client_feed(
    client_id: PathId, user: Staff, session: SessionDep, kb: KnowledgeDep, clock: ClockDep
) -> Response:
    """The client's appointments as an iCalendar feed."""
    text = feeds.client_feed(
        session=session,
        clinic_id=user.clinic_id,
        client_id=client_id,
        kb=kb,
        now=clock(),
        actor=user.id,
    )
    return Response(text, media_type=ICS)


@router.get("/calendar/settings", response_model=CalendarSettingsRead)
def get_settings(user: Anyone, session: SessionDep) -> CalendarSettingsRead:
    return resources.get_settings(session=session, clinic_id=user.clinic_id)


@router.put("/calendar/settings", response_model=CalendarSettingsRead)
def put_settings(
    data: CalendarSettingsWrite, user: Admin, session: SessionDep
) -> CalendarSettingsRead:
    """The clinic's name, address and phone, its time zone (working hours are given in it),
    the slot search's step, how far ahead it books and how early reminders go out."""
    return resources.put_settings(
        session=session, clinic_id=user.clinic_id, data=data, actor=user.id
    )


@router.get("/rooms", response_model=list[RoomRead])
def list_rooms(user: Anyone, session: SessionDep, page: Paged) -> list[RoomRead]:
    rows = resources.list_rooms(session=session, clinic_id=user.clinic_id)
    return page([RoomRead.model_validate(row) for row in rows])


@router.post("/rooms", status_code=CREATED, response_model=RoomRead)
def create_room(data: RoomCreate, user: Admin, session: SessionDep) -> RoomRead:
    room = resources.create_room(
        session=session, clinic_id=user.clinic_id, data=data, actor=user.id
    )
    return RoomRead.model_validate(room)


@router.patch("/rooms/{room_id}", response_model=RoomRead)
def update_room(room_id: PathId, data: RoomUpdate, user: Admin, session: SessionDep) -> RoomRead:
    """Rename a room or take it out of service (bookings already made keep it)."""
    room = resources.update_room(
        session=session, clinic_id=user.clinic_id, room_id=room_id, data=data, actor=user.id
    )
    return RoomRead.model_validate(room)


@router.get("/devices", response_model=list[DeviceRead])
def list_devices(user: Anyone, session: SessionDep, page: Paged) -> list[DeviceRead]:
    rows = resources.list_devices(session=session, clinic_id=user.clinic_id)
    return page([DeviceRead.model_validate(row) for row in rows])


@router.post("/devices", status_code=CREATED, response_model=DeviceRead)
def create_device(data: DeviceCreate, user: Admin, session: SessionDep) -> DeviceRead:
    """One unit of a scheduled kind of equipment; two lasers are two devices."""
    device = resources.create_device(
        session=session, clinic_id=user.clinic_id, data=data, actor=user.id
    )
    return DeviceRead.model_validate(device)


@router.patch("/devices/{device_id}", response_model=DeviceRead)
def update_device(
    device_id: PathId, data: DeviceUpdate, user: Admin, session: SessionDep
) -> DeviceRead:
    device = resources.update_device(
        session=session, clinic_id=user.clinic_id, device_id=device_id, data=data, actor=user.id
    )
    return DeviceRead.model_validate(device)


@router.get("/devices/{device_id}/maintenance", response_model=list[MaintenanceRead])
def list_maintenance(
    device_id: PathId, user: Anyone, session: SessionDep, page: Paged
) -> list[MaintenanceRead]:
    rows = resources.list_maintenance(
        session=session, clinic_id=user.clinic_id, device_id=device_id
    )
    return page([MaintenanceRead.model_validate(row) for row in rows])


@router.post(
    "/devices/{device_id}/maintenance", status_code=CREATED, response_model=MaintenanceRead
)
def add_maintenance(
    device_id: PathId, data: MaintenanceCreate, user: Admin, session: SessionDep
) -> MaintenanceRead:
    window = resources.add_maintenance(
        session=session, clinic_id=user.clinic_id, device_id=device_id, data=data, actor=user.id
    )
    return MaintenanceRead.model_validate(window)


@router.delete(
    "/devices/{device_id}/maintenance/{maintenance_id}", status_code=status.HTTP_204_NO_CONTENT
)
def remove_maintenance(
    device_id: PathId, maintenance_id: PathId, user: Admin, session: SessionDep
) -> Response:
    resources.remove_maintenance(
        session=session,
        clinic_id=user.clinic_id,
        device_id=device_id,
        maintenance_id=maintenance_id,
        actor=user.id,
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/practitioners/{practitioner_id}/hours", response_model=HoursRead)
def get_hours(practitioner_id: PathId, user: Anyone, session: SessionDep) -> HoursRead:
    return resources.get_hours(
        session=session, clinic_id=user.clinic_id, practitioner_id=practitioner_id
    )


@router.put("/practitioners/{practitioner_id}/hours", response_model=HoursRead)
def put_hours(
    practitioner_id: PathId, data: HoursWrite, user: Admin, session: SessionDep
) -> HoursRead:
    """Replace the weekly pattern (in the clinic's time) and the days off."""
    return resources.put_hours(
        session=session,
        clinic_id=user.clinic_id,
        practitioner_id=practitioner_id,
        data=data,
        actor=user.id,
    )
