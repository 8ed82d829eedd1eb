"""Tenancy and the audit of client data, shared by every area that keeps records about a client:
a row is reached only through a client of the caller's clinic (another clinic's is reported as
not found, exactly as one that does not exist), and every act on a client's data is audited."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from corneum.records.audit import service as audit
from corneum.records.audit.tables import Action
from corneum.records.clients.tables import Client, OwnedByClient
from corneum.records.errors import NotFoundError

Owned = TypeVar("Owned", bound=OwnedByClient)


def find_client(*, session: Session, clinic_id: int, client_id: int) -> Client:
    """The client, if it belongs to the clinic; not audited (callers audit what they do with it)."""
    client = session.get(Client, client_id)
    if client is None or client.clinic_id != clinic_id:
        raise NotFoundError("client", client_id)
    return client


def find_owned(
    session: Session, table: type[Owned], row_id: int, *, clinic_id: int, resource: str
) -> tuple[Owned, Client]:
    """A client-owned row and its client, if the client belongs to the clinic; not audited."""
    statement = (
        select(table, Client)
        .join(Client, Client.id == table.client_id)
        .where(table.id == row_id, Client.clinic_id == clinic_id)
    )
    found = session.execute(statement).first()
    if found is None:
        raise NotFoundError(resource, row_id)
    row, client = found
    return row, client


def read_owned(
    session: Session,
    table: type[Owned],
    row_id: int,
    *,
    clinic_id: int,
    resource: str,
    actor: int | None,
) -> Owned:
    """A client-owned row of the clinic, its reading audited."""
    row, client = find_owned(session, table, row_id, clinic_id=clinic_id, resource=resource)
    audit_client(
        session, actor=actor, action="read", client=client, resource=resource, resource_id=row.id
    )
    return row


def audit_client(
    session: Session,
    *,
    actor: int | None,
    action: Action,
    client: Client,
    resource: str = "client",
    resource_id: int | None = None,
    detail: audit.Detail | None = None,
) -> None:
    """Record an act on a client's data; ``resource_id`` defaults to the client's id."""
    audit.record(
        session=session,
        actor_id=actor,
        action=action,
        resource=resource,
        resource_id=client.id if resource_id is None else resource_id,
        client_id=client.id,
        clinic_id=client.clinic_id,
        detail=detail,
    )


def owned_rows(session: Session, table: type[Owned], client_id: int) -> list[Owned]:
    """Every row of ``table`` that belongs to the client, oldest first."""
    statement = select(table).where(table.client_id == client_id).order_by(table.id)
    return list(session.scalars(statement))
