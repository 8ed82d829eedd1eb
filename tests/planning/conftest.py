"""A small clinic for the planning tests: a doctor and a cosmetologist, two rooms, one laser,
two ultrasonic devices, all on weekday office hours."""

from __future__ import annotations

from datetime import time

import pytest

from corneum.knowledge import KnowledgeBase
from corneum.planning.calendar import Calendar, DeviceUnit, Practitioner, Resources, WeeklyHours
from corneum.planning.requirements import Requirement, requirement_for

OFFICE = WeeklyHours({day: ((time(9), time(13)), (time(14), time(18))) for day in range(5)})
DOCTOR, COSMETOLOGIST = 1, 2


@pytest.fixture(scope="session")
def requirements(kb: KnowledgeBase) -> dict[str, Requirement]:
    return {p.id: requirement_for(p.id, kb) for p in kb.procedures if p.id in kb.booking}


@pytest.fixture
def resources() -> Resources:
    return Resources(
        practitioners=(
            Practitioner(DOCTOR, frozenset({"doctor"}), OFFICE),
            Practitioner(COSMETOLOGIST, frozenset({"cosmetologist"}), OFFICE),
        ),
        rooms=(10, 11),
        devices=(
            DeviceUnit(20, "laser"),
            DeviceUnit(30, "ultrasonic_device"),
            DeviceUnit(31, "ultrasonic_device"),
            DeviceUnit(40, "vacuum_device"),
            DeviceUnit(50, "microdermabrasion_machine"),
        ),
    )


@pytest.fixture
def calendar(resources: Resources, requirements: dict[str, Requirement]) -> Calendar:
    return Calendar(resources, requirements)
