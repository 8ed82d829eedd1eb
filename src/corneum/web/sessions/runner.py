"""The protocol runner's view of a session: the procedure's stages in the knowledge base's
order, each with what was recorded in it and, for a timed stage that is running, the time left
by the server's clock. The state lives in the database (a stage's ``started_at``), so a reload,
another tablet or a restarted server all show the same stage with the same time left."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, TypeVar

from pydantic import BaseModel, ValidationError

from corneum.knowledge import KnowledgeBase
from corneum.knowledge.model import AgentUse, MinuteRange, Procedure, Stage
from corneum.phrase import N_
from corneum.records.clinic_time import ClinicClock
from corneum.records.sessions.tables import PerformedStage, ProductUse, TreatmentSession
from corneum.web import messages

M = TypeVar("M", bound=BaseModel)
StageState = Literal["waiting", "running", "done", "skipped"]
TimerState = Literal["left", "reached", "over"]

SEVERITIES = {"mild": N_("mild"), "moderate": N_("moderate"), "severe": N_("severe")}
SESSION_STATUS = {
    "scheduled": N_("scheduled"),
    "in_progress": N_("in progress"),
    "completed": N_("completed"),
    "cancelled": N_("cancelled"),
    "no_show": N_("no show"),
}
STAGE_STATE = {
    "waiting": N_("not started"),
    "running": N_("running"),
    "done": N_("done"),
    "skipped": N_("skipped"),
}
TOO_LONG = N_("Too long.")
NOT_ACCEPTED = N_("Not accepted: check what you typed.")
STAGE_TAKEN = N_("This stage has already been started.")
SKIP_REASON = N_("Say why the stage is skipped.")
ENDS_BEFORE_START = N_("The stage cannot end before it started.")
NOT_RUNNABLE = {
    "status": N_("This booking is no longer open, so no session can be started from it."),
    "plan_id": N_("This booking belongs to no plan: start a plan to record its protocol."),
}
"""Why a booking cannot become a treatment session, by the refusal's field."""
OPEN_FOR_RECORDING = frozenset({"scheduled", "in_progress"})
"""Statuses in which stages may still be started and checked off, and the session completed."""
TAKES_NOTES = OPEN_FOR_RECORDING | {"completed"}
"""Statuses in which products, observations and adverse events may still be added: after the
session too (a reaction may show in the minutes after it), never to a cancelled or missed one."""


@dataclass(frozen=True, slots=True)
class Timer:
    """A running timed stage's countdown to its shortest duration, then, where the source gives
    a range, the time still allowed up to its longest, then the time over."""

    remaining_seconds: int
    """To the shortest duration; negative once past it."""
    window_seconds: int
    """From the shortest duration to the longest (0 for a fixed duration)."""

    @property
    def state(self) -> TimerState:
        if self.remaining_seconds > 0:
            return "left"
        if -self.remaining_seconds < self.window_seconds:
            return "reached"
        return "over"

    @property
    def shown_seconds(self) -> int:
        """The seconds the clock face shows in this state."""
        if self.state == "left":
            return self.remaining_seconds
        if self.state == "reached":
            return self.window_seconds + self.remaining_seconds
        return -self.remaining_seconds - self.window_seconds

    @property
    def clock_face(self) -> str:
        minutes, seconds = divmod(self.shown_seconds, 60)
        return f"{minutes:02d}:{seconds:02d}"


@dataclass(frozen=True, slots=True)
class StageView:
    index: int
    stage: Stage
    state: StageState
    started: str = ""
    skip_reason: str = ""
    ended: str = ""
    timer: Timer | None = None
    products: list[ProductUse] = field(default_factory=list)
    agent: AgentUse | None = None
    """For a stage timed by its agent: the agent chosen in the session, if any yet."""

    @property
    def minutes(self) -> str:
        span = self.stage.duration_minutes
        return minutes_text(span) if span else ""


