"""The protocol runner: a session's stages in order with their timers, check-off, products and
lot numbers, observations, adverse events and completion; practitioners only.

Every form is a plain post answered by a redirect back to the runner (to the stage's anchor), so
it works without JavaScript; a refused form shows the runner again with the error beside its
field and what was typed still in it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from corneum.http.deps import ClockDep, KnowledgeDep, PathId, SessionDep
from corneum.knowledge import KnowledgeBase
from corneum.knowledge.model import Procedure, Stage
from corneum.phrase import Phrase
from corneum.records.accounts.tables import User
from corneum.records.calendar.bookings import service as calendar
from corneum.records.clients import service as clients
from corneum.records.clinic_time import clinic_clock
from corneum.records.errors import ConflictError, InvalidInputError, NotFoundError
from corneum.records.plans import service as plans
from corneum.records.screening.service import reason_key
from corneum.records.screening.summary import safety_summary
from corneum.records.sessions import protocol
from corneum.records.sessions import service as sessions
from corneum.records.sessions.schemas import (
    AcknowledgementCreate,
    AdverseEventCreate,
    ObservationCreate,
    ProductCreate,
    StageEnd,
    StageSkip,
)
from corneum.web import messages
from corneum.web.access import Csrf, PagePractitioner, PageRefusedError
from corneum.web.forms import Form, see_other, text
from corneum.web.safety import safety_view
from corneum.web.sessions import runner
from corneum.web.shown import ShownKnowledge
from corneum.web.templating import render

router = APIRouter(include_in_schema=False)
StageIndex = Annotated[int, Path(ge=0, le=100)]


@dataclass(frozen=True, slots=True)
class Run:
    """One request to the runner: who asks, about which session, at what time. ``kb`` is what
    a stage's record is made from (its English name is stored); ``shown`` is the knowledge base
    in the user's language, which the page shows."""

    request: Request
    user: User
    session: Session
    kb: KnowledgeBase
    shown: KnowledgeBase
    session_id: int
    now: datetime

    def page(
        self,
        errors: Mapping[str, str | Phrase] | None = None,
        values: dict[str, str] | None = None,
    ) -> Response:
        """The runner as it stands in the database, at the clock's time; 422 with ``errors``."""
        session, clinic_id, actor = self.session, self.user.clinic_id, self.user.id
        visit = sessions.get_treatment_session(
            session=session, clinic_id=clinic_id, treatment_session_id=self.session_id, actor=actor
        )
        plan = plans.get_plan(
            session=session, clinic_id=clinic_id, plan_id=visit.plan_id, actor=actor
        )
        client = clients.get_client(
            session=session, clinic_id=clinic_id, client_id=visit.client_id, actor=actor
        )
        wall = clinic_clock(session, clinic_id)
        procedure = runner.procedure_of(self.shown, plan.procedure_id)
        local = wall.local
        summary = safety_summary(
            session=session, clinic_id=clinic_id, client_id=client.id, kb=self.kb,
            on=local(visit.scheduled_at).date(), actor=actor, excluding_session=visit.id,
            procedure_id=plan.procedure_id if procedure else None, area=plan.area,
        )  # fmt: skip
        acknowledged = set(visit.acknowledged_reasons or [])
        recorded = runner.procedure_of(self.kb, plan.procedure_id)
        agent = runner.chosen_agent(recorded, procedure, visit)
        context = {
            "safety": safety_view(summary, self.shown, self.kb),
            "to_acknowledge": visit.status == "scheduled"
            and any(reason_key(r) not in acknowledged for r in summary.cautions),
            "acknowledged_at": visit.acknowledged_at,
            "user": self.user,
            "visit": visit,
            "client": client,
            "procedure": procedure,
            "scheduled": local(visit.scheduled_at),
            "status": runner.SESSION_STATUS[visit.status],
            "open": runner.open_for_recording(visit),
            "notes": runner.takes_notes(visit),
            "stages": runner.stage_views(procedure, visit, self.now, wall, agent),
            "agents": self.agent_choices(plan.procedure_id, procedure),
            "loose_products": [p for p in visit.products if p.stage_index is None],
            "observations": [(f"{local(o.observed_at):%H:%M}", o) for o in visit.observations],
            "adverse_events": [(f"{local(a.occurred_at):%H:%M}", a) for a in visit.adverse_events],
            "severities": runner.SEVERITIES,
            "minutes_text": runner.minutes_text,
            "stage_states": runner.STAGE_STATE,
            "errors": errors or {},
            "values": values or {},
        }
        return render(self.request, "protocol.html", context, status_code=422 if errors else 200)

    def agent_choices(self, procedure_id: str, shown: Procedure | None) -> list[tuple[str, str]]:
        """The procedure's agents as (the English name a product records, the name shown)."""
        recorded = runner.procedure_of(self.kb, procedure_id)
        if recorded is None or shown is None:
            return []
        return [
            (a.agent, b.agent) for a, b in zip(recorded.agent_uses, shown.agent_uses, strict=True)
        ]

    def refused(
        self, errors: Mapping[str, str | Phrase], values: dict[str, str] | None = None
    ) -> Response:
        """The runner again after a refused form: nothing of it is kept, what was typed is."""
        self.session.rollback()
        return self.page(errors, values)

    def stage(self, index: int) -> Stage:
        """The procedure's stage at ``index`` (404 when it has none there)."""
        visit = sessions.get_treatment_session(
            session=self.session,
            clinic_id=self.user.clinic_id,
            treatment_session_id=self.session_id,
            actor=self.user.id,
        )
        plan = plans.get_plan(
            session=self.session,
            clinic_id=self.user.clinic_id,
            plan_id=visit.plan_id,
            actor=self.user.id,
        )
        stage = runner.stage_of(runner.procedure_of(self.kb, plan.procedure_id), index)
        if stage is None:
            raise NotFoundError("stage", index)
        return stage

    def back(self, anchor: str = "") -> Response:
        """After a post: the runner again, scrolled to ``anchor``."""
        return see_other(f"/sessions/{self.session_id}/run" + (f"#{anchor}" if anchor else ""))


