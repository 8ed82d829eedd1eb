"""Recording patch tests and asking what they show; scoped by clinic and audited.

A procedure whose knowledge base entry names a ``patch_test`` pre-step waits for one: the
first stage of a course's first session is refused without a test of that procedure read with
no reaction in the step's window (:class:`corneum.records.sessions.protocol.Gate`), and a
reaction enters screening as the condition the step names (an intolerance to the agents)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from corneum.db.atomic import atomic
from corneum.knowledge import KnowledgeBase
from corneum.knowledge.model import PreStep, Procedure
from corneum.phrase import N_, Phrase
from corneum.planning.course import StepWindow, first_session_after, step_window
from corneum.records.calendar.bookings.tables import RELEASED_STATUSES, Booking
from corneum.records.clinic_time import ClinicClock, clinic_clock
from corneum.records.errors import ConflictError, InvalidInputError, Problem
from corneum.records.patch_tests.schemas import (
    PatchReading,
    PatchTestCreate,
    PreStepRead,
    PreStepState,
)
from corneum.records.patch_tests.tables import PatchTest
from corneum.records.plans.tables import TreatmentPlan
from corneum.records.sessions.tables import TreatmentSession
from corneum.records.tenancy import (
    audit_client,
    find_client,
    find_owned,
    owned_rows,
    read_owned,
)

PATCH_TEST = "patch_test"
"""The id of the pre-step a patch test records."""
ALREADY_READ = N_("patch test %(test)s has been read already: record a new test")
NOT_HELD = frozenset({"cancelled", "no_show"})
STATE_OF_RESULT: dict[str | None, PreStepState] = {
    "reaction": "reaction", "no_reaction": "read", None: "recorded"
}  # fmt: skip
STATE_ORDER: tuple[PreStepState, ...] = ("reaction", "read", "recorded")


def patch_test_step(procedure: Procedure) -> PreStep | None:
    """The procedure's patch-test pre-step, if its knowledge base entry has one."""
    return next((step for step in procedure.pre_steps if step.id == PATCH_TEST), None)


@atomic
def record_patch_test(
    *,
    session: Session,
    clinic_id: int,
    client_id: int,
    data: PatchTestCreate,
    kb: KnowledgeBase,
    actor: int | None,
) -> PatchTest:
    """A patch test applied (and, with ``data.reading``, already read) for a procedure that
    asks for one, with one of the procedure's agents where it lists them."""
    client = find_client(session=session, clinic_id=clinic_id, client_id=client_id)
    procedure = kb.procedure(data.procedure_id)
    if patch_test_step(procedure) is None:
        _refuse(("body", "procedure_id"), f"{procedure.id} asks for no patch test")
    agents = [use.agent for use in procedure.agent_uses]
    if data.agent is not None and data.agent not in agents:
        _refuse(("body", "agent"), f"choose one of the procedure's agents: {'; '.join(agents)}")
    row = PatchTest(client_id=client.id, applied_by=actor, **data.model_dump(exclude={"reading"}))
    if data.reading is not None:
        _take_reading(row, data.reading, actor, ("body", "reading", "read_at"))
    session.add(row)
    session.flush()
    audit_client(
        session, actor=actor, action="create", client=client, resource="patch_test",
        resource_id=row.id,
    )  # fmt: skip
    return row


@atomic
def read_patch_test(
    *, session: Session, clinic_id: int, patch_test_id: int, data: PatchReading, actor: int | None
) -> PatchTest:
    """What the patch showed; a test is read once (409 on ``result`` after that)."""
    row, client = find_owned(
        session, PatchTest, patch_test_id, clinic_id=clinic_id, resource="patch_test"
    )
    if row.result is not None:
        raise ConflictError("result", Phrase(ALREADY_READ, {"test": row.id}))
    _take_reading(row, data, actor, ("body", "read_at"))
    session.flush()
    audit_client(
        session, actor=actor, action="update", client=client, resource="patch_test",
        resource_id=row.id, detail={"result": row.result},
    )  # fmt: skip
    return row


def list_patch_tests(
    *, session: Session, clinic_id: int, client_id: int, actor: int | None
) -> list[PatchTest]:
    """The client's patch tests, oldest first."""
    client = find_client(session=session, clinic_id=clinic_id, client_id=client_id)
    audit_client(session, actor=actor, action="read", client=client, resource="patch_test")
    return owned_rows(session, PatchTest, client.id)


def get_patch_test(
    *, session: Session, clinic_id: int, patch_test_id: int, actor: int | None
) -> PatchTest:
    """One patch test of the clinic's clients, its reading audited."""
    return read_owned(
        session, PatchTest, patch_test_id, clinic_id=clinic_id, resource="patch_test", actor=actor
    )


def _take_reading(
    row: PatchTest, reading: PatchReading, actor: int | None, loc: tuple[str, ...]
) -> None:
    if reading.read_at < row.applied_at:
        _refuse(loc, "a patch test is read after it was applied")
    row.read_at, row.result, row.note = reading.read_at, reading.result, reading.note
    row.read_by = actor


def _refuse(loc: tuple[str, ...], message: str) -> None:
    raise InvalidInputError([Problem(loc=loc, msg=message, type="value_error")])


