"""Patch tests over HTTP; practitioners record, read and list them."""

from __future__ import annotations

from fastapi import APIRouter, status

from corneum.http.deps import KnowledgeDep, Paged, PathId, Practitioner, SessionDep
from corneum.records.patch_tests import service
from corneum.records.patch_tests.schemas import PatchReading, PatchTestCreate, PatchTestRead

router = APIRouter(prefix="/api", tags=["patch tests"])


@router.post(
    "/clients/{client_id}/patch-tests",
    status_code=status.HTTP_201_CREATED,
    response_model=PatchTestRead,
)
def record_patch_test(
    client_id: PathId, data: PatchTestCreate, user: Practitioner, session: SessionDep,
    kb: KnowledgeDep,
) -> PatchTestRead:  # fmt: skip
    """A patch test of a procedure's agent applied (and, with ``reading``, read): the course's
    first session waits for one read with no reaction in the procedure's window."""
    row = service.record_patch_test(
        session=session, clinic_id=user.clinic_id, client_id=client_id, data=data, kb=kb,
        actor=user.id,
    )  # fmt: skip
    return PatchTestRead.model_validate(row)


@router.get("/clients/{client_id}/patch-tests", response_model=list[PatchTestRead])
def list_patch_tests(
    client_id: PathId, user: Practitioner, session: SessionDep, page: Paged
) -> list[PatchTestRead]:
    rows = service.list_patch_tests(
        session=session, clinic_id=user.clinic_id, client_id=client_id, actor=user.id
    )
    return page([PatchTestRead.model_validate(row) for row in rows])


@router.post("/patch-tests/{patch_test_id}/reading", response_model=PatchTestRead)
def read_patch_test(
    patch_test_id: PathId, data: PatchReading, user: Practitioner, session: SessionDep
) -> PatchTestRead:
    """What the patch showed (a reaction with a note saying what it looked like); once."""
    row = service.read_patch_test(
        session=session, clinic_id=user.clinic_id, patch_test_id=patch_test_id, data=data,
        actor=user.id,
    )  # fmt: skip
    return PatchTestRead.model_validate(row)
