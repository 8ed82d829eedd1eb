"""Why a slot search found nothing: the clinic's resources for the procedure and the window
diagnosed, so a refusal names the real cause ("no room is set up", "no practitioner works on
Saturdays", "the laser is in maintenance") rather than "no free time"."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from corneum.knowledge import KnowledgeBase
from corneum.phrase import N_, Code, Phrase, joined
from corneum.planning.calendar import DeviceUnit, Practitioner, Resources, minute
from corneum.planning.requirements import Requirement
from corneum.records.calendar.store import load_calendar, requirement
from corneum.records.clinic_time import clinic_clock

NO_ROOM = N_("no room is set up: an administrator adds one")
NO_DEVICE = N_("the clinic has no %(kind)s in service")
IN_MAINTENANCE = N_("every %(kind)s is in maintenance until %(until)s")
NO_PRACTITIONER = N_("no practitioner can perform %(procedure)s")
NOT_QUALIFIED = N_("the practitioner chosen cannot perform %(procedure)s")
NOBODY_ON = N_("no qualified practitioner works on %(weekday)s")
CHOSEN_NOT_ON = N_("the practitioner chosen does not work on %(weekday)s")
ALL_OFF = N_("every qualified practitioner is off on %(day)s")
TOO_SHORT = N_("no working span of a qualified practitioner is %(minutes)s minutes long")
FULL = N_("every place from %(start)s to %(end)s is taken")
WEEKDAYS = (
    N_("Mondays"),
    N_("Tuesdays"),
    N_("Wednesdays"),
    N_("Thursdays"),
    N_("Fridays"),
    N_("Saturdays"),
    N_("Sundays"),
)


def diagnose(
    *,
    session: Session,
    clinic_id: int,
    kb: KnowledgeBase,
    procedure_id: str,
    start: datetime,
    end: datetime,
    practitioner_id: int | None = None,
) -> list[Phrase]:
    """What keeps the procedure out of [start, end) (aware times): each missing or unavailable
    resource; if every resource is there, that the calendar is full."""
    need = requirement(kb, procedure_id)
    clock = clinic_clock(session, clinic_id)
    window = clock.local(start), clock.local(end)
    resources = load_calendar(
        session, clinic_id=clinic_id, kb=kb, clock=clock, window=window
    ).resources
    causes = [Phrase(NO_ROOM)] if not resources.rooms else []
    causes += [
        cause for kind, _ in need.device_spans if (cause := _device(resources, kind, window))
    ]
    causes += _people(resources, need, window, practitioner_id)
    return causes or [Phrase(FULL, {"start": minute(window[0]), "end": minute(window[1])})]


def _device(resources: Resources, kind: str, window: tuple[datetime, datetime]) -> Phrase | None:
    units = resources.units(kind)
    if not units:
        return Phrase(NO_DEVICE, {"kind": Code(kind)})
    ends = [_covered_until(unit, window) for unit in units]
    if all(ends):
        until = min(end for end in ends if end is not None)
        return Phrase(IN_MAINTENANCE, {"kind": Code(kind), "until": minute(until)})
    return None


def _covered_until(unit: DeviceUnit, window: tuple[datetime, datetime]) -> datetime | None:
    """The end of a maintenance window covering the whole search window, if one does."""
    ends = [end for start, end in unit.maintenance if start <= window[0] and end >= window[1]]
    return max(ends) if ends else None


def _people(
    resources: Resources,
    need: Requirement,
    window: tuple[datetime, datetime],
    practitioner_id: int | None,
) -> list[Phrase]:
    procedure = {"procedure": Code(need.procedure_id)}
    qualified = resources.qualified(need)
    if practitioner_id is not None:
        qualified = [p for p in qualified if p.id == practitioner_id]
        if not qualified:
            return [Phrase(NOT_QUALIFIED, procedure)]
    if not qualified:
        return [Phrase(NO_PRACTITIONER, procedure)]
    days = _days(window)
    working = [day for day in days if any(_works(p, day) for p in qualified)]
    if not working:
        return _nobody_working(qualified, days, chosen=practitioner_id is not None)
    longest = max(_longest_span(p, day) for p in qualified for day in working)
    if longest < need.minutes:
        return [Phrase(TOO_SHORT, {"minutes": need.minutes})]
    return []


def _nobody_working(
    qualified: list[Practitioner], days: list[date], *, chosen: bool
) -> list[Phrase]:
    """Each weekday of the window nobody has hours on, then each day everyone is off."""
    causes: list[Phrase] = []
    template = CHOSEN_NOT_ON if chosen else NOBODY_ON
    for weekday in sorted({day.weekday() for day in days}):
        if not any(p.hours.days.get(weekday) for p in qualified):
            causes.append(Phrase(template, {"weekday": Phrase(WEEKDAYS[weekday])}))
    for day in days:
        if any(p.hours.days.get(day.weekday()) for p in qualified):
            causes.append(Phrase(ALL_OFF, {"day": day.isoformat()}))
    return causes


def _works(practitioner: Practitioner, day: date) -> bool:
    hours = practitioner.hours
    return bool(hours.days.get(day.weekday())) and day not in hours.exceptions


def _longest_span(practitioner: Practitioner, day: date) -> int:
    spans = practitioner.hours.days.get(day.weekday(), ()) if _works(practitioner, day) else ()
    minutes = [
        (datetime.combine(day, end) - datetime.combine(day, start)).seconds // 60
        for start, end in spans
    ]
    return max(minutes, default=0)


def _days(window: tuple[datetime, datetime]) -> list[date]:
    """The local days the window touches (one ending at midnight stops the day before)."""
    first = window[0].date()
    last = window[1].date() - timedelta(days=1) if window[1].time() == time(0) else window[1].date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


BECAUSE = N_("%(what)s, because %(why)s")


def explained(
    phrase: Phrase,
    *,
    session: Session,
    clinic_id: int,
    kb: KnowledgeBase,
    procedure_id: str,
    start: datetime,
    end: datetime,
    practitioner_id: int | None = None,
) -> Phrase:
    """``phrase`` (a search that found nothing) with what is missing from the clinic's
    resources for that window, when something is; as it was if the calendar is only full."""
    causes = diagnose(
        session=session, clinic_id=clinic_id, kb=kb, procedure_id=procedure_id, start=start,
        end=end, practitioner_id=practitioner_id,
    )  # fmt: skip
    missing = [cause for cause in causes if cause.template != FULL]
    return Phrase(BECAUSE, {"what": phrase, "why": joined(missing)}) if missing else phrase
