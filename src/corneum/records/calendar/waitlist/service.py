"""A week's waitlist placed by the optimiser: the sessions of plans' courses that should happen
this week, placed together (CP-SAT, against the greedy baseline), and booked if asked."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from corneum.db.atomic import atomic
from corneum.db.engine import take_write_lock
from corneum.knowledge import KnowledgeBase
from corneum.planning.week import SessionRequest
from corneum.records.calendar.bookings import service
from corneum.records.calendar.bookings.schemas import BookingCreate
from corneum.records.calendar.bookings.tables import Booking
from corneum.records.calendar.courses.service import client_hours_of
from corneum.records.calendar.store import load_calendar, requirement
from corneum.records.calendar.waitlist.schemas import WaitlistEntry, WeekRequest
from corneum.records.clinic_time import ClinicClock, clinic_clock
from corneum.records.plans.tables import TreatmentPlan
from corneum.records.tenancy import find_owned

if TYPE_CHECKING:
    # OR-Tools (tens of MiB, a second to load) is imported only when the optimiser runs, so no
    # server process that never optimises a week pays for it.
    from corneum.planning.optimiser import WeekPlan


@dataclass(frozen=True, slots=True)
class WeekResult:
    plan: WeekPlan
    greedy: WeekPlan
    plan_ids: tuple[int, ...]
    """Each entry's plan, by index."""
    minutes: dict[int, int]
    """Each placed entry's session length."""
    clock: ClinicClock
    booked: tuple[Booking, ...] = ()


@atomic
def optimise_waitlist(
    *,
    session: Session,
    clinic_id: int,
    kb: KnowledgeBase,
    data: WeekRequest,
    actor: int | None,
    now: datetime,
) -> WeekResult:
    """Place the waitlist in the week around what is booked already; with ``data.book`` book
    every placed session in this one transaction."""
    from corneum.planning.optimiser import greedy_week, optimise_week

    if data.book:
        take_write_lock(session)
    clock = clinic_clock(session, clinic_id)
    monday = datetime.combine(data.week_start, time(0))
    calendar = load_calendar(
        session, clinic_id=clinic_id, kb=kb, clock=clock, window=(monday, monday + timedelta(7))
    )
    plans = [
        find_owned(session, TreatmentPlan, e.plan_id, clinic_id=clinic_id, resource="plan")[0]
        for e in data.requests
    ]
    requests = [
        _request(index, plan, entry, kb, monday)
        for index, (plan, entry) in enumerate(zip(plans, data.requests, strict=True))
    ]
    requirements = dict(calendar.requirements)
    greedy = greedy_week(calendar.copy(), requirements, requests)
    plan = optimise_week(
        calendar, requirements, requests, week_start=monday, seconds=data.seconds, hint=greedy
    )
    minutes = {r.id: requirements[r.procedure_id].minutes for r in requests}
    result = WeekResult(plan, greedy, tuple(p.id for p in plans), minutes, clock)
    if not data.book:
        return result
    booked = tuple(
        service.book(
            session=session,
            clinic_id=clinic_id,
            kb=kb,
            data=BookingCreate(
                plan_id=result.plan_ids[index],
                start=clock.utc(slot.start),
                practitioner_id=slot.practitioner_id,
                room_id=slot.room_id,
            ),
            actor=actor,
            now=now,
        )
        for index, slot in sorted(plan.placed.items(), key=lambda item: item[1].start)
    )
    return WeekResult(plan, greedy, result.plan_ids, minutes, clock, booked)


def _request(
    index: int, plan: TreatmentPlan, entry: WaitlistEntry, kb: KnowledgeBase, monday: datetime
) -> SessionRequest:
    """The entry as the optimiser's request, its days cut to the week."""
    requirement(kb, plan.procedure_id)  # a home procedure is refused, naming it
    first = max(datetime.combine(entry.earliest, time(0)), monday)
    last = min(datetime.combine(entry.latest, time(23, 59)), monday + timedelta(days=7, minutes=-1))
    return SessionRequest(
        id=index,
        procedure_id=plan.procedure_id,
        earliest=first,
        latest=max(last, first),
        client_hours=client_hours_of(entry.client_hours),
        practitioner_id=entry.practitioner_id,
    )


def proved_bound(plan: WeekPlan) -> int | None:
    """The solver's bound on sessions placed, as a whole number (it proves an integer)."""
    return None if plan.placed_bound is None else math.floor(plan.placed_bound + 1e-6)
