"""The audit log over HTTP: admins read their own clinic's events, newest first."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from corneum.http.deps import Admin, Paged50, SessionDep
from corneum.records.audit import service
from corneum.records.audit.schemas import AuditEventRead
from corneum.records.audit.tables import Action
from corneum.records.fields import MAX_INTEGER, Moment
from corneum.records.paging import PageRead

router = APIRouter(prefix="/api/audit", tags=["audit"])
IdFilter = Annotated[int | None, Query(ge=1, le=MAX_INTEGER)]
TimeFilter = Annotated[Moment | None, Query(description="With a time zone, e.g. ...Z")]


@router.get("", response_model=PageRead[AuditEventRead])
def query_audit(
    user: Admin,
    session: SessionDep,
    page: Paged50,
    client_id: IdFilter = None,
    actor_id: IdFilter = None,
    action: Action | None = None,
    resource: Annotated[str | None, Query(pattern=r"^[a-z_]{1,64}$")] = None,
    since: TimeFilter = None,
    until: TimeFilter = None,
) -> PageRead[AuditEventRead]:
    """Who did what to which record, when; filtered by any of the parameters (``since``
    inclusive, ``until`` exclusive). An erased client's events stay here."""
    found = service.query(
        session=session,
        clinic_id=user.clinic_id,
        client_id=client_id,
        actor_id=actor_id,
        action=action,
        resource=resource,
        since=since,
        until=until,
        offset=page.offset,
        limit=page.limit,
    )
    return page.of(found, [AuditEventRead.model_validate(row) for row in found.items])
