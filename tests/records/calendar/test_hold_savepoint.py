"""PostgreSQL's exclusion constraint on ``booking_holds`` refusing a booking must leave the
transaction usable: the holds are written in a savepoint, so the same request can go on and
book elsewhere (the optimiser's ``book`` and a course book several in one transaction).

The conflict is a hold the booking's own read of the calendar cannot see, as one committed by a
concurrent request between that read and the insert would be: here a hold on the same
practitioner under another clinic's booking (the calendar reads one clinic's bookings; the
constraint guards every hold)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from corneum.knowledge import KnowledgeBase
from corneum.records.accounts.tables import Clinic
from corneum.records.calendar.bookings.tables import Booking, BookingHold
from corneum.records.clients.schemas import ClientCreate
from corneum.records.clients.service import create_client
from corneum.records.errors import ConflictError
from corneum.records.plans.tables import TreatmentPlan
from tests.records.calendar.conftest import MONDAY_10, Setup
from tests.records.calendar.test_calendar_service import ACID, book, holds_of


def unseen_hold(db_session: Session, setup: Setup, other_clinic: Clinic) -> None:
    """The cosmetologist held 10:00-11:20 on Monday by a booking the calendar does not read."""
    stranger = create_client(
        session=db_session,
        clinic_id=other_clinic.id,
        data=ClientCreate(given_name="Eve", family_name="Other"),
        actor=None,
    )
    row = Booking(
        clinic_id=other_clinic.id,
        client_id=stranger.id,
        procedure_id=ACID,
        practitioner_id=setup.cosmetologist.id,
        room_id=setup.rooms[1],
        starts_at=MONDAY_10,
        ends_at=MONDAY_10 + timedelta(minutes=80),
    )
    db_session.add(row)
    db_session.flush()
    db_session.add(
        BookingHold(
            booking_id=row.id,
            resource_kind="practitioner",
            resource_id=setup.cosmetologist.id,
            starts_at=MONDAY_10,
            ends_at=MONDAY_10 + timedelta(minutes=80),
        )
    )
    db_session.flush()


def test_a_booking_refused_by_the_exclusion_constraint_leaves_the_transaction_usable(
    db_session: Session,
    kb: KnowledgeBase,
    setup: Setup,
    plan: TreatmentPlan,
    other_clinic: Clinic,
) -> None:
    if db_session.get_bind().dialect.name != "postgresql":
        pytest.skip("the exclusion constraint is PostgreSQL's")
    unseen_hold(db_session, setup, other_clinic)

    with pytest.raises(ConflictError) as refused:
        book(db_session, kb, setup, plan, MONDAY_10)
    assert refused.value.field == "start"
    assert (
        f"{setup.cosmetologist.email} was booked at 2026-11-30 10:00 by another request"
        in refused.value.message
    )

    elsewhere = book(db_session, kb, setup, plan, MONDAY_10 + timedelta(hours=4))
    db_session.flush()
    assert elsewhere.starts_at == MONDAY_10 + timedelta(hours=4)
    assert [kind for kind, *_ in holds_of(db_session, elsewhere.id)] == ["practitioner", "room"]
    mine = select(func.count()).select_from(Booking).where(Booking.plan_id == plan.id)
    assert db_session.scalar(mine) == 1, "the refused booking left a row behind"
