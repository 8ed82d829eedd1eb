"""The knowledge base, read-only, and assessments of inline profiles."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, ValidationError

from corneum.http.deps import KnowledgeDep, Paged
from corneum.records.consents.service import current_consent

router = APIRouter(prefix="/api", tags=["knowledge"])


class ProcedureSummary(BaseModel):
    id: str
    name: str
    performers: list[str]
    areas: list[str]


class CodeRead(BaseModel):
    model_config = ConfigDict(extra="allow")

    code: str
    label: str


@router.get("/procedures", response_model=list[ProcedureSummary])
def list_procedures(kb: KnowledgeDep, page: Paged) -> list[dict[str, Any]]:
    """Every procedure, with who performs it and where."""
    return page(
        [
            {"id": p.id, "name": p.name, "performers": list(p.performers), "areas": list(p.areas)}
            for p in kb.procedures
        ]
    )


@router.get("/procedures/{procedure_id}")
def get_procedure(procedure_id: str, kb: KnowledgeDep) -> dict[str, Any]:
    """One procedure in full: stages with durations, rules, care, course and sources."""
    try:
        procedure = kb.procedure(procedure_id)
    except KeyError:
        raise HTTPException(404, detail=f"procedure {procedure_id} not found") from None
    data = procedure.model_dump(mode="json")
    duration = procedure.duration
    data["total_minutes"] = None if duration is None else duration.model_dump()
    return data


@router.get("/codes")
def list_codes(kb: KnowledgeDep) -> dict[str, Any]:
    """The vocabulary a profile may use, with labels, and the knowledge base's stamp."""
    return {
        "knowledge_base": {"version": kb.version, "sha256": kb.sha256},
        **kb.vocabulary.model_dump(mode="json"),
    }


def validation_error(exc: ValidationError, prefix: tuple[str, ...]) -> RequestValidationError:
    """Re-raise a model's validation error as a request error at ``prefix`` in the body."""
    return RequestValidationError(
        [{**error, "loc": (*prefix, *error["loc"])} for error in exc.errors()]
    )


class ConsentTextRead(BaseModel):
    """A procedure's consent as it reads now: sign exactly this text (its version and SHA-256)
    for the session's first stage to go ahead."""

    procedure_id: str
    language: str
    version: str
    sha256: str
    text: str


@router.get("/procedures/{procedure_id}/consent", response_model=ConsentTextRead)
def get_consent_text(
    procedure_id: str, kb: KnowledgeDep, language: Annotated[str, Query(max_length=8)] = "en"
) -> ConsentTextRead:
    """The consent text in use now for the procedure, in ``language`` (English if the shipped
    wording has no such language)."""
    try:
        procedure = kb.procedure(procedure_id)
    except KeyError:
        raise HTTPException(404, detail=f"procedure {procedure_id} not found") from None
    text = current_consent(kb, procedure, language)
    return ConsentTextRead(
        procedure_id=procedure.id,
        language=text.language,
        version=text.version,
        sha256=text.sha256,
        text=text.text,
    )
