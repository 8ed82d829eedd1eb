"""The rules that hold while a session is run, whoever runs it (API, web app, CLI, demo).

- Stages go in the procedure's order; a stage not performed is recorded as skipped, with why.
- The first stage waits for the booking's day in the clinic's time zone, for screening on the
  day (a contraindication refuses, and nobody overrides it), for a signed consent in the
  wording in use now, for a patch test read with no reaction in its window before a course's
  first session (where the procedure asks for one), and for the practitioner's
  acknowledgement of every caution.
- A session is completed only when every stage is done or skipped; completing it marks its
  booking done and moves its plan on (:func:`corneum.records.plans.service.follow_sessions`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from corneum.db.atomic import atomic
from corneum.knowledge import KnowledgeBase
from corneum.knowledge.model import Procedure
from corneum.phrase import N_, Code, Phrase, Value
from corneum.planning.course import step_window
from corneum.records.calendar.bookings.tables import HOLDING, Booking
from corneum.records.clients.tables import Client
from corneum.records.clinic_time import clinic_clock
from corneum.records.consents.service import has_current_consent
from corneum.records.errors import ConflictError, InvalidInputError, Problem
from corneum.records.patch_tests.service import negative_in_window, patch_test_step
from corneum.records.plans.service import follow_sessions
from corneum.records.plans.tables import TreatmentPlan
from corneum.records.screening.service import (
    Screening,
    labelled,
    reason_key,
    require_screening,
)
from corneum.records.sessions.schemas import AcknowledgementCreate, StageCreate, StageSkip
from corneum.records.sessions.tables import PerformedStage, TreatmentSession
from corneum.records.tenancy import audit_client, find_owned

NOT_OPEN = N_("session %(session)s is %(status)s: nothing more can be recorded in it")
ALREADY_RECORDED = N_("this stage is already recorded for the session")
OUT_OF_ORDER = N_("stage %(next)s comes first: start it or record it as skipped")
TOO_EARLY = N_("session %(session)s is booked for %(day)s: it cannot start before that day")
NO_CONSENT = N_(
    "no signed consent for %(procedure)s in the wording in use now: have the client read and "
    "sign it first"
)
NOT_ACKNOWLEDGED = N_(
    "the cautions for this session are not acknowledged: %(reasons)s; acknowledge them first"
)
NO_PATCH_TEST = N_(
    "no patch test for %(procedure)s applied from %(earliest)s to %(latest)s and read with no "
    "reaction: the first session of a course waits for one (%(source)s)"
)
STAGES_LEFT = N_("stages not done or skipped yet: %(stages)s")
NO_SUCH_STAGE = "the procedure has stages 0 to {last}"
OPEN = frozenset({"scheduled", "in_progress"})


@atomic
def start_or_record_stage(
    *,
    session: Session,
    clinic_id: int,
    treatment_session_id: int,
    data: StageCreate,
    kb: KnowledgeBase,
    now: datetime,
    actor: int | None,
    skipped: StageSkip | None = None,
) -> PerformedStage:
    """Record the next stage as started (or as skipped, with ``skipped``'s reason); the first
    one passes the :class:`Gate` and puts the session under way."""
    visit, client, plan, procedure = _open_session(session, clinic_id, treatment_session_id, kb)
    _in_order(session, visit, procedure, data.stage_index)
    if visit.status == "scheduled":
        gate = Gate(clinic_id=clinic_id, kb=kb, now=now, actor=actor)
        gate.check(session, visit, plan, procedure, at=data.started_at)
        visit.status = "in_progress"
        visit.started_at = visit.started_at or data.started_at
    row = PerformedStage(**data.model_dump())
    if skipped is not None:
        row.skipped, row.skip_reason = True, skipped.reason
        row.ended_at = row.ended_at or row.started_at
    visit.stages.append(row)
    session.flush()
    follow_sessions(session, plan)
    detail = {"session_id": visit.id, "skipped": skipped is not None}
    audit_client(
        session, actor=actor, action="create", client=client,
        resource=row.__tablename__, resource_id=row.id, detail=detail,
    )  # fmt: skip
    return row


@atomic
def acknowledge_cautions(
    *,
    session: Session,
    clinic_id: int,
    treatment_session_id: int,
    data: AcknowledgementCreate,
    kb: KnowledgeBase,
    now: datetime,
    actor: int | None,
) -> TreatmentSession:
    """The practitioner acknowledges the cautions screening finds for the session's day (who,
    when, which, an optional note). A contraindication is refused: no one acknowledges it away.
    Reasons named in ``data.reasons`` must be all of the cautions (422 naming those left out)."""
    visit, client, plan, _ = _open_session(session, clinic_id, treatment_session_id, kb)
    gate = Gate(clinic_id=clinic_id, kb=kb, now=now, actor=actor)
    screening = gate.screen(session, visit, plan, day_of=visit.scheduled_at)
    keys = [reason_key(reason) for reason in screening.stored_cautions()]
    left_out = sorted(set(keys) - set(data.reasons)) if data.reasons is not None else []
    if left_out:
        message = f"acknowledge every caution; not named: {', '.join(left_out)}"
        raise InvalidInputError([Problem(loc=("body", "reasons"), msg=message, type="missing")])
    visit.cautions = screening.stored_cautions()
    visit.acknowledged_by, visit.acknowledged_at = actor, now
    visit.acknowledged_reasons, visit.acknowledgement_note = keys, data.note
    session.flush()
    audit_client(
        session, actor=actor, action="update", client=client,
        resource="session", resource_id=visit.id,
        detail={"change": "acknowledge_cautions", "reasons": keys},
    )  # fmt: skip
    return visit


def check_complete(session: Session, visit: TreatmentSession, kb: KnowledgeBase) -> None:
    """Refuse to complete a session with a stage neither done nor skipped (409 naming them)."""
    plan = session.get(TreatmentPlan, visit.plan_id)
    assert plan is not None  # a session's plan is a foreign key
    procedure = kb.procedure(plan.procedure_id)
    finished = {
        stage.stage_index for stage in visit.stages if stage.skipped or stage.ended_at is not None
    }
    left = [str(index) for index in range(len(procedure.stages)) if index not in finished]
    if left:
        raise ConflictError("status", Phrase(STAGES_LEFT, {"stages": ", ".join(left)}))


def after_completion(session: Session, visit: TreatmentSession) -> None:
    """A completed session marks its booking done and moves its plan on."""
    if visit.booking_id is not None:
        booking = session.get(Booking, visit.booking_id)
        if booking is not None and booking.status in HOLDING:
            booking.status = "done"
            booking.version += 1
    plan = session.get(TreatmentPlan, visit.plan_id)
    if plan is not None:
        session.flush()
        follow_sessions(session, plan)


def _open_session(
    session: Session, clinic_id: int, treatment_session_id: int, kb: KnowledgeBase
) -> tuple[TreatmentSession, Client, TreatmentPlan, Procedure]:
    visit, client = find_owned(
        session, TreatmentSession, treatment_session_id, clinic_id=clinic_id, resource="session"
    )
    if visit.status not in OPEN:
        raise ConflictError(
            "status", Phrase(NOT_OPEN, {"session": visit.id, "status": visit.status})
        )
    plan = session.get(TreatmentPlan, visit.plan_id)
    assert plan is not None  # a session's plan is a foreign key
    return visit, client, plan, kb.procedure(plan.procedure_id)


def _in_order(
    session: Session, visit: TreatmentSession, procedure: Procedure, stage_index: int
) -> None:
    last = len(procedure.stages) - 1
    if stage_index > last:
        message = NO_SUCH_STAGE.format(last=last)
        raise InvalidInputError(
            [Problem(loc=("body", "stage_index"), msg=message, type="less_than_equal")]
        )
    recorded = session.scalars(
        select(PerformedStage.stage_index).where(PerformedStage.session_id == visit.id)
    ).all()
    if stage_index in recorded:
        raise ConflictError("stage_index", Phrase(ALREADY_RECORDED))
    following = len(recorded)
    if stage_index != following:
        raise ConflictError("stage_index", Phrase(OUT_OF_ORDER, {"next": following}))


@dataclass(frozen=True, slots=True)
class Gate:
    """What must hold before the first stage: the booking's day has come (in the clinic's
    zone, for both the stage's time and the clock), screening on that day finds no
    contraindication, a current consent is signed, a course's first session has its patch
    test, and every caution is acknowledged."""

    clinic_id: int
    kb: KnowledgeBase
    now: datetime
    actor: int | None

    def check(
        self,
        session: Session,
        visit: TreatmentSession,
        plan: TreatmentPlan,
        procedure: Procedure,
        *,
        at: datetime,
    ) -> None:
        clock = clinic_clock(session, self.clinic_id)
        booked_day = clock.local(visit.scheduled_at).date()
        if min(clock.local(at).date(), clock.local(self.now).date()) < booked_day:
            values: dict[str, Value] = {"session": visit.id, "day": booked_day.isoformat()}
            raise ConflictError("started_at", Phrase(TOO_EARLY, values))
        screening = self.screen(session, visit, plan, day_of=at)
        consented = has_current_consent(
            session, client_id=visit.client_id, procedure=procedure, kb=self.kb
        )
        if not consented:
            raise ConflictError("consent", Phrase(NO_CONSENT, {"procedure": Code(procedure.id)}))
        self.patch_tested(session, visit, procedure, at=at)
        acknowledged = set(visit.acknowledged_reasons or [])
        unacknowledged = [
            r for r in screening.stored_cautions() if reason_key(r) not in acknowledged
        ]
        if unacknowledged:
            named = labelled(unacknowledged)
            refusal = ConflictError("acknowledgement", Phrase(NOT_ACKNOWLEDGED, {"reasons": named}))
            refusal.reasons = unacknowledged
            raise refusal
        visit.cautions = screening.stored_cautions()

    def patch_tested(
        self, session: Session, visit: TreatmentSession, procedure: Procedure, *, at: datetime
    ) -> None:
        """Refuse a course's first session without a patch test of its procedure applied in
        the pre-step's window before ``at``'s day and read with no reaction by ``at``. A
        later session of the plan does not wait for one (a reaction is screening's)."""
        step = patch_test_step(procedure)
        started = select(TreatmentSession.id).where(
            TreatmentSession.plan_id == visit.plan_id,
            TreatmentSession.id != visit.id,
            TreatmentSession.status.in_(("in_progress", "completed")),
        )
        if step is None or session.scalar(started) is not None:
            return
        clock = clinic_clock(session, self.clinic_id)
        window = step_window(step.days_before, clock.local(at).date())
        if negative_in_window(
            session, client_id=visit.client_id, procedure_id=procedure.id, window=window,
            by=at, local=clock.local,
        ):  # fmt: skip
            return
        values: dict[str, Value] = {
            "procedure": Code(procedure.id),
            "earliest": window.earliest.isoformat() if window.earliest else "",
            "latest": window.latest.isoformat(),
            "source": step.source,
        }
        raise ConflictError("patch_test", Phrase(NO_PATCH_TEST, values))

    def screen(
        self, session: Session, visit: TreatmentSession, plan: TreatmentPlan, *, day_of: datetime
    ) -> Screening:
        """Screening for the plan's procedure as of ``day_of``'s day in the clinic."""
        return require_screening(
            session=session, clinic_id=self.clinic_id, client_id=visit.client_id,
            procedure_id=plan.procedure_id, area=plan.area,
            on=clinic_clock(session, self.clinic_id).local(day_of).date(), kb=self.kb,
            actor=self.actor,
        )  # fmt: skip
