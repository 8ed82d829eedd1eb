"""Signed consents over HTTP; practitioners record and read them."""

from __future__ import annotations

from fastapi import APIRouter, status

from corneum.http.deps import Paged, PathId, Practitioner, SessionDep
from corneum.records.consents import service
from corneum.records.consents.schemas import ConsentCreate, ConsentRead

router = APIRouter(prefix="/api/clients", tags=["consents"])


@router.post(
    "/{client_id}/consents", status_code=status.HTTP_201_CREATED, response_model=ConsentRead
)
def record_consent(
    client_id: PathId, data: ConsentCreate, user: Practitioner, session: SessionDep
) -> ConsentRead:
    """A signed consent: the version and SHA-256 of the exact text shown, the signer, the time."""
    consent = service.record_consent(
        session=session, clinic_id=user.clinic_id, client_id=client_id, data=data, actor=user.id
    )
    return ConsentRead.model_validate(consent)


@router.get("/{client_id}/consents", response_model=list[ConsentRead])
def list_consents(
    client_id: PathId, user: Practitioner, session: SessionDep, page: Paged
) -> list[ConsentRead]:
    rows = service.list_consents(
        session=session, clinic_id=user.clinic_id, client_id=client_id, actor=user.id
    )
    return page([ConsentRead.model_validate(row) for row in rows])