def current_run(
    request: Request,
    session_id: PathId,
    user: PagePractitioner,
    session: SessionDep,
    kb: KnowledgeDep,
    shown: ShownKnowledge,
    clock: ClockDep,
) -> Run:
    return Run(request, user, session, kb, shown, session_id, clock())


RunDep = Annotated[Run, Depends(current_run)]


@router.get("/sessions/{session_id}/run")
def show(run: RunDep) -> Response:
    """The session's stages with their state and time left, and everything recorded in it."""
    return run.page()


@router.post("/sessions/{session_id}/stages/{index}/start", dependencies=[Csrf])
def start(run: RunDep, index: StageIndex) -> Response:
    """Start the stage now; its timer runs from this moment, kept in the database."""
    stage = run.stage(index)
    try:
        sessions.start_stage(
            session=run.session,
            clinic_id=run.user.clinic_id,
            treatment_session_id=run.session_id,
            stage_index=index,
            name=stage.name,
            kb=run.kb,
            now=run.now,
            actor=run.user.id,
        )
    except (ConflictError, InvalidInputError) as exc:
        errors = {f"stage-{index}": refusal_of(exc)}
        if isinstance(exc, ConflictError) and exc.field == "patch_test":
            errors["patch_test"] = exc.phrase  # the page links to the patch-test form
        return run.refused(errors)
    return run.back(f"stage-{index}")


@router.post("/sessions/{session_id}/stages/{index}/skip", dependencies=[Csrf])
def skip(run: RunDep, index: StageIndex, form: Form) -> Response:
    """Record the stage as not performed, with the reason typed."""
    run.stage(index)
    reason = text(form, "reason")
    field = f"skip-{index}"
    data, errors = runner.validated(StageSkip, {"reason": reason}, field)
    if data is None:
        return run.refused({field: errors.get(f"{field}-reason", runner.SKIP_REASON)})
    try:
        sessions.skip_stage(
            session=run.session,
            clinic_id=run.user.clinic_id,
            treatment_session_id=run.session_id,
            stage_index=index,
            data=data,
            kb=run.kb,
            now=run.now,
            actor=run.user.id,
        )
    except (ConflictError, InvalidInputError) as exc:
        return run.refused({field: refusal_of(exc)}, {f"{field}-reason": reason})
    return run.back(f"stage-{index}")


@router.post("/sessions/{session_id}/acknowledgement", dependencies=[Csrf])
def acknowledge(run: RunDep, form: Form) -> Response:
    """The practitioner acknowledges the cautions shown, with an optional note."""
    note = text(form, "note")
    try:
        sessions.acknowledge_cautions(
            session=run.session,
            clinic_id=run.user.clinic_id,
            treatment_session_id=run.session_id,
            data=AcknowledgementCreate(note=note or None),
            kb=run.kb,
            now=run.now,
            actor=run.user.id,
        )
    except (ConflictError, InvalidInputError) as exc:
        return run.refused({"acknowledge": refusal_of(exc)}, {"acknowledge-note": note})
    return run.back("safety")


