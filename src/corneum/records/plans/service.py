"""Treatment plans, scoped by clinic and audited."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from corneum.db.atomic import atomic
from corneum.db.types import utcnow
from corneum.knowledge import KnowledgeBase
from corneum.phrase import N_, Phrase
from corneum.records.calendar.bookings.service import cancel as cancel_booking
from corneum.records.calendar.bookings.tables import Booking
from corneum.records.clinic_time import clinic_day
from corneum.records.consultations.tables import Consultation
from corneum.records.errors import ConflictError, InvalidInputError, NotFoundError, Problem
from corneum.records.patch_tests.service import plan_pre_steps
from corneum.records.plans.schemas import PlanCreate, PlanRead, PlanSummaryRead, PlanUpdate
from corneum.records.plans.tables import TreatmentPlan
from corneum.records.screening.service import require_screening
from corneum.records.sessions.tables import TreatmentSession
from corneum.records.tenancy import audit_client, find_client, find_owned, owned_rows, read_owned

BOOKED = frozenset({"scheduled", "in_progress"})
"""Session statuses that hold a place in the calendar."""
STATUS_FOLLOWS = N_("a plan's status follows its sessions: it is %(status)s now")
UNDER_WAY = N_("plan %(plan)s has a session under way: complete it before cancelling the plan")


@atomic
def create_plan(
    *,
    session: Session,
    clinic_id: int,
    client_id: int,
    data: PlanCreate,
    actor: int | None,
    kb: KnowledgeBase,
    now: datetime,
) -> TreatmentPlan:
    """A course of one procedure, screened for the client as of today in the clinic: a
    contraindicated procedure is refused (:class:`ContraindicatedError`), whatever the path."""
    client = find_client(session=session, clinic_id=clinic_id, client_id=client_id)
    area = data.area
    if data.consultation_id is not None:
        consultation = session.get(Consultation, data.consultation_id)
        if consultation is None or consultation.client_id != client.id:
            raise NotFoundError("consultation", data.consultation_id)
        area = area or consultation.profile.get("area")
    _treats(kb, data.procedure_id, area)
    require_screening(
        session=session, clinic_id=clinic_id, client_id=client.id,
        procedure_id=data.procedure_id, area=area, on=clinic_day(session, clinic_id, now),
        kb=kb, actor=actor,
    )  # fmt: skip
    fields = data.model_dump(exclude={"area"})
    plan = TreatmentPlan(client_id=client.id, created_by=actor, area=area, **fields)
    session.add(plan)
    session.flush()
    audit_client(
        session, actor=actor, action="create", client=client, resource="plan", resource_id=plan.id
    )
    return plan


def _treats(kb: KnowledgeBase, procedure_id: str, area: str | None) -> None:
    procedure = kb.procedure(procedure_id)
    if area is not None and area not in procedure.areas:
        message = f"{procedure_id} does not treat {area!r}; it treats: {', '.join(procedure.areas)}"
        raise InvalidInputError([Problem(loc=("body", "area"), msg=message, type="value_error")])


def plan_read(
    plan: TreatmentPlan, *, session: Session, clinic_id: int, kb: KnowledgeBase, now: datetime
) -> PlanRead:
    """The plan as the API gives it to practitioners: with its pre-steps' windows and state."""
    steps = plan_pre_steps(session=session, clinic_id=clinic_id, plan=plan, kb=kb, now=now)
    return PlanRead.model_validate(plan).model_copy(update={"pre_steps": steps})


def get_plan(*, session: Session, clinic_id: int, plan_id: int, actor: int | None) -> TreatmentPlan:
    return read_owned(
        session, TreatmentPlan, plan_id, clinic_id=clinic_id, resource="plan", actor=actor
    )


def list_plans(
    *, session: Session, clinic_id: int, client_id: int, actor: int | None
) -> list[TreatmentPlan]:
    client = find_client(session=session, clinic_id=clinic_id, client_id=client_id)
    audit_client(session, actor=actor, action="read", client=client, resource="plan")
    return owned_rows(session, TreatmentPlan, client.id)


