"""From an assessment to a plan, and the plan's course on the calendar: proposed at the
knowledge base's intervals around the client's available times, then booked in one go.

Practitioners start plans and see them in full; reception sees what it needs to book (the
procedure and the session counts, nothing clinical), as in the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from fastapi import APIRouter, Request
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import Response

from corneum.http.deps import ClockDep, KnowledgeDep, PathId, SessionDep, WriteSessionDep
from corneum.knowledge import KnowledgeBase
from corneum.planning.course import season_flags
from corneum.records.accounts.tables import User
from corneum.records.calendar.bookings import service as calendar
from corneum.records.calendar.courses import service as courses
from corneum.records.calendar.courses.schemas import ScheduleRequest, WeeklyAvailability
from corneum.records.calendar.courses.service import Schedule
from corneum.records.calendar.resources.schemas import HoursSpan
from corneum.records.clients import service as clients
from corneum.records.clinic_time import clinic_clock
from corneum.records.consultations import service as consultations
from corneum.records.errors import ConflictError, InvalidInputError
from corneum.records.plans import service as plans
from corneum.records.plans.schemas import PlanCreate, PlanUpdate
from corneum.records.plans.tables import TreatmentPlan
from corneum.records.screening.service import ContraindicatedError
from corneum.web import messages
from corneum.web.access import Csrf, PagePractitioner, PageRefusedError, PageStaff, PageStaffWriting
from corneum.web.calendar.texts import (
    CALENDAR_CHANGED,
    CONTRAINDICATED,
    ENDS_BEFORE_STARTS,
    NOT_IN_ASSESSMENT,
    WEEKDAYS,
)
from corneum.web.calendar.views import (
    Problems,
    absorb,
    booking_view,
    clinic_resources,
    read_day,
    read_id,
    read_time,
    refused,
    slot_view,
)
from corneum.web.forms import Form, see_other, text, texts
from corneum.web.i18n import knowledge_in
from corneum.web.patch_tests.views import plan_step_views
from corneum.web.templating import render
from corneum.web.timeline import procedure_name

router = APIRouter(include_in_schema=False)
COURSE_FIELDS = ("first_day", "weekdays", "available_from", "available_to", "practitioner")
FIELDS = (*COURSE_FIELDS, "practitioner_id")
"""Where refusals show: the form's fields, and the request's name for the practitioner."""
WEEKDAY_VALUES = frozenset(str(day) for day in range(7))
END_OF_DAY = time(23, 59)
"""The end of a client's day when only the hour they can come from is given."""


@router.post("/consultations/{consultation_id}/plans", dependencies=[Csrf])
def start_plan(
    consultation_id: PathId,
    user: PagePractitioner,
    session: SessionDep,
    kb: KnowledgeDep,
    clock: ClockDep,
    form: Form,
) -> Response:
    """A plan for one procedure the assessment did not contraindicate, with the knowledge
    base's usual number of sessions."""
    consultation = consultations.get_consultation(
        session=session, clinic_id=user.clinic_id, consultation_id=consultation_id, actor=user.id
    )
    procedure_id = text(form, "procedure_id")
    if consultations.stored_assessment(consultation).verdict(procedure_id) is None:
        raise PageRefusedError(422, NOT_IN_ASSESSMENT)
    course = kb.procedure(procedure_id).course
    sessions = course.sessions.min if course and course.sessions else 1
    data = PlanCreate(
        procedure_id=procedure_id, sessions_planned=sessions, consultation_id=consultation.id
    )
    try:
        plan = plans.create_plan(
            session=session,
            clinic_id=user.clinic_id,
            client_id=consultation.client_id,
            data=data,
            actor=user.id,
            kb=kb,
            now=clock(),
        )
    except ContraindicatedError:
        raise PageRefusedError(409, CONTRAINDICATED) from None
    return see_other(f"/plans/{plan.id}")


@dataclass
class CourseForm:
    """The course proposal's form as the user filled it in."""

    values: dict[str, Any] = field(
        default_factory=lambda: dict.fromkeys(COURSE_FIELDS, "") | {"weekdays": []}
    )
    problems: Problems = field(default_factory=Problems)
    schedule: Schedule | None = None
    proposed: list[str] = field(default_factory=list)
    """The proposal's starts (UTC, ISO), posted back to confirm exactly these."""


