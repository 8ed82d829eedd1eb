"""Writing and querying the audit log. Every service that touches client data records here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from corneum.records.audit.tables import Action, AuditEvent
from corneum.records.paging import Page, paginate

Detail = dict[str, Any]
"""Ids, counts, field names and reasons only; never a name, contact detail or clinical fact."""


def record(
    *,
    session: Session,
    actor_id: int | None,
    action: Action,
    resource: str,
    resource_id: int | str | None,
    client_id: int | None,
    clinic_id: int | None,
    detail: Detail | None = None,
    actor_client_id: int | None = None,
) -> AuditEvent:
    """Append one event to the audit log (written with the caller's unit of work);
    ``actor_client_id`` names the client when she acted herself, through the portal."""
    event = AuditEvent(
        actor_id=actor_id,
        actor_client_id=actor_client_id,
        action=action,
        resource_type=resource,
        resource_id=None if resource_id is None else str(resource_id),
        client_id=client_id,
        clinic_id=clinic_id,
        detail=detail or {},
    )
    session.add(event)
    return event


def query(
    *,
    session: Session,
    clinic_id: int,
    client_id: int | None = None,
    actor_id: int | None = None,
    action: Action | None = None,
    resource: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    offset: int = 0,
    limit: int = 100,
) -> Page[AuditEvent]:
    """One clinic's audit events, newest first, filtered by any of the given fields.

    ``since`` is inclusive and ``until`` exclusive.
    """
    statement = select(AuditEvent).where(AuditEvent.clinic_id == clinic_id)
    if client_id is not None:
        statement = statement.where(AuditEvent.client_id == client_id)
    if actor_id is not None:
        statement = statement.where(AuditEvent.actor_id == actor_id)
    if action is not None:
        statement = statement.where(AuditEvent.action == action)
    if resource is not None:
        statement = statement.where(AuditEvent.resource_type == resource)
    if since is not None:
        statement = statement.where(AuditEvent.at >= since)
    if until is not None:
        statement = statement.where(AuditEvent.at < until)
    statement = statement.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    return paginate(session, statement, offset=offset, limit=limit)