@atomic
def update_plan(
    *,
    session: Session,
    clinic_id: int,
    plan_id: int,
    data: PlanUpdate,
    actor: int | None,
    now: datetime | None = None,
) -> TreatmentPlan:
    """Change the sessions planned, the note, or cancel the plan (which cancels its bookings
    and sessions still to come, as of ``now``). Any other status follows the sessions: asking
    for one they do not bear out is refused (409)."""
    plan, client = find_owned(session, TreatmentPlan, plan_id, clinic_id=clinic_id, resource="plan")
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    wanted = changes.pop("status", None)
    for field, value in changes.items():
        setattr(plan, field, value)
    if wanted == "cancelled" and plan.status != "cancelled":
        _cancel_what_is_to_come(session, plan, clinic_id, actor, now or utcnow())
        plan.status = "cancelled"
    elif wanted is not None and wanted != plan.status:
        follow_sessions(session, plan)
        if wanted != plan.status:
            raise ConflictError("status", Phrase(STATUS_FOLLOWS, {"status": plan.status}))
    else:
        follow_sessions(session, plan)
    session.flush()
    audit_client(
        session,
        actor=actor,
        action="update",
        client=client,
        resource="plan",
        resource_id=plan.id,
        detail={"fields": sorted([*changes, *(["status"] if wanted else [])])},
    )
    return plan


def follow_sessions(session: Session, plan: TreatmentPlan) -> None:
    """Set a plan's status from its sessions: planned until one starts, active while under
    way, completed once as many are done as were planned. A cancelled plan stays so."""
    if plan.status == "cancelled":
        return
    counts = _session_counts(session, [plan.id])
    if counts[plan.id, "completed"] >= plan.sessions_planned:
        plan.status = "completed"
    elif counts[plan.id, "completed"] or counts[plan.id, "under_way"]:
        plan.status = "active"
    else:
        plan.status = "planned"


def _cancel_what_is_to_come(
    session: Session, plan: TreatmentPlan, clinic_id: int, actor: int | None, now: datetime
) -> None:
    """Cancel the plan's bookings from ``now`` on and its sessions not yet started."""
    under_way = select(TreatmentSession.id).where(
        TreatmentSession.plan_id == plan.id, TreatmentSession.status == "in_progress"
    )
    if session.scalar(under_way) is not None:
        raise ConflictError("status", Phrase(UNDER_WAY, {"plan": plan.id}))
    coming = select(Booking.id).where(
        Booking.plan_id == plan.id, Booking.status == "booked", Booking.starts_at >= now
    )
    for booking_id in list(session.scalars(coming)):
        cancel_booking(
            session=session, clinic_id=clinic_id, booking_id=booking_id, version=None, actor=actor
        )
    scheduled = select(TreatmentSession).where(
        TreatmentSession.plan_id == plan.id, TreatmentSession.status == "scheduled"
    )
    for visit in session.scalars(scheduled):
        visit.status = "cancelled"


def list_plan_summaries(
    *, session: Session, clinic_id: int, client_id: int, actor: int | None
) -> list[PlanSummaryRead]:
    """The client's plans as reception sees them, with how many sessions are booked and done."""
    plans = list_plans(session=session, clinic_id=clinic_id, client_id=client_id, actor=actor)
    counts = _session_counts(session, [plan.id for plan in plans])
    return [
        PlanSummaryRead(
            id=plan.id,
            client_id=plan.client_id,
            procedure_id=plan.procedure_id,
            status=plan.status,
            sessions_planned=plan.sessions_planned,
            sessions_booked=counts[plan.id, "booked"],
            sessions_completed=counts[plan.id, "completed"],
        )
        for plan in plans
    ]


def _session_counts(session: Session, plan_ids: list[int]) -> Counter[tuple[int, str]]:
    """Sessions per plan: ``(plan_id, "booked")`` (scheduled or under way), ``"completed"``."""
    statement = (
        select(TreatmentSession.plan_id, TreatmentSession.status, func.count())
        .where(TreatmentSession.plan_id.in_(plan_ids))
        .group_by(TreatmentSession.plan_id, TreatmentSession.status)
    )
    counts: Counter[tuple[int, str]] = Counter()
    for plan_id, visit_status, count in session.execute(statement):
        if visit_status in BOOKED:
            counts[plan_id, "booked"] += count
        if visit_status == "in_progress":
            counts[plan_id, "under_way"] += count
        elif visit_status == "completed":
            counts[plan_id, "completed"] += count
    return counts
