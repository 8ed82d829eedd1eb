"""The whole care pathway as a state machine over the services, on a real database: consult,
add or resolve a condition, record a dated medication, plan, book, move, cancel, sign the
consent, acknowledge cautions, start and skip stages, complete, cancel a plan, let days pass.

Whatever the order, it never reaches: a started session without a current consent, a started
session with an unacknowledged caution, a booking contraindicated on its day that is not
flagged, a done booking moved or cancelled, a plan whose status disagrees with its sessions,
or a session whose stages are out of order."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import count
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from corneum.knowledge import KnowledgeBase, default_knowledge_base
from corneum.records.accounts.schemas import ClinicCreate, UserCreate
from corneum.records.accounts.service import create_clinic, create_user
from corneum.records.calendar.bookings import service as calendar
from corneum.records.calendar.bookings.schemas import BookingCreate, RescheduleRequest
from corneum.records.calendar.bookings.tables import Booking
from corneum.records.calendar.resources import service as resources
from corneum.records.calendar.resources.schemas import (
    CalendarSettingsWrite,
    HoursSpan,
    HoursWrite,
    RoomCreate,
)
from corneum.records.clients import service as clients
from corneum.records.clients.schemas import (
    ClientCreate,
    HistoryEntryCreate,
    HistoryEntryUpdate,
    MedicationCreate,
)
from corneum.records.clinic_time import clinic_clock
from corneum.records.consents.service import has_current_consent
from corneum.records.errors import ConflictError, InvalidInputError
from corneum.records.plans import service as plans
from corneum.records.plans.schemas import PlanCreate, PlanUpdate
from corneum.records.plans.tables import TreatmentPlan
from corneum.records.screening.service import reason_key, screen
from corneum.records.sessions import service as sessions
from corneum.records.sessions.schemas import AcknowledgementCreate, StageSkip
from corneum.records.sessions.tables import TreatmentSession
from tests.records.conftest import sign_current_consent

PROCEDURE = "atraumatic_back_cleansing"
CONDITIONS = ("psoriasis", "sunburn", "herpes_history")
START = datetime(2027, 3, 1, 7, 0, tzinfo=UTC)
"""Monday 1 March 2027, 08:00 in Madrid."""
Refused: tuple[type[Exception], ...] = (ConflictError, InvalidInputError)
_clinics = count()
CONSENTED = st.booleans()
"""Whether a client signs the consent as she joins (else a later step may sign it)."""
HISTORY = st.sampled_from([("herpes_history",), (), ("psoriasis",)])
"""What a new client brings: nothing, a history that cautions, or one that bars."""


@dataclass
class Done:
    """What a completed booking looked like when it was done."""

    starts_at: datetime
    status: str = "done"


@dataclass
class World:
    session: Session
    kb: KnowledgeBase
    clinic_id: int
    practitioner: int
    now: datetime = START
    done: dict[int, Done] = field(default_factory=dict)


class CarePathway(RuleBasedStateMachine):
    clients = Bundle("clients")
    conditions = Bundle("conditions")
    plans = Bundle("plans")
    bookings = Bundle("bookings")

    def __init__(self, engine: Engine) -> None:
        super().__init__()
        self.connection = engine.connect()
        self.transaction = self.connection.begin()
        session = Session(bind=self.connection, join_transaction_mode="create_savepoint")
        clinic = create_clinic(session=session, data=ClinicCreate(name=f"Clinic {next(_clinics)}"))
        user = UserCreate.model_validate(
            {
                "email": f"p{clinic.id}@example.org",
                "password": "correct horse battery staple",
                "role": "practitioner",
                "qualifications": ["cosmetologist", "doctor"],
            }
        )
        practitioner = create_user(session=session, clinic_id=clinic.id, data=user, actor=None)
        self.world = World(session, default_knowledge_base(), clinic.id, practitioner.id)
        self._calendar()

    def _calendar(self) -> None:
        w = self.world
        settings_ = CalendarSettingsWrite(timezone="Europe/Madrid", step_minutes=15)
        resources.put_settings(session=w.session, clinic_id=w.clinic_id, data=settings_)
        resources.create_room(session=w.session, clinic_id=w.clinic_id, data=RoomCreate(name="A"))
        spans = [HoursSpan(weekday=day, starts=time(8), ends=time(20)) for day in range(7)]
        resources.put_hours(
            session=w.session,
            clinic_id=w.clinic_id,
            practitioner_id=w.practitioner,
            data=HoursWrite(spans=spans),
        )

    def teardown(self) -> None:
        self.world.session.close()
        self.transaction.rollback()
        self.connection.close()

    def ids(self) -> dict[str, Any]:
        return {"session": self.world.session, "clinic_id": self.world.clinic_id, "actor": None}

    # The record

    @initialize(target=clients, consented=CONSENTED, history=HISTORY)
    def a_client(self, consented: bool, history: tuple[str, ...]) -> int:
        return self._new_client(consented, history)

    @rule(target=clients, consented=CONSENTED, history=HISTORY)
    def another_client(self, consented: bool, history: tuple[str, ...]) -> int:
        return self._new_client(consented, history)

    def _new_client(self, consented: bool, history: tuple[str, ...] = ()) -> int:
        data = ClientCreate(
            given_name="Ana",
            family_name="Lopez",
            date_of_birth=date(1990, 4, 2),
            skin_type="oily",
            phototype=3,
        )
        client = clients.create_client(data=data, **self.ids()).id
        for code in history:
            entry = HistoryEntryCreate(condition_code=code)
            clients.add_history_entry(client_id=client, data=entry, **self.ids())
        if consented:
            self.consent(client)
        return client

    @rule(
        target=conditions, client=clients, code=st.sampled_from(CONDITIONS), days=st.integers(0, 40)
    )
    def a_condition(self, client: int, code: str, days: int) -> tuple[int, int]:
        ends = self.today() + timedelta(days=days) if code == "sunburn" and days else None
        data = HistoryEntryCreate(condition_code=code, expected_end_on=ends)
        return client, clients.add_history_entry(client_id=client, data=data, **self.ids()).id

    @rule(entry=consumes(conditions))
    def resolve(self, entry: tuple[int, int]) -> None:
        client, entry_id = entry
        clients.update_history_entry(
            client_id=client,
            entry_id=entry_id,
            data=HistoryEntryUpdate(status="resolved"),
            today=self.today(),
            **self.ids(),
        )

    @rule(client=clients, days_ago=st.none() | st.integers(0, 400))
    def a_medication(self, client: int, days_ago: int | None) -> None:
        last = None if days_ago is None else self.today() - timedelta(days=days_ago)
        data = MedicationCreate(code="isotretinoin", last_taken=last)
        clients.add_medication(client_id=client, data=data, today=self.today(), **self.ids())

    @rule(client=clients)
    def consent(self, client: int) -> None:
        w = self.world
        sign_current_consent(w.session, w.clinic_id, client, PROCEDURE, w.kb)

    # Plans and the calendar

    @rule(target=plans, client=clients, sessions_planned=st.integers(1, 3))
    def plan(self, client: int, sessions_planned: int) -> int:
        data = PlanCreate(procedure_id=PROCEDURE, sessions_planned=sessions_planned)
        try:
            made = plans.create_plan(
                client_id=client, data=data, kb=self.world.kb, now=self.world.now, **self.ids()
            )
        except Refused:
            return -1
        return made.id

    @rule(target=bookings, plan=plans, days=st.integers(0, 30), hour=st.integers(8, 17))
    def book(self, plan: int, days: int, hour: int) -> int:
        if plan < 0:
            return -1
        start = self.local(self.today() + timedelta(days=days), hour)
        data = BookingCreate(plan_id=plan, start=start)
        try:
            row = calendar.book(kb=self.world.kb, data=data, now=self.world.now, **self.ids())
        except Refused:
            return -1
        return row.id

    @rule(booking=bookings, days=st.integers(0, 30), hour=st.integers(8, 17))
    def move(self, booking: int, days: int, hour: int) -> None:
        if booking < 0:
            return
        start = self.local(self.today() + timedelta(days=days), hour)
        with contextlib.suppress(*Refused):
            calendar.reschedule(
                booking_id=booking,
                data=RescheduleRequest(start=start),
                kb=self.world.kb,
                now=self.world.now,
                **self.ids(),
            )

    @rule(booking=bookings)
    def cancel(self, booking: int) -> None:
        if booking < 0:
            return
        with contextlib.suppress(*Refused):
            calendar.cancel(booking_id=booking, version=None, **self.ids())

    @rule(plan=plans)
    def cancel_plan(self, plan: int) -> None:
        if plan < 0:
            return
        with contextlib.suppress(*Refused):
            plans.update_plan(
                plan_id=plan, data=PlanUpdate(status="cancelled"), now=self.world.now, **self.ids()
            )

    @rule(days=st.integers(1, 10))
    def days_pass(self, days: int) -> None:
        self.world.now += timedelta(days=days)

    # The treatment room

    @rule(booking=bookings, acknowledge=st.booleans(), on_its_day=st.booleans())
    def run_next_stage(self, booking: int, acknowledge: bool, on_its_day: bool) -> None:
        visit = self.visit(booking)
        if visit is None:
            return
        if on_its_day and visit.scheduled_at > self.world.now:
            self.world.now = visit.scheduled_at
        where = {**self.ids(), "treatment_session_id": visit.id}
        w = self.world
        try:
            if acknowledge:
                sessions.acknowledge_cautions(
                    data=AcknowledgementCreate(), kb=w.kb, now=w.now, **where
                )
            sessions.skip_stage(
                stage_index=len(visit.stages),
                data=StageSkip(reason="state machine"),
                kb=w.kb,
                now=w.now,
                **where,
            )
        except Refused:
            pass

    @rule(booking=bookings, acknowledge=st.booleans(), sign=st.booleans())
    def run_it_through(self, booking: int, acknowledge: bool, sign: bool) -> None:
        """On the booking's day: sign the consent and acknowledge (or not), skip every stage
        left, complete."""
        visit = self.visit(booking)
        if visit is None:
            return
        if sign:
            self.consent(visit.client_id)
        stages = len(self.world.kb.procedure(PROCEDURE).stages)
        for _ in range(len(visit.stages), stages):
            self.run_next_stage(booking, acknowledge=acknowledge, on_its_day=True)
        self.complete(booking)

    @rule(booking=bookings)
    def complete(self, booking: int) -> None:
        visit = self.visit(booking)
        if visit is None:
            return
        try:
            sessions.complete_session(
                treatment_session_id=visit.id, kb=self.world.kb, now=self.world.now, **self.ids()
            )
        except Refused:
            return
        row = self.world.session.get(Booking, booking)
        assert row is not None
        self.world.done[booking] = Done(row.starts_at)

    def visit(self, booking: int) -> TreatmentSession | None:
        if booking < 0:
            return None
        try:
            return calendar.session_for_booking(booking_id=booking, **self.ids())
        except Refused:
            return None

    # What never happens

    @invariant()
    def started_sessions_had_consent_and_acknowledged_cautions(self) -> None:
        w = self.world
        for visit in self.started():
            plan = w.session.get(TreatmentPlan, visit.plan_id)
            assert plan is not None
            procedure = w.kb.procedure(plan.procedure_id)
            assert has_current_consent(
                w.session, client_id=visit.client_id, procedure=procedure, kb=w.kb
            )
            acknowledged = set(visit.acknowledged_reasons or [])
            assert {reason_key(r) for r in visit.cautions} <= acknowledged

    @invariant()
    def stages_in_order_and_completed_sessions_whole(self) -> None:
        stages = len(self.world.kb.procedure(PROCEDURE).stages)
        for visit in self.started():
            indexes = sorted(stage.stage_index for stage in visit.stages)
            assert indexes == list(range(len(indexes)))
            if visit.status == "completed":
                assert len(indexes) == stages

    @invariant()
    def contraindicated_bookings_are_flagged(self) -> None:
        w = self.world
        booked = select(Booking).where(Booking.clinic_id == w.clinic_id, Booking.status == "booked")
        for row in w.session.scalars(booked):
            day = clinic_clock(w.session, w.clinic_id).local(row.starts_at).date()
            verdict = screen(
                session=w.session, clinic_id=w.clinic_id, client_id=row.client_id,
                procedure_id=row.procedure_id, area=None, on=day, kb=w.kb, actor=None,
            ).verdict  # fmt: skip
            flags = calendar.booking_flags(session=w.session, row=row, kb=w.kb, actor=None)
            assert bool(flags) == (verdict == "contraindicated")

    @invariant()
    def done_bookings_stay_done_where_they_were(self) -> None:
        for booking_id, done in self.world.done.items():
            row = self.world.session.get(Booking, booking_id)
            assert row is not None
            assert (row.status, row.starts_at) == (done.status, done.starts_at)

    @invariant()
    def plan_statuses_follow_their_sessions(self) -> None:
        w = self.world
        for plan in w.session.scalars(select(TreatmentPlan)):
            if plan.status == "cancelled":
                continue
            statuses = [v.status for v in w.session.scalars(
                select(TreatmentSession).where(TreatmentSession.plan_id == plan.id)
            )]  # fmt: skip
            completed = statuses.count("completed")
            expected = (
                "completed"
                if completed >= plan.sessions_planned
                else "active"
                if completed or "in_progress" in statuses
                else "planned"
            )
            assert plan.status == expected

    def started(self) -> list[TreatmentSession]:
        statement = select(TreatmentSession).where(
            TreatmentSession.status.in_(("in_progress", "completed"))
        )
        return list(self.world.session.scalars(statement))

    def today(self) -> date:
        return clinic_clock(self.world.session, self.world.clinic_id).local(self.world.now).date()

    def local(self, day: date, hour: int) -> datetime:
        clock = clinic_clock(self.world.session, self.world.clinic_id)
        moment: datetime = clock.utc(datetime.combine(day, time(hour)))
        return moment


def test_the_care_pathway_never_reaches_an_unsafe_state(engine: Engine) -> None:
    """On each database in turn (the ``engine`` fixture's parameters)."""
    run_state_machine_as_test(
        lambda: CarePathway(engine),  # type: ignore[arg-type]
        settings=settings(
            max_examples=40,
            stateful_step_count=40,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
