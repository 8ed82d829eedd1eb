"""The demo's treatment sessions: held ones with every stage, product lot, observation and
outcome recorded, and the next one booked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, TypedDict

from sqlalchemy.orm import Session

from corneum.knowledge import default_knowledge_base
from corneum.knowledge.model import MinuteRange, Procedure
from corneum.records.accounts.tables import User
from corneum.records.demo.data import OBSERVATIONS, STAGE_PRODUCTS
from corneum.records.outcomes.schemas import GradeCreate, OutcomeCreate
from corneum.records.outcomes.service import record_outcome
from corneum.records.patch_tests.schemas import PatchReading, PatchTestCreate
from corneum.records.patch_tests.service import patch_test_step, record_patch_test
from corneum.records.plans.tables import TreatmentPlan
from corneum.records.sessions import service as sessions
from corneum.records.sessions.schemas import (
    AcknowledgementCreate,
    AdverseEventCreate,
    ObservationCreate,
    ProductCreate,
    SessionCreate,
    SessionUpdate,
    StageCreate,
)
from corneum.records.sessions.tables import TreatmentSession

if TYPE_CHECKING:
    from corneum.records.demo.service import Seeding

UNTIMED_STAGE_MINUTES = (5, 15)
"""How long a stage whose duration the knowledge base leaves open takes in the demo."""
ADVERSE_EVENT_CHANCE = 0.15
LESION_RANGES = ((10, 40), (5, 25), (0, 12), (0, 6), (0, 2))
"""At the first visit: open and closed comedones, papules, pustules, nodules."""


class VisitKey(TypedDict):
    """The keyword arguments that name one session to the sessions service."""

    session: Session
    clinic_id: int
    treatment_session_id: int


@dataclass(frozen=True)
class Lesions:
    """The lesion counts a client came with; each session takes a share of them away."""

    open_comedones: int
    closed_comedones: int
    papules: int
    pustules: int
    nodules: int

    def after(self, sessions_held: int, areas: tuple[str, ...]) -> OutcomeCreate:
        """The counts after ``sessions_held + 1`` sessions, graded on every scale of the
        knowledge base for each of ``areas`` it grades, a grade better each time."""
        share = 0.75 ** (sessions_held + 1)
        grades = [
            GradeCreate(scale=scale.id, area=area, value=max(scale.lowest, 3 - sessions_held))
            for scale in default_knowledge_base().scales.values()
            for area in areas
            if area in scale.areas
        ]
        return OutcomeCreate(
            open_comedones=round(self.open_comedones * share),
            closed_comedones=round(self.closed_comedones * share),
            papules=round(self.papules * share),
            pustules=round(self.pustules * share),
            nodules=round(self.nodules * share),
            grades=grades,
        )


def record_course(
    run: Seeding,
    plan: TreatmentPlan,
    procedure: Procedure,
    practitioner: User,
    consulted_on: date,
    past_sessions: int,
) -> None:
    """The sessions held so far, a week after the consultation and at the course's interval
    (the next one is booked in the calendar: :mod:`corneum.records.demo.calendar`)."""
    interval = procedure.course.interval_days if procedure.course else None
    spacing = max(14, interval.min if interval else 14)
    lesions = Lesions(*(run.rng.randint(low, high) for low, high in LESION_RANGES))
    _patch_test(run, plan, procedure, practitioner, consulted_on + timedelta(days=7))
    for held in range(past_sessions):
        day = consulted_on + timedelta(days=7 + spacing * held)
        visit = _book(run, plan, practitioner, day)
        _perform(run, visit, procedure)
        record_outcome(
            session=run.session,
            clinic_id=run.clinic_id,
            treatment_session_id=visit.id,
            data=lesions.after(held, procedure.areas[:1]),
            actor=practitioner.id,
        )


def _patch_test(
    run: Seeding, plan: TreatmentPlan, procedure: Procedure, practitioner: User, first: date
) -> None:
    """For a procedure that asks for one, a patch test read with no reaction as early in its
    window before the first session as the knowledge base allows."""
    step = patch_test_step(procedure)
    if step is None:
        return
    applied = datetime.combine(first - timedelta(days=step.days_before.min), time(8), tzinfo=UTC)
    agent = procedure.agent_uses[0].agent if procedure.agent_uses else None
    reading = PatchReading(read_at=applied + timedelta(hours=1), result="no_reaction")
    data = PatchTestCreate(
        procedure_id=procedure.id, agent=agent, product=STAGE_PRODUCTS["Patch test"],
        lot_number=_lot(run), applied_at=applied, reading=reading,
    )  # fmt: skip
    record_patch_test(
        session=run.session, clinic_id=run.clinic_id, client_id=plan.client_id, data=data,
        kb=run.kb, actor=practitioner.id,
    )  # fmt: skip


def _book(run: Seeding, plan: TreatmentPlan, practitioner: User, day: date) -> TreatmentSession:
    at = datetime.combine(day, time(9 + run.rng.randrange(8), tzinfo=UTC))
    return sessions.schedule_treatment_session(
        session=run.session,
        clinic_id=run.clinic_id,
        plan_id=plan.id,
        data=SessionCreate(practitioner_id=practitioner.id, scheduled_at=at),
        kb=run.kb,
        actor=run.staff["reception"].id,
    )


def _perform(run: Seeding, visit: TreatmentSession, procedure: Procedure) -> None:
    """Record every stage back to back from the booked time, the products used with their lots,
    an observation (and now and then a mild adverse event), and close the session."""
    where = VisitKey(session=run.session, clinic_id=run.clinic_id, treatment_session_id=visit.id)
    actor = visit.practitioner_id
    start = clock = visit.scheduled_at
    sessions.acknowledge_cautions(
        **where, data=AcknowledgementCreate(), kb=run.kb, now=start, actor=actor
    )
    for index, stage in enumerate(procedure.stages):
        minutes = _minutes(run, stage.duration_minutes)
        ended = clock + timedelta(minutes=minutes)
        timed = StageCreate(stage_index=index, name=stage.name, started_at=clock, ended_at=ended)
        sessions.record_stage(**where, data=timed, kb=run.kb, now=clock, actor=actor)
        product = STAGE_PRODUCTS.get(stage.name)
        if product is not None:
            used = ProductCreate(name=product, lot_number=_lot(run), stage_index=index)
            sessions.record_product(**where, data=used, kb=run.kb, actor=actor)
        clock = ended
    note = ObservationCreate(observed_at=clock, text=run.rng.choice(OBSERVATIONS))
    sessions.record_observation(**where, data=note, actor=actor)
    if run.rng.random() < ADVERSE_EVENT_CHANCE:
        event = AdverseEventCreate(
            occurred_at=clock,
            kind="erythema",
            severity="mild",
            action_taken="Cool compress; resolved before the client left.",
        )
        sessions.record_adverse_event(**where, data=event, actor=actor)
    done = SessionUpdate(started_at=start, ended_at=clock, status="completed")
    sessions.update_treatment_session(**where, data=done, kb=run.kb, actor=actor)


def _minutes(run: Seeding, duration: MinuteRange | None) -> int:
    low, high = UNTIMED_STAGE_MINUTES if duration is None else (duration.min, duration.max)
    return run.rng.randint(low, high)


def _lot(run: Seeding) -> str:
    """A lot number as printed on a tube: a letter for the plant, a year and a serial."""
    plant = run.rng.choice("ABCDEFGHJKLMN")
    return f"{plant}{run.today.year % 100:02d}-{run.rng.randint(1000, 99999):05d}"
