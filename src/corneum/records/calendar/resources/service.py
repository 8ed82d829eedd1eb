"""The calendar's resources, as an admin keeps them: settings, rooms, device units and their
maintenance, practitioners' working hours and days off. None of it is client data."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from corneum.records.accounts.tables import Clinic, User
from corneum.records.audit import service as audit
from corneum.records.audit.tables import Action
from corneum.records.calendar.resources.schemas import (
    CalendarSettingsRead,
    CalendarSettingsWrite,
    DeviceCreate,
    DeviceUpdate,
    HoursRead,
    HoursSpan,
    HoursWrite,
    MaintenanceCreate,
    RoomCreate,
    RoomUpdate,
)
from corneum.records.calendar.resources.tables import (
    DEFAULT_REMINDER_HOURS,
    DEFAULT_STEP_MINUTES,
    DEFAULT_TIMEZONE,
    CalendarSettings,
    DayOff,
    Device,
    Maintenance,
    Room,
    WorkingHours,
)
from corneum.records.errors import ConflictError, NotFoundError

Owned = TypeVar("Owned", Room, Device)
NAME_TAKEN = "another clinic has this name"


def get_settings(*, session: Session, clinic_id: int) -> CalendarSettingsRead:
    """The clinic's settings; a clinic that never saved any has the defaults."""
    clinic = session.get(Clinic, clinic_id)
    if clinic is None:
        raise NotFoundError("clinic", clinic_id)
    row = session.get(CalendarSettings, clinic_id)
    return CalendarSettingsRead(
        name=clinic.name,
        timezone=row.timezone if row else DEFAULT_TIMEZONE,
        step_minutes=row.step_minutes if row else DEFAULT_STEP_MINUTES,
        address=row.address if row else None,
        phone=row.phone if row else None,
        horizon_days=row.horizon_days if row else None,
        reminder_hours=row.reminder_hours if row else DEFAULT_REMINDER_HOURS,
    )


def put_settings(
    *, session: Session, clinic_id: int, data: CalendarSettingsWrite, actor: int | None = None
) -> CalendarSettingsRead:
    """Replace the clinic's settings; renaming it to another clinic's name is refused."""
    if data.name is not None:
        _rename(session, clinic_id, data.name)
    settings = session.get(CalendarSettings, clinic_id)
    if settings is None:
        settings = CalendarSettings(clinic_id=clinic_id)
        session.add(settings)
    for field, value in data.model_dump(exclude={"name"}).items():
        setattr(settings, field, value)
    session.flush()
    _audit(session, actor, "update", "calendar_settings", clinic_id, clinic_id, data)
    return get_settings(session=session, clinic_id=clinic_id)


def _rename(session: Session, clinic_id: int, name: str) -> None:
    taken = select(Clinic.id).where(Clinic.name == name, Clinic.id != clinic_id)
    if session.scalar(taken) is not None:
        raise ConflictError("name", NAME_TAKEN)
    clinic = session.get(Clinic, clinic_id)
    if clinic is None:
        raise NotFoundError("clinic", clinic_id)
    clinic.name = name


def _audit(
    session: Session,
    actor: int | None,
    action: Action,
    resource: str,
    resource_id: int,
    clinic_id: int,
    data: BaseModel | None = None,
) -> None:
    """A change to the clinic's set-up: the fields given, never their values."""
    fields = sorted(data.model_fields_set) if data is not None else []
    audit.record(
        session=session,
        actor_id=actor,
        action=action,
        resource=resource,
        resource_id=resource_id,
        client_id=None,
        clinic_id=clinic_id,
        detail={"fields": fields} if fields else None,
    )


def create_room(
    *, session: Session, clinic_id: int, data: RoomCreate, actor: int | None = None
) -> Room:
    room = Room(clinic_id=clinic_id, name=data.name)
    session.add(room)
    session.flush()
    _audit(session, actor, "create", "room", room.id, clinic_id, data)
    return room


def list_rooms(*, session: Session, clinic_id: int) -> list[Room]:
    return _listed(session, Room, clinic_id)


def update_room(
    *, session: Session, clinic_id: int, room_id: int, data: RoomUpdate, actor: int | None = None
) -> Room:
    room = _update(_owned(session, Room, clinic_id, room_id, "room"), data.model_dump())
    _audit(session, actor, "update", "room", room.id, clinic_id, data)
    return room


