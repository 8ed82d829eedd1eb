"""What the calendar's routes answer, built from the services' rows and results: shared by the
calendar's routes and the reception desk's, so neither imports the other."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from corneum.planning.slots import Slot
from corneum.records.calendar.bookings import service
from corneum.records.calendar.bookings.schemas import BookingRead, SlotRead
from corneum.records.calendar.bookings.tables import Booking
from corneum.records.calendar.waitlist import service as waitlist
from corneum.records.calendar.waitlist.schemas import PlacementRead, WeekPlanRead
from corneum.records.clinic_time import ClinicClock
from corneum.records.sessions.schemas import CautionRead


def slot_read(slot: Slot, clock: ClinicClock, minutes: int) -> SlotRead:
    return SlotRead(
        start=clock.utc(slot.start),
        end=clock.utc(slot.start + timedelta(minutes=minutes)),
        local_start=slot.start.isoformat(),
        practitioner_id=slot.practitioner_id,
        room_id=slot.room_id,
        device_ids=dict(slot.device_ids),
    )


def booking_reads(session: Session, rows: list[Booking]) -> list[BookingRead]:
    units = service.device_ids(session, [row.id for row in rows])
    return [
        BookingRead(
            id=row.id,
            client_id=row.client_id,
            plan_id=row.plan_id,
            procedure_id=row.procedure_id,
            practitioner_id=row.practitioner_id,
            practitioner_name=row.practitioner_name,
            room_id=row.room_id,
            device_ids=units[row.id],
            start=row.starts_at,
            end=row.ends_at,
            status=row.status,
            version=row.version,
            cancel_reason=row.cancel_reason,
            cautions=[CautionRead.model_validate(reason) for reason in row.cautions],
        )
        for row in rows
    ]


def week_plan_read(session: Session, result: waitlist.WeekResult | None) -> WeekPlanRead:
    """The optimiser's week beside the greedy baseline's, and what it booked; None, an empty
    week (nothing was waiting)."""
    if result is None:
        return WeekPlanRead(
            placed=[], unplaced=[], placed_bound=0, idle_minutes=0, greedy_placed=0,
            greedy_idle_minutes=0, status="EMPTY", booked=[],
        )  # fmt: skip
    plan = result.plan
    return WeekPlanRead(
        placed=[
            PlacementRead(
                request=index,
                plan_id=result.plan_ids[index],
                slot=slot_read(slot, result.clock, result.minutes[index]),
            )
            for index, slot in sorted(plan.placed.items())
        ],
        unplaced=sorted(plan.unplaced),
        placed_bound=waitlist.proved_bound(plan),
        idle_minutes=plan.idle_minutes,
        greedy_placed=len(result.greedy.placed),
        greedy_idle_minutes=result.greedy.idle_minutes,
        status=plan.status,
        booked=booking_reads(session, list(result.booked)),
    )