def refusal_of(exc: ConflictError | InvalidInputError) -> str | Phrase:
    """What a refused runner form shows: the service's phrase (in the reader's language)."""
    if isinstance(exc, InvalidInputError):
        first = exc.problems[0]
        return first.get("phrase") or Phrase.verbatim(first["msg"])
    if exc.phrase.template == protocol.ALREADY_RECORDED:
        return runner.STAGE_TAKEN
    return exc.phrase


@router.post("/sessions/{session_id}/stages/{index}/finish", dependencies=[Csrf])
def finish(run: RunDep, index: StageIndex) -> Response:
    """Check the stage off now."""
    run.stage(index)
    try:
        sessions.end_stage(
            session=run.session,
            clinic_id=run.user.clinic_id,
            treatment_session_id=run.session_id,
            stage_index=index,
            data=StageEnd(ended_at=run.now),
            actor=run.user.id,
        )
    except ConflictError:
        return run.refused({f"stage-{index}": runner.ENDS_BEFORE_START})
    return run.back(f"stage-{index}")


@router.post("/sessions/{session_id}/stages/{index}/products", dependencies=[Csrf])
def add_product(run: RunDep, index: StageIndex, form: Form) -> Response:
    """A product used in the stage, with its lot number."""
    run.stage(index)
    prefix = f"product-{index}"
    typed = {name: text(form, name) for name in ("name", "lot_number", "agent")}
    body: dict[str, object] = {**typed, "stage_index": index, "agent": typed["agent"] or None}
    data, errors = runner.validated(ProductCreate, body, prefix)
    values = {f"{prefix}-{name}": value for name, value in typed.items()}
    if data is None:
        return run.refused(errors, values)
    try:
        sessions.record_product(
            session=run.session,
            clinic_id=run.user.clinic_id,
            treatment_session_id=run.session_id,
            data=data,
            kb=run.kb,
            actor=run.user.id,
        )
    except InvalidInputError:
        return run.refused({f"{prefix}-agent": messages.CHOOSE_FROM_LIST}, values)
    return run.back(f"stage-{index}")


@router.post("/sessions/{session_id}/observations", dependencies=[Csrf])
def add_observation(run: RunDep, form: Form) -> Response:
    """What the practitioner noticed, timed now."""
    typed = text(form, "text")
    body = {"text": typed, "observed_at": run.now}
    data, errors = runner.validated(ObservationCreate, body, "observation")
    if data is None:
        return run.refused(errors, {"observation-text": typed})
    sessions.record_observation(
        session=run.session,
        clinic_id=run.user.clinic_id,
        treatment_session_id=run.session_id,
        data=data,
        actor=run.user.id,
    )
    return run.back("observations")


@router.post("/sessions/{session_id}/adverse-events", dependencies=[Csrf])
def add_adverse_event(run: RunDep, form: Form) -> Response:
    """An adverse event, its severity and what was done about it, timed now."""
    typed = {name: text(form, name) for name in ("kind", "severity", "action_taken")}
    body: dict[str, object] = {**typed, "occurred_at": run.now}
    if not typed["action_taken"]:
        del body["action_taken"]
    data, errors = runner.validated(AdverseEventCreate, body, "adverse")
    if data is None:
        return run.refused(errors, {f"adverse-{name}": value for name, value in typed.items()})
    sessions.record_adverse_event(
        session=run.session,
        clinic_id=run.user.clinic_id,
        treatment_session_id=run.session_id,
        data=data,
        actor=run.user.id,
    )
    return run.back("adverse-events")


@router.post("/sessions/{session_id}/complete", dependencies=[Csrf])
def complete(run: RunDep) -> Response:
    """Mark the session completed now (refused while a stage is neither done nor skipped)."""
    try:
        sessions.complete_session(
            session=run.session,
            clinic_id=run.user.clinic_id,
            treatment_session_id=run.session_id,
            kb=run.kb,
            now=run.now,
            actor=run.user.id,
        )
    except ConflictError as exc:
        return run.refused({"complete": refusal_of(exc)})
    return run.back()


@router.post("/bookings/{booking_id}/run", dependencies=[Csrf])
def run_booking(booking_id: PathId, user: PagePractitioner, session: SessionDep) -> Response:
    """The runner of a booked visit: its treatment session, made the first time it is run."""
    try:
        visit = calendar.session_for_booking(
            session=session, clinic_id=user.clinic_id, booking_id=booking_id, actor=user.id
        )
    except ConflictError as exc:
        raise PageRefusedError(409, runner.NOT_RUNNABLE[exc.field]) from None
    return see_other(f"/sessions/{visit.id}/run")