def create_device(
    *, session: Session, clinic_id: int, data: DeviceCreate, actor: int | None = None
) -> Device:
    device = Device(clinic_id=clinic_id, kind=data.kind, name=data.name)
    session.add(device)
    session.flush()
    _audit(session, actor, "create", "device", device.id, clinic_id, data)
    return device


def list_devices(*, session: Session, clinic_id: int) -> list[Device]:
    return _listed(session, Device, clinic_id)


def update_device(
    *,
    session: Session,
    clinic_id: int,
    device_id: int,
    data: DeviceUpdate,
    actor: int | None = None,
) -> Device:
    device = _owned(session, Device, clinic_id, device_id, "device")
    _update(device, data.model_dump())
    _audit(session, actor, "update", "device", device.id, clinic_id, data)
    return device


def add_maintenance(
    *,
    session: Session,
    clinic_id: int,
    device_id: int,
    data: MaintenanceCreate,
    actor: int | None = None,
) -> Maintenance:
    """A window the unit is out of service; bookings already holding it are not moved."""
    device = _owned(session, Device, clinic_id, device_id, "device")
    window = Maintenance(device_id=device.id, **data.model_dump())
    session.add(window)
    session.flush()
    _audit(session, actor, "create", "device_maintenance", window.id, clinic_id, data)
    return window


def list_maintenance(*, session: Session, clinic_id: int, device_id: int) -> list[Maintenance]:
    device = _owned(session, Device, clinic_id, device_id, "device")
    statement = select(Maintenance).where(Maintenance.device_id == device.id)
    return list(session.scalars(statement.order_by(Maintenance.starts_at)))


def remove_maintenance(
    *,
    session: Session,
    clinic_id: int,
    device_id: int,
    maintenance_id: int,
    actor: int | None = None,
) -> None:
    """Withdraw a maintenance window (planned, then called off): the unit is bookable again."""
    device = _owned(session, Device, clinic_id, device_id, "device")
    window = session.get(Maintenance, maintenance_id)
    if window is None or window.device_id != device.id:
        raise NotFoundError("maintenance", maintenance_id)
    session.delete(window)
    session.flush()
    _audit(session, actor, "delete", "device_maintenance", maintenance_id, clinic_id)


def get_hours(*, session: Session, clinic_id: int, practitioner_id: int) -> HoursRead:
    user = find_practitioner(session, clinic_id, practitioner_id)
    spans = select(WorkingHours).where(WorkingHours.user_id == user.id)
    days = select(DayOff.day).where(DayOff.user_id == user.id).order_by(DayOff.day)
    return HoursRead(
        practitioner_id=user.id,
        spans=[
            HoursSpan(weekday=row.weekday, starts=row.starts, ends=row.ends)
            for row in session.scalars(spans.order_by(WorkingHours.weekday, WorkingHours.starts))
        ],
        days_off=list(session.scalars(days)),
    )


def put_hours(
    *,
    session: Session,
    clinic_id: int,
    practitioner_id: int,
    data: HoursWrite,
    actor: int | None = None,
) -> HoursRead:
    """Replace the weekly pattern and days off. Existing bookings are kept even if they now
    fall outside the hours: moving them is a decision for a person."""
    user = find_practitioner(session, clinic_id, practitioner_id)
    session.execute(delete(WorkingHours).where(WorkingHours.user_id == user.id))
    session.execute(delete(DayOff).where(DayOff.user_id == user.id))
    session.add_all(
        WorkingHours(user_id=user.id, weekday=s.weekday, starts=s.starts, ends=s.ends)
        for s in data.spans
    )
    session.add_all(DayOff(user_id=user.id, day=day) for day in sorted(set(data.days_off)))
    session.flush()
    _audit(session, actor, "update", "working_hours", user.id, clinic_id, data)
    return get_hours(session=session, clinic_id=clinic_id, practitioner_id=user.id)


def find_practitioner(session: Session, clinic_id: int, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or user.clinic_id != clinic_id or user.role != "practitioner":
        raise NotFoundError("practitioner", user_id)
    return user


def _owned(
    session: Session, table: type[Owned], clinic_id: int, row_id: int, resource: str
) -> Owned:
    row = session.get(table, row_id)
    if row is None or row.clinic_id != clinic_id:
        raise NotFoundError(resource, row_id)
    return row


def _listed(session: Session, table: type[Owned], clinic_id: int) -> list[Owned]:
    return list(
        session.scalars(select(table).where(table.clinic_id == clinic_id).order_by(table.id))
    )


def _update(row: Owned, changes: dict[str, object]) -> Owned:
    for field, value in changes.items():
        if value is not None:
            setattr(row, field, value)
    return row
