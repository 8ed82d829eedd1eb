"""What the patch-test pages show and read: the procedures that ask for a patch test with their
agents, a test's state in words, the plan's pre-steps with their source, and the two forms
(record, read) read back from a post and checked by the API's schemas."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from corneum.knowledge import KnowledgeBase
from corneum.phrase import N_, Phrase
from corneum.records.accounts.tables import User
from corneum.records.clinic_time import ClinicClock
from corneum.records.errors import InvalidInputError
from corneum.records.fields import EARLIEST, LATEST
from corneum.records.patch_tests.schemas import PatchReading, PatchTestCreate, PreStepRead
from corneum.records.patch_tests.service import patch_test_step, plan_pre_steps
from corneum.records.patch_tests.tables import PatchTest
from corneum.records.plans.tables import TreatmentPlan
from corneum.web import messages
from corneum.web.forms import local_path, text
from corneum.web.sessions.runner import error_text
from corneum.web.timeline import procedure_name

M = TypeVar("M", bound=BaseModel)
RECORD_FIELDS = ("procedure_id", "agent", "product", "lot_number", "applied_at")
READING_FIELDS = ("result", "note", "read_at")
CHOSEN = frozenset({"procedure_id", "agent", "result"})
"""Fields chosen from a list: any refusal of them asks to choose one of the options."""
INVALID_MOMENT = N_("Give a date and a time.")
REACTION_NOTE = N_("Say what the reaction looked like.")
READ_BEFORE_APPLIED = N_("A patch test is read after it was applied.")
TEST_STATE = {
    None: N_("waiting to be read"),
    "no_reaction": N_("no reaction"),
    "reaction": N_("reaction"),
}
STEP_STATE = {
    "missing": N_("missing"),
    "recorded": N_("recorded, not read yet"),
    "read": N_("read: no reaction"),
    "reaction": N_("reaction: do not start the course"),
}


@dataclass
class PatchForm:
    """A form as the user filled it in, and the problems beside its fields."""

    values: dict[str, str]
    errors: dict[str, str | Phrase] = field(default_factory=dict)

    @property
    def next(self) -> str:
        return local_path(self.values.get("next", ""), "")


@dataclass(frozen=True, slots=True)
class ProcedureChoice:
    """A procedure that asks for a patch test, with its agents as (recorded, shown) names."""

    id: str
    name: str
    agents: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class TestView:
    test: PatchTest
    procedure: str
    applied: str
    read: str
    state: str


@dataclass(frozen=True, slots=True)
class StepView:
    step: PreStepRead
    citation: str
    state: str


def procedure_choices(kb: KnowledgeBase, shown: KnowledgeBase) -> list[ProcedureChoice]:
    """The procedures asking for a patch test, named in the user's language; an agent's value
    is the name the record keeps (the knowledge base's own)."""
    found = []
    for procedure in kb.procedures:
        if patch_test_step(procedure) is None:
            continue
        seen = shown.procedure(procedure.id)
        agents = zip(procedure.agent_uses, seen.agent_uses, strict=True)
        found.append(
            ProcedureChoice(procedure.id, seen.name, tuple((a.agent, b.agent) for a, b in agents))
        )
    return found


def patch_test_views(
    tests: list[PatchTest], shown: KnowledgeBase, clock: ClinicClock
) -> list[TestView]:
    """The client's tests, newest first, with their state in words."""
    return [
        TestView(
            test,
            procedure_name(shown, test.procedure_id),
            f"{clock.local(test.applied_at):%Y-%m-%d %H:%M}",
            f"{clock.local(test.read_at):%Y-%m-%d %H:%M}" if test.read_at else "",
            TEST_STATE[test.result],
        )
        for test in reversed(tests)
    ]


def plan_step_views(
    session: Session, *, user: User, plan: TreatmentPlan, shown: KnowledgeBase, now: datetime
) -> list[StepView]:
    """The plan's pre-steps for a practitioner, with their source's citation and their state in
    words; none for reception, who sees nothing clinical of a plan."""
    if user.role != "practitioner":
        return []
    steps = plan_pre_steps(session=session, clinic_id=user.clinic_id, plan=plan, kb=shown, now=now)
    views = []
    for step in steps:
        source = shown.sources.get(step.source)
        citation = source.citation if source else step.source
        views.append(StepView(step, citation, STEP_STATE[step.state]))
    return views


def wall_time(moment: datetime, clock: ClinicClock) -> str:
    """A moment as a ``datetime-local`` field shows it, on the clinic's wall clock."""
    return f"{clock.local(moment):%Y-%m-%dT%H:%M}"


def read_record(form: FormData, clock: ClinicClock) -> tuple[PatchForm, PatchTestCreate | None]:
    """The patch test the form records, or None with the problems beside their fields."""
    typed = PatchForm({name: text(form, name) for name in (*RECORD_FIELDS, "next")})
    body: dict[str, Any] = {name: typed.values[name] for name in RECORD_FIELDS}
    body["agent"] = body["agent"] or None
    body["applied_at"] = _moment(typed, "applied_at", clock)
    return typed, _validated(PatchTestCreate, body, typed)


def read_reading(form: FormData, clock: ClinicClock) -> tuple[PatchForm, PatchReading | None]:
    """The reading the form gives, or None with the problems beside their fields."""
    typed = PatchForm({name: text(form, name) for name in (*READING_FIELDS, "next")})
    body: dict[str, Any] = {name: typed.values[name] for name in READING_FIELDS}
    body["note"] = body["note"] or None
    body["read_at"] = _moment(typed, "read_at", clock)
    return typed, _validated(PatchReading, body, typed)


def absorb_refusal(typed: PatchForm, exc: InvalidInputError) -> None:
    """A service's refusal beside the field it names: an agent not the procedure's, or a
    reading before the test was applied."""
    for problem in exc.problems:
        name = str(problem["loc"][-1])
        typed.errors[name] = messages.CHOOSE_FROM_LIST if name in CHOSEN else READ_BEFORE_APPLIED


def _moment(typed: PatchForm, name: str, clock: ClinicClock) -> datetime | None:
    """A ``datetime-local`` value on the clinic's wall clock, in UTC; None (and a problem
    beside the field) when it is not a date and time."""
    try:
        local = datetime.fromisoformat(typed.values[name])
    except ValueError:
        typed.errors[name] = messages.REQUIRED if not typed.values[name] else INVALID_MOMENT
        return None
    if local.tzinfo is not None or not EARLIEST <= local.date() <= LATEST:
        typed.errors[name] = INVALID_MOMENT
        return None
    return clock.utc(local)


def _validated(model: type[M], body: dict[str, Any], typed: PatchForm) -> M | None:
    try:
        data = model.model_validate(body)
    except ValidationError as exc:
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else "note"
            message = messages.CHOOSE_FROM_LIST if name in CHOSEN else error_text(error["type"])
            typed.errors.setdefault(name, REACTION_NOTE if not error["loc"] else message)
        return None
    return None if typed.errors else data