def minutes_text(span: MinuteRange) -> str:
    """``10`` for a fixed duration, ``20`` to ``50`` with an en dash for a range."""
    return str(span.min) if span.min == span.max else f"{span.min}\N{EN DASH}{span.max}"


def timer_for(
    stage: Stage, performed: PerformedStage, now: datetime, agent: AgentUse | None = None
) -> Timer | None:
    """The countdown of a running timed stage, from its start and the clock: its duration, or
    for a stage timed by its agent the chosen agent's contact time (none for an agent with an
    end point instead)."""
    span = stage.duration_minutes if stage.timer else None
    if stage.agent_timer and agent is not None:
        span = agent.contact_minutes
    if span is None or performed.ended_at is not None:
        return None
    elapsed = int((now - performed.started_at).total_seconds())
    return Timer(span.min * 60 - elapsed, (span.max - span.min) * 60)


def chosen_agent(
    recorded: Procedure | None, shown: Procedure | None, visit: TreatmentSession
) -> AgentUse | None:
    """The agent last recorded with a product of the session, as ``shown`` words it (the
    record keeps ``recorded``'s English name)."""
    if recorded is None or shown is None:
        return None
    names = [use.agent for use in recorded.agent_uses]
    picked = [p.agent for p in visit.products if p.agent in names]
    return shown.agent_uses[names.index(picked[-1])] if picked else None


def stage_views(
    procedure: Procedure | None,
    visit: TreatmentSession,
    now: datetime,
    wall: ClinicClock,
    agent: AgentUse | None = None,
) -> list[StageView]:
    """Every stage of the procedure in the knowledge base's order, with its state; a stage
    timed by its agent runs ``agent``'s contact time."""
    performed = {row.stage_index: row for row in visit.stages}
    views = []
    for index, stage in enumerate(procedure.stages if procedure else ()):
        row = performed.get(index)
        products = [p for p in visit.products if p.stage_index == index]
        timed_by = agent if stage.agent_timer else None
        if row is None:
            views.append(StageView(index, stage, "waiting", products=products, agent=timed_by))
            continue
        views.append(
            StageView(
                index,
                stage,
                "skipped" if row.skipped else "done" if row.ended_at else "running",
                started=f"{wall.local(row.started_at):%H:%M}",
                ended=f"{wall.local(row.ended_at):%H:%M}" if row.ended_at else "",
                timer=None if row.skipped else timer_for(stage, row, now, timed_by),
                products=products,
                skip_reason=row.skip_reason or "",
                agent=timed_by,
            )
        )
    return views


def procedure_of(kb: KnowledgeBase, procedure_id: str) -> Procedure | None:
    """The plan's procedure, or None if the knowledge base no longer has it."""
    try:
        return kb.procedure(procedure_id)
    except KeyError:
        return None


def stage_of(procedure: Procedure | None, index: int) -> Stage | None:
    if procedure is None or not 0 <= index < len(procedure.stages):
        return None
    return procedure.stages[index]


def error_text(error_type: str) -> str:
    """A schema's refusal as a text the page can translate."""
    if error_type in ("missing", "string_too_short"):
        return messages.REQUIRED
    if error_type == "string_too_long":
        return TOO_LONG
    if error_type == "literal_error":
        return messages.CHOOSE_FROM_LIST
    return NOT_ACCEPTED


def validated(
    model: type[M], data: dict[str, object], prefix: str
) -> tuple[M | None, dict[str, str]]:
    """``data`` as ``model``, or the errors keyed by the form's field ids (``prefix-name``)."""
    try:
        return model.model_validate(data), {}
    except ValidationError as exc:
        errors = {
            f"{prefix}-{error['loc'][0] if error['loc'] else 'form'}": error_text(error["type"])
            for error in exc.errors()
        }
        return None, errors


def open_for_recording(visit: TreatmentSession) -> bool:
    return visit.status in OPEN_FOR_RECORDING


def takes_notes(visit: TreatmentSession) -> bool:
    return visit.status in TAKES_NOTES