def read_course_form(form: FormData) -> tuple[CourseForm, ScheduleRequest | None]:
    """The request the form asks for, or None with the problems beside their fields."""
    course = CourseForm()
    course.values = {name: text(form, name) for name in COURSE_FIELDS}
    course.values["weekdays"] = [d for d in texts(form, "weekdays") if d in WEEKDAY_VALUES]
    problems = course.problems
    first_day = read_day(course.values["first_day"], "first_day", problems)
    starts = read_time(course.values["available_from"], "available_from", problems)
    ends = read_time(course.values["available_to"], "available_to", problems)
    if (ends or END_OF_DAY) <= (starts or time.min):
        problems.fields["available_to"] = ENDS_BEFORE_STARTS
    if problems:
        return course, None
    try:
        availability = None
        if course.values["weekdays"] or starts or ends:
            days = [int(d) for d in course.values["weekdays"]] or range(7)
            spans = [
                HoursSpan(weekday=day, starts=starts or time.min, ends=ends or END_OF_DAY)
                for day in days
            ]
            availability = WeeklyAvailability(spans=spans)
        request = ScheduleRequest(
            first_day=first_day,
            practitioner_id=read_id(course.values["practitioner"]),
            client_hours=availability,
        )
    except ValidationError as exc:
        absorb(problems, InvalidInputError.from_validation(exc, lambda loc: loc), FIELDS)
        return course, None
    return course, request


def plan_page(
    request: Request,
    *,
    session: Session,
    user: User,
    kb: KnowledgeBase,
    plan_id: int,
    course: CourseForm,
    now: datetime,
    status_code: int = 200,
) -> Response:
    """The plan, its course rule from the knowledge base, its bookings and the course form
    (with a proposal and the season notes its dates draw, when there is one); the knowledge
    base's texts from its view in the user's language."""
    shown = knowledge_in(kb, user.language)
    clinic_id, actor = user.clinic_id, user.id
    plan = plans.get_plan(session=session, clinic_id=clinic_id, plan_id=plan_id, actor=actor)
    client = clients.get_client(
        session=session, clinic_id=clinic_id, client_id=plan.client_id, actor=actor
    )
    rows = calendar.plan_bookings(
        session=session, clinic_id=clinic_id, plan_id=plan.id, actor=actor
    )
    held = sum(row.status != "cancelled" for row in rows)
    clinic = clinic_resources(session, user.clinic_id, shown)
    clock = clinic_clock(session, user.clinic_id)
    schedule = course.schedule
    context = {
        "user": user,
        "plan": plan,
        "clinical": user.role == "practitioner",
        "pre_steps": plan_step_views(session, user=user, plan=plan, shown=shown, now=now),
        "client": client,
        "status": messages.PLAN_STATUS[plan.status],
        "procedure": procedure_name(shown, plan.procedure_id),
        **course_rule(shown, plan),
        "bookable": plan.procedure_id in kb.booking,
        "bookings": [booking_view(row, clock, clinic, shown) for row in rows],
        "remaining": plan.sessions_planned - held,
        "session_choices": session_choices(kb, plan, held),
        "form": course,
        "errors": course.problems.fields,
        "weekdays": list(enumerate(WEEKDAYS)),
        "practitioners": clinic.practitioners,
        "proposal": [
            slot_view(slot, schedule.clock, schedule.minutes, clinic) for slot in schedule.slots
        ]
        if schedule
        else [],
        "conflicts": schedule.conflicts if schedule else (),
        "advice": season_flags(schedule.slots, shown.procedure(plan.procedure_id).season_notes)
        if schedule
        else (),
    }
    return render(request, "plan.html", context, status_code=status_code)


def course_rule(kb: KnowledgeBase, plan: TreatmentPlan) -> dict[str, Any]:
    """The number of sessions and the days between them the knowledge base gives, cited."""
    course = kb.procedure(plan.procedure_id).course
    if course is None:
        return {"course": None, "course_source": ""}
    source = kb.sources.get(course.source)
    return {"course": course, "course_source": source.citation if source else course.source}


