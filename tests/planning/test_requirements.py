"""What each procedure holds, stage by stage, from the knowledge base."""

from __future__ import annotations

import pytest

from corneum.knowledge import KnowledgeBase
from corneum.planning.requirements import NotBookableError, Requirement, requirement_for


def test_laser_anaesthetic_wait_frees_the_doctor_and_the_laser(
    requirements: dict[str, Requirement],
) -> None:
    laser = requirements["laser_back_resurfacing"]
    assert laser.qualifications == frozenset({"doctor"})
    assert laser.minutes == 105  # 5 antiseptic + 50 cream + 50 treatment
    assert laser.practitioner_spans == ((0, 5), (55, 105))
    assert laser.device_spans == (("laser", ((55, 105),)),)
    assert laser.room_span == (0, 115)  # the room is held through the wait and its cleaning


def test_acid_cleansing_holds_a_cosmetologist_throughout_and_no_device(
    requirements: dict[str, Requirement],
) -> None:
    acid = requirements["atraumatic_back_cleansing"]
    assert acid.practitioner_spans == ((0, 80),)
    assert acid.device_spans == ()


def test_ultrasonic_cleansing_books_two_hours_and_the_device_for_its_stage(
    requirements: dict[str, Requirement],
) -> None:
    ultrasonic = requirements["ultrasonic_back_cleansing"]
    assert ultrasonic.minutes == 120
    assert ultrasonic.device_spans == (("ultrasonic_device", ((50, 90),)),)


def test_home_mask_is_not_booked(kb: KnowledgeBase) -> None:
    with pytest.raises(NotBookableError):
        requirement_for("home_clay_mask", kb)
