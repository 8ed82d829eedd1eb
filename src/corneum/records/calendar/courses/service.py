"""A plan's course on the calendar: the remaining sessions proposed in one go at the intervals
the knowledge base gives (and booked, all or nothing, when confirmed), and one session moved
only if the course stays valid."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import Session

from corneum.db.atomic import atomic
from corneum.db.engine import take_write_lock
from corneum.knowledge import KnowledgeBase
from corneum.phrase import N_, Phrase, joined
from corneum.planning.calendar import WeeklyHours
from corneum.planning.course import Conflict, IntervalRule, move_session, propose_course
from corneum.planning.slots import Slot
from corneum.records.calendar.bookings import service
from corneum.records.calendar.bookings.diagnosis import explained
from corneum.records.calendar.bookings.schemas import BookingCreate, RescheduleRequest
from corneum.records.calendar.bookings.tables import RELEASED_STATUSES, Booking
from corneum.records.calendar.courses.schemas import ScheduleRequest, WeeklyAvailability
from corneum.records.calendar.refusals import not_booked
from corneum.records.calendar.store import load_calendar, offered
from corneum.records.clinic_time import ClinicClock, clinic_clock
from corneum.records.errors import ConflictError
from corneum.records.patch_tests.service import course_start
from corneum.records.plans.tables import TreatmentPlan
from corneum.records.tenancy import find_owned

ALL_BOOKED = N_("all %(count)s sessions of plan %(plan)s are booked")


@dataclass(frozen=True, slots=True)
class Schedule:
    rule: IntervalRule
    slots: tuple[Slot, ...]
    conflicts: tuple[Conflict, ...]
    clock: ClinicClock
    minutes: int
    booked: tuple[Booking, ...] = ()
    advice: tuple[str, ...] = ()


@atomic
def schedule_plan(
    *,
    session: Session,
    clinic_id: int,
    kb: KnowledgeBase,
    plan_id: int,
    data: ScheduleRequest,
    actor: int | None,
    now: datetime,
) -> Schedule:
    """Propose the plan's sessions not yet booked; with ``data.confirm``, book them all or, if
    any conflict, none (:class:`ConflictError` naming each)."""
    if data.confirm:
        take_write_lock(session)
    plan, _ = find_owned(session, TreatmentPlan, plan_id, clinic_id=clinic_id, resource="plan")
    need = offered(session, clinic_id, kb, plan.procedure_id)
    booked = _plan_bookings(session, plan.id)
    remaining = plan.sessions_planned - len(booked)
    if remaining <= 0:
        values = {"count": plan.sessions_planned, "plan": plan.id}
        raise ConflictError("plan_id", Phrase(ALL_BOOKED, values))
    rule = IntervalRule.of(kb.procedure(plan.procedure_id).course, remaining)
    clock = clinic_clock(session, clinic_id)
    start = course_start(session, plan=plan, kb=kb, clock=clock, now=now)
    first = _first_day(data.first_day, booked, rule, clock, now, start)
    horizon = (rule.max_days or 28) * remaining + 2
    window = (
        datetime.combine(first, time(0)),
        datetime.combine(first, time(0)) + timedelta(days=horizon),
    )
    calendar = load_calendar(session, clinic_id=clinic_id, kb=kb, clock=clock, window=window)
    proposal = propose_course(
        calendar,
        need,
        rule,
        first_day=first,
        practitioner_id=data.practitioner_id,
        client_hours=client_hours_of(data.client_hours),
        season_notes=kb.procedure(plan.procedure_id).season_notes,
    )
    offset = len(booked)
    why = partial(
        explained, session=session, clinic_id=clinic_id, kb=kb, procedure_id=plan.procedure_id,
        start=clock.utc(window[0]), end=clock.utc(window[1]), practitioner_id=data.practitioner_id,
    )  # fmt: skip
    conflicts = tuple(Conflict(c.session + offset, why(c.phrase)) for c in proposal.conflicts)
    schedule = Schedule(rule, proposal.slots, conflicts, clock, need.minutes, (), proposal.advice)
    if not data.confirm:
        return schedule
    if conflicts:
        raise _refusal(conflicts)
    made = tuple(
        service.book(
            session=session,
            clinic_id=clinic_id,
            kb=kb,
            data=BookingCreate(
                plan_id=plan.id,
                start=clock.utc(slot.start),
                practitioner_id=slot.practitioner_id,
                room_id=slot.room_id,
            ),
            actor=actor,
            now=now,
        )
        for slot in proposal.slots
    )
    return Schedule(rule, proposal.slots, conflicts, clock, need.minutes, made, proposal.advice)


@atomic
def move_course_session(
    *,
    session: Session,
    clinic_id: int,
    kb: KnowledgeBase,
    booking_id: int,
    data: RescheduleRequest,
    actor: int | None,
    now: datetime,
) -> tuple[list[Conflict], Booking | None]:
    """What moving the booking would break (the calendar, and its course's intervals); unless
    ``data.check_only``, the move itself when nothing breaks, else :class:`ConflictError`."""
    if not data.check_only:
        take_write_lock(session)
    row, _ = service.find_booking(session, clinic_id, booking_id)
    if row.status != "booked":
        raise not_booked(row)
    conflicts = _move_conflicts(session, clinic_id, kb, row, data)
    if data.check_only:
        return conflicts, None
    if conflicts:
        raise _refusal(conflicts)
    moved = service.reschedule(
        session=session,
        clinic_id=clinic_id,
        kb=kb,
        booking_id=booking_id,
        data=data,
        actor=actor,
        now=now,
    )
    return [], moved


def _move_conflicts(
    session: Session, clinic_id: int, kb: KnowledgeBase, row: Booking, data: RescheduleRequest
) -> list[Conflict]:
    course = _plan_bookings(session, row.plan_id) if row.plan_id else [row]
    index = next(i for i, b in enumerate(course) if b.id == row.id)
    try:
        slot, need, clock = service.plan_move(
            session=session, clinic_id=clinic_id, kb=kb, row=row, data=data
        )
    except ConflictError as exc:
        return [Conflict(index + 1, exc.phrase)]
    if row.plan_id is None:
        return []
    plan = session.get(TreatmentPlan, row.plan_id)
    assert plan is not None
    rule = IntervalRule.of(kb.procedure(row.procedure_id).course, plan.sessions_planned)
    local = clock.local(data.start)
    calendar = load_calendar(
        session,
        clinic_id=clinic_id,
        kb=kb,
        clock=clock,
        window=(local, local + timedelta(days=1)),
        excluding=frozenset({row.id}),
    )
    starts = [clock.local(b.starts_at) for b in course]
    return move_session(calendar, need, rule, starts, index, slot)


def _refusal(conflicts: Sequence[Conflict]) -> ConflictError:
    """Refuse a write naming every conflict, in the order found."""
    return ConflictError("start", joined([c.phrase for c in conflicts]))


def _plan_bookings(session: Session, plan_id: int) -> list[Booking]:
    statement = select(Booking).where(
        Booking.plan_id == plan_id, Booking.status.not_in(RELEASED_STATUSES)
    )
    return list(session.scalars(statement.order_by(Booking.starts_at, Booking.id)))


def _first_day(
    given: date | None,
    booked: list[Booking],
    rule: IntervalRule,
    clock: ClinicClock,
    now: datetime,
    start: date,
) -> date:
    """The given day, else the clinic's tomorrow; never before the course allows after the
    last session already booked, nor, for the course's first session, before ``start`` (its
    pre-steps' shortest wait: :func:`course_start`)."""
    earliest = clock.local(now).date() + timedelta(days=1)
    if booked:
        last = clock.local(booked[-1].starts_at).date()
        earliest = max(earliest, last + timedelta(days=rule.min_days))
    else:
        earliest = max(earliest, start)
    return max(given, earliest) if given else earliest


def client_hours_of(availability: WeeklyAvailability | None) -> WeeklyHours | None:
    if availability is None:
        return None
    days: dict[int, list[tuple[time, time]]] = {}
    for span in sorted(availability.spans, key=lambda s: (s.weekday, s.starts)):
        days.setdefault(span.weekday, []).append((span.starts, span.ends))
    return WeeklyHours(
        {day: tuple(spans) for day, spans in days.items()}, frozenset(availability.unavailable)
    )
