"""The calendar's resources, as an admin keeps them: settings, rooms, device units and their
maintenance, practitioners' working hours and days off. None of it is client data."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from corneum.records.accounts.tables import User
from corneum.records.calendar.resources.schemas import (
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
    CalendarSettings,
    DayOff,
    Device,
    Maintenance,
    Room,
    WorkingHours,
)
from corneum.records.errors import NotFoundError

Owned = TypeVar("Owned", Room, Device)


def get_settings(*, session: Session, clinic_id: int) -> CalendarSettings:
    return session.get(CalendarSettings, clinic_id) or CalendarSettings(
        clinic_id=clinic_id, timezone="UTC", step_minutes=15
    )


def put_settings(
    *, session: Session, clinic_id: int, data: CalendarSettingsWrite
) -> CalendarSettings:
    settings = session.get(CalendarSettings, clinic_id)
    if settings is None:
        settings = CalendarSettings(clinic_id=clinic_id)
        session.add(settings)
    settings.timezone = data.timezone
    settings.step_minutes = data.step_minutes
    session.flush()
    return settings


def create_room(*, session: Session, clinic_id: int, data: RoomCreate) -> Room:
    room = Room(clinic_id=clinic_id, name=data.name)
    session.add(room)
    session.flush()
    return room


def list_rooms(*, session: Session, clinic_id: int) -> list[Room]:
    return _listed(session, Room, clinic_id)


def update_room(*, session: Session, clinic_id: int, room_id: int, data: RoomUpdate) -> Room:
    return _update(_owned(session, Room, clinic_id, room_id, "room"), data.model_dump())


def create_device(*, session: Session, clinic_id: int, data: DeviceCreate) -> Device:
    device = Device(clinic_id=clinic_id, kind=data.kind, name=data.name)
    session.add(device)
    session.flush()
    return device


def list_devices(*, session: Session, clinic_id: int) -> list[Device]:
    return _listed(session, Device, clinic_id)


def update_device(
    *, session: Session, clinic_id: int, device_id: int, data: DeviceUpdate
) -> Device:
    return _update(_owned(session, Device, clinic_id, device_id, "device"), data.model_dump())


def add_maintenance(
    *, session: Session, clinic_id: int, device_id: int, data: MaintenanceCreate
) -> Maintenance:
    """A window the unit is out of service; bookings already holding it are not moved."""
    device = _owned(session, Device, clinic_id, device_id, "device")
    window = Maintenance(device_id=device.id, **data.model_dump())
    session.add(window)
    session.flush()
    return window


def list_maintenance(*, session: Session, clinic_id: int, device_id: int) -> list[Maintenance]:
    device = _owned(session, Device, clinic_id, device_id, "device")
    statement = select(Maintenance).where(Maintenance.device_id == device.id)
    return list(session.scalars(statement.order_by(Maintenance.starts_at)))


def remove_maintenance(
    *, session: Session, clinic_id: int, device_id: int, maintenance_id: int
) -> None:
    """Withdraw a maintenance window (planned, then called off): the unit is bookable again."""
    device = _owned(session, Device, clinic_id, device_id, "device")
    window = session.get(Maintenance, maintenance_id)
    if window is None or window.device_id != device.id:
        raise NotFoundError("maintenance", maintenance_id)
    session.delete(window)
    session.flush()


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
    *, session: Session, clinic_id: int, practitioner_id: int, data: HoursWrite
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
