"""The client's personal link to the portal, made from her record page (practitioners and
reception): the address is shown once, to copy into a message to her."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from corneum.http.deps import ClockDep, PathId, SessionDep
from corneum.http.links import portal_url
from corneum.records.accounts.tables import Language
from corneum.records.portal import service
from corneum.records.portal.schemas import PortalLinkCreate
from corneum.web.access import Csrf, PageStaff
from corneum.web.templating import render

router = APIRouter(include_in_schema=False)


@router.post("/clients/{client_id}/portal-link", dependencies=[Csrf])
def make_link(
    request: Request,
    client_id: PathId,
    user: PageStaff,
    session: SessionDep,
    clock: ClockDep,
    language: Annotated[Language | None, Form()] = None,
) -> Response:
    """A new personal link for the client, in the language chosen for her."""
    token, row = service.create_link(
        session=session,
        clinic_id=user.clinic_id,
        client_id=client_id,
        data=PortalLinkCreate(language=language),
        actor=user.id,
        now=clock(),
    )
    context = {
        "user": user,
        "client_id": client_id,
        "url": portal_url(request, token),
        "expires_at": row.expires_at,
    }
    return render(request, "portal_link.html", context)
