"""The client's portal from the staff's side: personal links sent to a client (made, listed,
revoked; practitioners and reception) and the clinic's portal settings (admins)."""

from __future__ import annotations

from fastapi import APIRouter, Request, status

from corneum.http.deps import Admin, ClockDep, Paged50, PathId, SessionDep, Staff
from corneum.http.links import portal_url
from corneum.records.paging import PageRead
from corneum.records.portal import service
from corneum.records.portal.schemas import (
    PortalLinkCreate,
    PortalLinkIssued,
    PortalLinkRead,
    PortalSettingsRead,
    PortalSettingsUpdate,
)

router = APIRouter(prefix="/api", tags=["portal"])


@router.post(
    "/clients/{client_id}/portal-links",
    status_code=status.HTTP_201_CREATED,
    response_model=PortalLinkIssued,
)
def create_portal_link(
    request: Request,
    client_id: PathId,
    user: Staff,
    session: SessionDep,
    clock: ClockDep,
    data: PortalLinkCreate | None = None,
) -> PortalLinkIssued:
    """A new personal link for the client to sign in to the portal with; its address is shown
    only now (only its hash is kept)."""
    token, row = service.create_link(
        session=session,
        clinic_id=user.clinic_id,
        client_id=client_id,
        data=data or PortalLinkCreate(),
        actor=user.id,
        now=clock(),
    )
    return PortalLinkIssued(id=row.id, url=portal_url(request, token), expires_at=row.expires_at)


@router.get("/clients/{client_id}/portal-links", response_model=PageRead[PortalLinkRead])
def list_portal_links(
    client_id: PathId, user: Staff, session: SessionDep, page: Paged50
) -> PageRead[PortalLinkRead]:
    """The client's personal links, newest first (never their addresses)."""
    found = service.list_links(
        session=session,
        clinic_id=user.clinic_id,
        client_id=client_id,
        actor=user.id,
        offset=page.offset,
        limit=page.limit,
    )
    return page.of(found, [PortalLinkRead.model_validate(row) for row in found.items])


@router.delete("/clients/{client_id}/portal-links/{link_id}", response_model=PortalLinkRead)
def revoke_portal_link(
    client_id: PathId, link_id: PathId, user: Staff, session: SessionDep, clock: ClockDep
) -> PortalLinkRead:
    """Revoke the link; whoever signed in with it is signed out."""
    row = service.revoke_link(
        session=session,
        clinic_id=user.clinic_id,
        client_id=client_id,
        link_id=link_id,
        actor=user.id,
        now=clock(),
    )
    return PortalLinkRead.model_validate(row)


@router.get("/portal/settings", response_model=PortalSettingsRead)
def get_portal_settings(user: Admin, session: SessionDep) -> PortalSettingsRead:
    """How clients sign in to the portal, the notice a portal cancellation needs, how long a
    link lasts, and the number the portal asks a client to call."""
    found = service.portal_settings(session=session, clinic_id=user.clinic_id)
    return PortalSettingsRead.model_validate(found)


@router.put("/portal/settings", response_model=PortalSettingsRead)
def put_portal_settings(
    data: PortalSettingsUpdate, user: Admin, session: SessionDep
) -> PortalSettingsRead:
    """Replace the clinic's portal settings."""
    row = service.update_settings(
        session=session, clinic_id=user.clinic_id, data=data, actor=user.id
    )
    return PortalSettingsRead.model_validate(row)