def session_choices(kb: KnowledgeBase, plan: TreatmentPlan, held: int) -> list[int]:
    """How many sessions the plan may have: never fewer than are booked, up to the most the
    knowledge base's course gives (or the number planned, if more)."""
    course = kb.procedure(plan.procedure_id).course
    most = course.sessions.max if course and course.sessions else plan.sessions_planned
    return list(range(max(1, held), max(most, plan.sessions_planned) + 1))


@router.post("/plans/{plan_id}/sessions", dependencies=[Csrf])
def change_sessions(
    request: Request,
    plan_id: PathId,
    user: PagePractitioner,
    session: SessionDep,
    kb: KnowledgeDep,
    clock: ClockDep,
    form: Form,
) -> Response:
    """Change the number of sessions planned, within :func:`session_choices`."""
    plan = plans.get_plan(session=session, clinic_id=user.clinic_id, plan_id=plan_id, actor=user.id)
    held = calendar.plan_bookings(
        session=session, clinic_id=user.clinic_id, plan_id=plan.id, actor=user.id
    )
    chosen = read_id(text(form, "sessions_planned"))
    active = sum(row.status != "cancelled" for row in held)
    if chosen not in session_choices(kb, plan, active):
        course = CourseForm()
        course.problems.fields["sessions_planned"] = messages.CHOOSE_FROM_LIST
        return plan_page(
            request,
            session=session,
            user=user,
            kb=kb,
            plan_id=plan_id,
            course=course,
            now=clock(),
            status_code=422,
        )
    plans.update_plan(
        session=session,
        clinic_id=user.clinic_id,
        plan_id=plan.id,
        data=PlanUpdate(sessions_planned=chosen),
        actor=user.id,
    )
    return see_other(f"/plans/{plan_id}")


@router.get("/plans/{plan_id}")
def show(
    request: Request,
    plan_id: PathId,
    user: PageStaff,
    session: SessionDep,
    kb: KnowledgeDep,
    clock: ClockDep,
) -> Response:
    course = CourseForm()
    return plan_page(
        request, session=session, user=user, kb=kb, plan_id=plan_id, course=course, now=clock()
    )


@router.post("/plans/{plan_id}/schedule", dependencies=[Csrf])
def schedule(
    request: Request,
    plan_id: PathId,
    user: PageStaffWriting,
    session: WriteSessionDep,
    kb: KnowledgeDep,
    clock: ClockDep,
    form: Form,
) -> Response:
    """Propose the remaining sessions; confirming books exactly the proposal shown, or, if
    the calendar changed since, shows the new one instead."""
    course, data = read_course_form(form)

    def again(status_code: int = 200) -> Response:
        return plan_page(
            request,
            session=session,
            user=user,
            kb=kb,
            plan_id=plan_id,
            course=course,
            now=clock(),
            status_code=status_code,
        )

    if data is None:
        return again(422)
    try:
        course.schedule = _propose(session, user, kb, plan_id, data, clock())
        course.proposed = [
            course.schedule.clock.utc(slot.start).isoformat() for slot in course.schedule.slots
        ]
        if text(form, "action") != "confirm":
            return again()
        if texts(form, "proposed") != course.proposed:
            course.problems.conflict = CALENDAR_CHANGED
            return again(409)
        _propose(session, user, kb, plan_id, data.model_copy(update={"confirm": True}), clock())
    except (ConflictError, InvalidInputError) as exc:
        course.schedule = None
        return again(refused(session, course.problems, exc, FIELDS))
    return see_other(f"/plans/{plan_id}#sessions")


def _propose(
    session: Session,
    user: User,
    kb: KnowledgeBase,
    plan_id: int,
    data: ScheduleRequest,
    now: datetime,
) -> Schedule:
    return courses.schedule_plan(
        session=session,
        clinic_id=user.clinic_id,
        kb=kb,
        plan_id=plan_id,
        data=data,
        actor=user.id,
        now=now,
    )
