"""A clinic calendar in Madrid: a cosmetologist on weekday office hours, two rooms, a laser."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time

import pytest
from sqlalchemy.orm import Session

from corneum.records.accounts.schemas import UserCreate
from corneum.records.accounts.service import create_user
from corneum.records.accounts.tables import Clinic, User
from corneum.records.calendar.resources import service as resources
from corneum.records.calendar.resources.schemas import (
    CalendarSettingsWrite,
    DeviceCreate,
    HoursSpan,
    HoursWrite,
    RoomCreate,
)

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
"""Monday 23 November 2026, 09:00 in Madrid."""
MONDAY_10 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
"""Monday 30 November 2026, 10:00 in Madrid (UTC+1)."""
OFFICE = [
    HoursSpan(weekday=day, starts=start, ends=end)
    for day in range(5)
    for start, end in ((time(9), time(13)), (time(14), time(18)))
]


@dataclass(frozen=True)
class Setup:
    clinic_id: int
    cosmetologist: User
    rooms: tuple[int, int]
    laser: int


@pytest.fixture
def cosmetologist(db_session: Session, clinic: Clinic) -> User:
    data = UserCreate.model_validate(
        {
            "email": "mia@example.org",
            "password": "correct horse battery staple",
            "role": "practitioner",
            "qualifications": ["cosmetologist"],
        }
    )
    return create_user(session=db_session, clinic_id=clinic.id, data=data, actor=None)


@pytest.fixture
def setup(db_session: Session, clinic: Clinic, cosmetologist: User) -> Setup:
    resources.put_settings(
        session=db_session,
        clinic_id=clinic.id,
        data=CalendarSettingsWrite(timezone="Europe/Madrid", step_minutes=15),
    )
    rooms = tuple(
        resources.create_room(session=db_session, clinic_id=clinic.id, data=RoomCreate(name=n)).id
        for n in ("Room A", "Room B")
    )
    laser = resources.create_device(
        session=db_session, clinic_id=clinic.id, data=DeviceCreate(kind="laser", name="Laser 1")
    )
    resources.put_hours(
        session=db_session,
        clinic_id=clinic.id,
        practitioner_id=cosmetologist.id,
        data=HoursWrite(spans=OFFICE),
    )
    return Setup(clinic.id, cosmetologist, (rooms[0], rooms[1]), laser.id)
