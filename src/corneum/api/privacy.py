"""A client's privacy requests over HTTP, handled by an admin of the client's clinic."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from corneum.http.deps import Admin, PathId, PhotoStoreDep, SessionDep
from corneum.records.privacy import service
from corneum.records.privacy.schemas import ErasureRead

router = APIRouter(prefix="/api/clients", tags=["privacy"])


@router.get("/{client_id}/export")
def export_client(client_id: PathId, user: Admin, session: SessionDep) -> dict[str, Any]:
    """Everything held on the client as one JSON object: the record, history, medications,
    allergies, consultations, consents, plans, sessions and outcomes."""
    return service.export_client(
        session=session, clinic_id=user.clinic_id, client_id=client_id, actor=user.id
    )


@router.get(
    "/{client_id}/export.zip",
    response_class=Response,
    responses={200: {"content": {"application/zip": {}}}},
)
def export_archive(
    client_id: PathId, user: Admin, session: SessionDep, photos: PhotoStoreDep
) -> Response:
    """The export with the photos' images: a ZIP of ``export.json`` (as ``/export`` gives it)
    and ``photos/<photo id>.<jpg|png>``; an image gone from disk is named in
    ``photos/missing.txt``."""
    archive = service.export_archive(
        session=session, clinic_id=user.clinic_id, client_id=client_id, actor=user.id, photos=photos
    )
    headers = {
        "Content-Disposition": f'attachment; filename="client-{client_id}-export.zip"',
        "Cache-Control": "no-store",
    }
    return Response(archive, media_type="application/zip", headers=headers)


@router.post("/{client_id}/erase", response_model=ErasureRead)
def erase_client(
    client_id: PathId, user: Admin, session: SessionDep, photos: PhotoStoreDep
) -> ErasureRead:
    """Delete the client and everything they own; only the audit trail's record of the
    erasure (ids and counts) remains. The client is 404 afterwards."""
    counts = service.erase_client(
        session=session, clinic_id=user.clinic_id, client_id=client_id, actor=user.id, photos=photos
    )
    return ErasureRead(client_id=client_id, rows=counts)
