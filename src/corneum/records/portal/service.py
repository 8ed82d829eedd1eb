"""The staff's side of the portal: a clinic's portal settings, a client's language, and the
personal links staff send a client (made, listed, revoked; each audited as the staff member's).

A link's token is random, returned once and stored only as its hash; it expires after the
clinic's ``link_days`` and can be revoked, which also ends every portal session it opened."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from corneum.records.accounts.tables import Language
from corneum.records.audit import service as audit
from corneum.records.audit.tables import Action
from corneum.records.clients.tables import Client
from corneum.records.errors import NotFoundError
from corneum.records.paging import Page, paginate
from corneum.records.portal.schemas import PortalLinkCreate, PortalSettingsUpdate
from corneum.records.portal.tables import (
    DEFAULT_CANCEL_NOTICE_HOURS,
    DEFAULT_LINK_DAYS,
    ClientPreference,
    PortalLink,
    PortalSession,
    PortalSettings,
)
from corneum.records.tenancy import audit_client, find_client

LINK_RESOURCE = "portal_link"


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def portal_settings(*, session: Session, clinic_id: int) -> PortalSettings:
    """The clinic's portal settings (the defaults, unsaved, for a clinic that set none)."""
    found = session.get(PortalSettings, clinic_id)
    if found is not None:
        return found
    return PortalSettings(
        clinic_id=clinic_id,
        sign_in_check="code",
        cancel_notice_hours=DEFAULT_CANCEL_NOTICE_HOURS,
        link_days=DEFAULT_LINK_DAYS,
        clinic_phone=None,
    )


def update_settings(
    *, session: Session, clinic_id: int, data: PortalSettingsUpdate, actor: int
) -> PortalSettings:
    """Replace the clinic's portal settings; audited (the fields, not the values)."""
    row = session.get(PortalSettings, clinic_id) or PortalSettings(clinic_id=clinic_id)
    for name, value in data.model_dump().items():
        setattr(row, name, value)
    session.add(row)
    session.flush()
    audit.record(
        session=session,
        actor_id=actor,
        action="update",
        resource="portal_settings",
        resource_id=clinic_id,
        client_id=None,
        clinic_id=clinic_id,
        detail={"fields": sorted(data.model_dump())},
    )
    return row


def client_language(session: Session, client_id: int) -> Language:
    """The language the client chose (English for one who never did)."""
    found = session.get(ClientPreference, client_id)
    return found.language if found is not None else "en"


def set_client_language(*, session: Session, client_id: int, language: Language) -> None:
    found = session.get(ClientPreference, client_id)
    if found is None:
        session.add(ClientPreference(client_id=client_id, language=language))
    else:
        found.language = language
    session.flush()


def create_link(
    *,
    session: Session,
    clinic_id: int,
    client_id: int,
    data: PortalLinkCreate,
    actor: int,
    now: datetime,
) -> tuple[str, PortalLink]:
    """A new personal link for the client: the token (shown once) and its row."""
    client = find_client(session=session, clinic_id=clinic_id, client_id=client_id)
    days = portal_settings(session=session, clinic_id=clinic_id).link_days
    token = secrets.token_urlsafe(32)
    row = PortalLink(
        client_id=client.id,
        token_sha256=sha256(token),
        created_by=actor,
        created_at=now,
        expires_at=now + timedelta(days=days),
        failures=0,
    )
    session.add(row)
    if data.language is not None:
        set_client_language(session=session, client_id=client.id, language=data.language)
    session.flush()
    _audit_link(session, actor, "create", client, row)
    return token, row


def list_links(
    *, session: Session, clinic_id: int, client_id: int, actor: int, offset: int, limit: int
) -> Page[PortalLink]:
    """One page of the client's links, newest first; audited."""
    client = find_client(session=session, clinic_id=clinic_id, client_id=client_id)
    statement = (
        select(PortalLink).where(PortalLink.client_id == client.id).order_by(PortalLink.id.desc())
    )
    page = paginate(session, statement, offset=offset, limit=limit)
    audit_client(
        session,
        actor=actor,
        action="read",
        client=client,
        resource=LINK_RESOURCE,
        resource_id=None,
        detail={"link_ids": [row.id for row in page.items]},
    )
    return page


def revoke_link(
    *, session: Session, clinic_id: int, client_id: int, link_id: int, actor: int, now: datetime
) -> PortalLink:
    """Revoke the link and end the portal sessions it opened; revoking twice changes nothing."""
    client = find_client(session=session, clinic_id=clinic_id, client_id=client_id)
    row = session.get(PortalLink, link_id)
    if row is None or row.client_id != client.id:
        raise NotFoundError(LINK_RESOURCE, link_id)
    if row.revoked_at is None:
        row.revoked_at = now
        session.execute(
            update(PortalSession)
            .where(PortalSession.link_id == row.id, PortalSession.ended_at.is_(None))
            .values(ended_at=now)
        )
        session.flush()
        _audit_link(session, actor, "update", client, row, {"change": "revoke"})
    return row


def _audit_link(
    session: Session,
    actor: int,
    action: Action,
    client: Client,
    row: PortalLink,
    detail: audit.Detail | None = None,
) -> None:
    audit_client(
        session,
        actor=actor,
        action=action,
        client=client,
        resource=LINK_RESOURCE,
        resource_id=row.id,
        detail=detail,
    )


def audit_by_client(
    session: Session,
    client: Client,
    action: Action,
    resource: str,
    resource_id: int | None = None,
    detail: audit.Detail | None = None,
) -> None:
    """Record an act of the client herself, through the portal."""
    audit.record(
        session=session,
        actor_id=None,
        actor_client_id=client.id,
        action=action,
        resource=resource,
        resource_id=resource_id,
        client_id=client.id,
        clinic_id=client.clinic_id,
        detail=detail,
    )
