"""The procedures the clinic offers over HTTP: everyone reads them, admins set them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from corneum.http.deps import Admin, Anyone, KnowledgeDep, Paged, SessionDep
from corneum.records.offerings import service
from corneum.records.offerings.schemas import OfferingRead, OfferingWrite

router = APIRouter(prefix="/api", tags=["calendar"])
ProcedurePath = Annotated[str, Path(max_length=64)]


@router.get("/offerings", response_model=list[OfferingRead])
def list_offerings(
    user: Anyone, session: SessionDep, kb: KnowledgeDep, page: Paged
) -> list[OfferingRead]:
    """Every procedure booked in a clinic, as this clinic offers it (its price and length)."""
    return page(service.list_offerings(session=session, clinic_id=user.clinic_id, kb=kb))


@router.get("/offerings/{procedure_id}", response_model=OfferingRead)
def get_offering(
    procedure_id: ProcedurePath, user: Anyone, session: SessionDep, kb: KnowledgeDep
) -> OfferingRead:
    return service.get_offering(
        session=session, clinic_id=user.clinic_id, kb=kb, procedure_id=procedure_id
    )


@router.put("/offerings/{procedure_id}", response_model=OfferingRead)
def put_offering(
    procedure_id: ProcedurePath,
    data: OfferingWrite,
    user: Admin,
    session: SessionDep,
    kb: KnowledgeDep,
) -> OfferingRead:
    """Offer the procedure or not, at a price, for as many minutes as the knowledge base
    allows (``min_minutes`` to ``max_minutes``)."""
    return service.put_offering(
        session=session, clinic_id=user.clinic_id, kb=kb, procedure_id=procedure_id, data=data,
        actor=user.id,
    )  # fmt: skip