def negative_in_window(
    session: Session,
    *,
    client_id: int,
    procedure_id: str,
    window: StepWindow,
    by: datetime | None,
    local: Callable[[datetime], datetime],
) -> bool:
    """Whether a test of the procedure applied on a day of ``window`` (on the clinic's wall
    clock) was read with no reaction (by ``by``, when given)."""
    statement = select(PatchTest.applied_at).where(
        PatchTest.client_id == client_id,
        PatchTest.procedure_id == procedure_id,
        PatchTest.result == "no_reaction",
    )
    if by is not None:
        statement = statement.where(PatchTest.read_at <= by)
    applied = session.scalars(statement)
    return any(window.holds(local(moment).date()) for moment in applied)


def reaction_conditions(
    session: Session, *, client_id: int, on: date, kb: KnowledgeBase
) -> set[str]:
    """The conditions the client's patch tests with a reaction (read by ``on``) show."""
    procedures = session.scalars(
        select(PatchTest.procedure_id).where(
            PatchTest.client_id == client_id,
            PatchTest.result == "reaction",
            # the day's last instant, not the next day's first: ``on`` may be the last day there is
            PatchTest.read_at <= datetime.combine(on, time.max, tzinfo=UTC),
        )
    )
    shown = set()
    for procedure_id in set(procedures):
        procedure = _procedure(kb, procedure_id)
        step = patch_test_step(procedure) if procedure else None
        if step is not None and step.reaction_shows is not None:
            shown.add(step.reaction_shows)
    return shown


def plan_pre_steps(
    *, session: Session, clinic_id: int, plan: TreatmentPlan, kb: KnowledgeBase, now: datetime
) -> list[PreStepRead]:
    """The plan's pre-steps with the days they may be done on, counted back from its first
    session once booked, else from the earliest day its course may start
    (:func:`course_start`), and what the patch tests applied on those days show."""
    procedure = _procedure(kb, plan.procedure_id)
    if procedure is None:
        return []
    clock = clinic_clock(session, clinic_id)
    booked = first_session_day(session, plan.id, clock)
    first = booked or course_start(session, plan=plan, kb=kb, clock=clock, now=now)
    tests = _tests_of(session, plan.client_id, plan.procedure_id)
    steps = []
    for step in procedure.pre_steps:
        window = step_window(step.days_before, first)
        inside = [t for t in tests if window.holds(clock.local(t.applied_at).date())]
        state, test = _state(inside if step.id == PATCH_TEST else [])
        steps.append(
            PreStepRead(
                id=step.id, name=step.name, days_before_min=step.days_before.min,
                days_before_max=step.days_before.max, first_session_on=booked,
                counted_from=first, earliest=window.earliest, latest=window.latest,
                state=state, patch_test_id=test.id if test else None, source=step.source,
            )
        )  # fmt: skip
    return steps


def _state(tests: list[PatchTest]) -> tuple[PreStepState, PatchTest | None]:
    """What the tests of a window show: a reaction before all, then a negative reading, then
    one waiting to be read; each with the latest test showing it."""
    latest = {STATE_OF_RESULT[test.result]: test for test in tests}
    state: PreStepState = next((s for s in STATE_ORDER if s in latest), "missing")
    return state, latest.get(state)


def course_start(
    session: Session, *, plan: TreatmentPlan, kb: KnowledgeBase, clock: ClinicClock, now: datetime
) -> date:
    """The earliest day the plan's first session may fall on: the clinic's tomorrow, and no
    sooner than its pre-steps' shortest wait after today or, where a patch test without a
    reaction is recorded that may still serve, after the day it was applied."""
    today = clock.local(now).date()
    tomorrow = today + timedelta(days=1)
    procedure = _procedure(kb, plan.procedure_id)
    if procedure is None or not procedure.pre_steps:
        return tomorrow
    step = patch_test_step(procedure)
    longest = step.days_before.max if step else None
    applied = [
        clock.local(test.applied_at).date()
        for test in _tests_of(session, plan.client_id, plan.procedure_id)
        if test.result != "reaction"
    ]
    serving = [
        day for day in applied if longest is None or day + timedelta(days=longest) >= tomorrow
    ]
    return max(tomorrow, first_session_after(procedure.pre_steps, max(serving, default=today)))


def _tests_of(session: Session, client_id: int, procedure_id: str) -> list[PatchTest]:
    statement = select(PatchTest).where(
        PatchTest.client_id == client_id, PatchTest.procedure_id == procedure_id
    )
    return list(session.scalars(statement.order_by(PatchTest.applied_at, PatchTest.id)))


def _procedure(kb: KnowledgeBase, procedure_id: str) -> Procedure | None:
    try:
        return kb.procedure(procedure_id)
    except KeyError:
        return None


def first_session_day(session: Session, plan_id: int, clock: ClinicClock) -> date | None:
    """The day of the plan's first session or booking still held or done."""
    sessions = select(TreatmentSession.scheduled_at).where(
        TreatmentSession.plan_id == plan_id, TreatmentSession.status.not_in(NOT_HELD)
    )
    bookings = select(Booking.starts_at).where(
        Booking.plan_id == plan_id, Booking.status.not_in(RELEASED_STATUSES)
    )
    starts = [*session.scalars(sessions), *session.scalars(bookings)]
    return min(clock.local(start).date() for start in starts) if starts else None
