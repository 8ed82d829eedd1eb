"""A patch test read with no reaction, as the tests that run a course's first session need one
(the procedures with a ``patch_test`` pre-step refuse it otherwise)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from corneum.knowledge import KnowledgeBase
from corneum.records.patch_tests.schemas import PatchReading, PatchTestCreate
from corneum.records.patch_tests.service import patch_test_step, record_patch_test


def negative_patch_test(
    session: Session,
    clinic_id: int,
    client_id: int,
    procedure_id: str,
    kb: KnowledgeBase,
    first_session: datetime,
) -> None:
    """For a procedure that asks for one, a patch test applied as late in its window before
    ``first_session`` as the knowledge base allows, read an hour later with no reaction."""
    step = patch_test_step(kb.procedure(procedure_id))
    if step is None:
        return
    applied = first_session - timedelta(days=step.days_before.min)
    data = PatchTestCreate(
        procedure_id=procedure_id,
        product="Glycolic acid 35% gel",
        lot_number="PT-1",
        applied_at=applied,
        reading=PatchReading(read_at=applied + timedelta(hours=1), result="no_reaction"),
    )
    record_patch_test(
        session=session, clinic_id=clinic_id, client_id=client_id, data=data, kb=kb, actor=None
    )
