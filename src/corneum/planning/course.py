"""A course of sessions at the intervals the knowledge base allows: proposed in one go, and
checked again when the client moves one session."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from corneum.knowledge.model import Course, DayRange, Instruction, PreStep
from corneum.phrase import N_, Phrase, Value
from corneum.planning.calendar import Calendar, OverlapError, WeeklyHours
from corneum.planning.requirements import Requirement
from corneum.planning.slots import Slot, find_slots

PROPOSAL_ID_BASE = -1_000_000
"""Ids for tentative bookings while a course is proposed; real bookings have positive ids."""
UNSTATED_MIN_DAYS = 1
"""Where the knowledge base states no interval for a procedure, a course's sessions still fall
on different days: a calendar convention, not a clinical claim (none is cited for it)."""
TOO_SOON = N_(
    "session %(number)s is %(gap)s days after session %(previous)s; "
    "at least %(least)s are needed (%(source)s)"
)
TOO_LATE = N_(
    "session %(number)s is %(gap)s days after session %(previous)s; "
    "at most %(most)s are allowed (%(source)s)"
)
NO_SLOT = N_("no free slot for session %(number)s between %(first)s and %(last)s")
NOT_FREE = N_("the new time is not free: %(what)s")


@dataclass(frozen=True, slots=True)
class IntervalRule:
    """Days between consecutive sessions (by calendar date), and how many sessions."""

    sessions: int
    min_days: int
    max_days: int | None
    source: str

    @classmethod
    def of(cls, course: Course | None, sessions: int | None = None) -> IntervalRule:
        """The rule from a procedure's course; ``sessions`` overrides the planned count."""
        if course is None:
            return cls(sessions or 1, UNSTATED_MIN_DAYS, None, "")
        interval = course.interval_days
        count = sessions or (course.sessions.min if course.sessions else 1)
        return cls(
            count,
            max(interval.min, UNSTATED_MIN_DAYS) if interval else UNSTATED_MIN_DAYS,
            interval.max if interval else None,
            course.source,
        )


@dataclass(frozen=True, slots=True)
class Conflict:
    session: int
    """1-based number of the session in the course."""
    phrase: Phrase

    @property
    def message(self) -> str:
        """In English, as the API gives it."""
        return self.phrase.text


@dataclass(frozen=True, slots=True)
class CourseProposal:
    slots: tuple[Slot, ...]
    conflicts: tuple[Conflict, ...]
    advice: tuple[str, ...] = ()
    """Season notes the proposed dates draw: advice for the practitioner, not a conflict."""


@dataclass(frozen=True, slots=True)
class SeasonFlag:
    """A session that falls in a month one of the procedure's season notes flags."""

    session: int
    """1-based number of the session among the slots."""
    slot: Slot
    note: Instruction


def season_flags(slots: Sequence[Slot], notes: Sequence[Instruction]) -> tuple[SeasonFlag, ...]:
    """For each session falling in a month a season note flags, that note."""
    return tuple(
        SeasonFlag(number, slot, note)
        for number, slot in enumerate(slots, start=1)
        for note in notes
        if slot.start.month in note.avoid_months
    )


def season_advice(slots: Sequence[Slot], notes: Sequence[Instruction]) -> tuple[str, ...]:
    """:func:`season_flags` worded in English, each note with its source."""
    return tuple(
        f"session {flag.session} on {flag.slot.start.date()}: {flag.note.text} ({flag.note.source})"
        for flag in season_flags(slots, notes)
    )


@dataclass(frozen=True, slots=True)
class StepWindow:
    """The days a pre-step (a patch test) may be done on, for a course whose first session
    falls on ``first_session``."""

    earliest: date | None
    """None where the knowledge base sets no longest wait."""
    latest: date

    def holds(self, day: date) -> bool:
        """Whether a step done on ``day`` is in the window."""
        return day <= self.latest and (self.earliest is None or day >= self.earliest)


def step_window(days_before: DayRange, first_session: date) -> StepWindow:
    """From ``days_before.max`` to ``days_before.min`` days before the first session."""
    latest = first_session - timedelta(days=days_before.min)
    if days_before.max is None:
        return StepWindow(None, latest)
    return StepWindow(first_session - timedelta(days=days_before.max), latest)


