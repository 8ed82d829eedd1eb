"""Assessments and consultations over HTTP; practitioners only, within their own clinic."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Response, status
from fastapi.responses import JSONResponse

from corneum.http.deps import ClockDep, KnowledgeDep, Paged, PathId, Practitioner, SessionDep
from corneum.records.consultations import service
from corneum.records.consultations.schemas import (
    AssessmentCreate,
    AssessmentRead,
    ClientAssessmentCreate,
    ConsultationRead,
)

router = APIRouter(prefix="/api", tags=["consultations"])


async def today(clock: ClockDep) -> date:
    """The assessment date when the request gives none: the clock's day (UTC)."""
    return clock().date()


Today = Annotated[date, Depends(today)]


@router.post("/assessments", response_model=AssessmentRead)
def create_assessment(
    data: AssessmentCreate, user: Practitioner, session: SessionDep, kb: KnowledgeDep, on: Today
) -> Response:
    """Assess an inline profile or a stored client against every procedure; nothing is stored
    (a consultation stores its assessment). Reading a stored client is audited."""
    assessment = service.run_assessment(
        session=session, clinic_id=user.clinic_id, data=data, today=on, actor=user.id, kb=kb
    )
    # The engine's output is already the documented shape: sending it as it is skips a second
    # validation of every reason, the larger part of this endpoint's cost.
    return JSONResponse(assessment.to_dict())


@router.post(
    "/clients/{client_id}/consultations",
    status_code=status.HTTP_201_CREATED,
    response_model=ConsultationRead,
)
def create_consultation(
    client_id: PathId,
    data: ClientAssessmentCreate,
    user: Practitioner,
    session: SessionDep,
    kb: KnowledgeDep,
    on: Today,
) -> ConsultationRead:
    """Assess the client from their record and keep the profile, the assessment and the
    knowledge base's version and hash."""
    consultation = service.create_consultation(
        session=session,
        clinic_id=user.clinic_id,
        client_id=client_id,
        data=data,
        today=on,
        actor=user.id,
        kb=kb,
    )
    return ConsultationRead.model_validate(consultation)


@router.get("/clients/{client_id}/consultations", response_model=list[ConsultationRead])
def list_consultations(
    client_id: PathId, user: Practitioner, session: SessionDep, page: Paged
) -> list[ConsultationRead]:
    """The client's consultations, oldest first."""
    rows = service.list_consultations(
        session=session, clinic_id=user.clinic_id, client_id=client_id, actor=user.id
    )
    return page([ConsultationRead.model_validate(row) for row in rows])


@router.get("/consultations/{consultation_id}", response_model=ConsultationRead)
def get_consultation(
    consultation_id: PathId, user: Practitioner, session: SessionDep
) -> ConsultationRead:
    consultation = service.get_consultation(
        session=session, clinic_id=user.clinic_id, consultation_id=consultation_id, actor=user.id
    )
    return ConsultationRead.model_validate(consultation)