def first_session_after(steps: Sequence[PreStep], start: date) -> date:
    """The earliest day a course's first session may fall on when its pre-steps can be done
    from ``start`` on: the longest of their shortest waits after it."""
    return start + timedelta(days=max((step.days_before.min for step in steps), default=0))


def check_intervals(starts: Sequence[datetime], rule: IntervalRule) -> list[Conflict]:
    """Every gap between consecutive sessions that breaks the rule, named."""
    conflicts: list[Conflict] = []
    for number in range(1, len(starts)):
        gap = (starts[number].date() - starts[number - 1].date()).days
        values: dict[str, Value] = {
            "number": number + 1,
            "gap": gap,
            "previous": number,
            "source": rule.source,
        }
        if gap < rule.min_days:
            phrase = Phrase(TOO_SOON, {**values, "least": rule.min_days})
            conflicts.append(Conflict(number + 1, phrase))
        elif rule.max_days is not None and gap > rule.max_days:
            phrase = Phrase(TOO_LATE, {**values, "most": rule.max_days})
            conflicts.append(Conflict(number + 1, phrase))
    return conflicts


def propose_course(
    calendar: Calendar,
    requirement: Requirement,
    rule: IntervalRule,
    *,
    first_day: date,
    practitioner_id: int | None = None,
    client_hours: WeeklyHours | None = None,
    season_notes: Sequence[Instruction] = (),
) -> CourseProposal:
    """The earliest slot for each session, each within the rule's window after the last.

    Sessions are held on the calendar while the rest are searched (so a course never collides
    with itself) and released before returning: the calendar is left as it was.
    """
    slots: list[Slot] = []
    conflicts: list[Conflict] = []
    window_start = datetime.combine(first_day, time(0))
    window_end = window_start + timedelta(days=(rule.max_days or 28) + 1)
    try:
        for number in range(1, rule.sessions + 1):
            found = find_slots(
                calendar,
                requirement,
                start=window_start,
                end=window_end,
                count=1,
                practitioner_id=practitioner_id,
                client_hours=client_hours,
            )
            if not found:
                conflicts.append(Conflict(number, _no_slot(number, window_start, window_end)))
                break
            slot = found[0]
            calendar.book(slot.booking(PROPOSAL_ID_BASE - number, requirement.procedure_id))
            slots.append(slot)
            day = slot.start.date()
            window_start = datetime.combine(day + timedelta(days=rule.min_days), time(0))
            window_end = datetime.combine(day + timedelta(days=(rule.max_days or 28) + 1), time(0))
    finally:
        for number in range(1, len(slots) + 1):
            calendar.cancel(PROPOSAL_ID_BASE - number)
    return CourseProposal(tuple(slots), tuple(conflicts), season_advice(slots, season_notes))


def _no_slot(number: int, start: datetime, end: datetime) -> Phrase:
    last = (end - timedelta(days=1)).date()
    values: dict[str, Value] = {
        "number": number,
        "first": start.date().isoformat(),
        "last": last.isoformat(),
    }
    return Phrase(NO_SLOT, values)


def move_session(
    calendar: Calendar,
    requirement: Requirement,
    rule: IntervalRule,
    starts: Sequence[datetime],
    index: int,
    slot: Slot,
) -> list[Conflict]:
    """What breaks if session ``index`` (0-based) moves to ``slot``: the calendar (is the slot
    free?) and the course's intervals. An empty list means the move is valid. The calendar must
    not hold the session being moved (cancel it first, rebook it after)."""
    conflicts: list[Conflict] = []
    probe = slot.booking(PROPOSAL_ID_BASE, requirement.procedure_id)
    try:
        calendar.book(probe)
    except OverlapError as exc:
        conflicts.append(Conflict(index + 1, Phrase(NOT_FREE, {"what": exc.phrase})))
    else:
        calendar.cancel(probe.id)
    moved = [*starts[:index], slot.start, *starts[index + 1 :]]
    conflicts.extend(c for c in check_intervals(moved, rule) if c.session in (index + 1, index + 2))
    return conflicts
