"""Secret feed addresses: a calendar app subscribes to a client's or a practitioner's feed with
an unguessable token in the address instead of a staff sign-in.

Staff issue and revoke them (a client's by reception or a practitioner, a practitioner's by
herself or an admin); each person has at most one live address, so issuing a new one revokes
the old. Only the token's SHA-256 is stored: the token itself is shown once, when issued. An
unknown or revoked token is "not found", like any record that is not there. Every issue,
revocation and feed read is audited (a read by its token has no actor).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from corneum.knowledge import KnowledgeBase
from corneum.records.accounts.tables import User
from corneum.records.audit import service as audit
from corneum.records.audit.tables import Action
from corneum.records.calendar.bookings.tables import Booking
from corneum.records.calendar.feeds import service as feeds
from corneum.records.calendar.feeds.tables import FeedToken
from corneum.records.clients.tables import Client
from corneum.records.errors import NotFoundError
from corneum.records.tenancy import audit_client, find_client

RESOURCE = "calendar_feed_link"
TOKEN_BYTES = 32


@dataclass(frozen=True, slots=True)
class Person:
    """Whose feed: exactly one of a client and a practitioner."""

    clinic_id: int
    client_id: int | None = None
    practitioner_id: int | None = None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def client_person(*, session: Session, clinic_id: int, client_id: int) -> Person:
    """The client as a feed's owner, if she is the clinic's."""
    client = find_client(session=session, clinic_id=clinic_id, client_id=client_id)
    return Person(clinic_id, client_id=client.id)


def practitioner_person(*, session: Session, actor: User, practitioner_id: int) -> Person:
    """The practitioner as a feed's owner: an admin may name any of the clinic's practitioners,
    a practitioner only herself (another's address is not hers to see or revoke)."""
    user = session.get(User, practitioner_id)
    mine = actor.role == "admin" or actor.id == practitioner_id
    if user is None or user.clinic_id != actor.clinic_id or user.role != "practitioner" or not mine:
        raise NotFoundError("practitioner", practitioner_id)
    return Person(actor.clinic_id, practitioner_id=user.id)


def issue(*, session: Session, person: Person, actor: int, now: datetime) -> str:
    """A new secret token for ``person``'s feed (any earlier one revoked); shown only now."""
    _revoke_live(session, person, now)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    row = FeedToken(
        clinic_id=person.clinic_id,
        client_id=person.client_id,
        practitioner_id=person.practitioner_id,
        token_sha256=token_hash(token),
        created_by=actor,
        created_at=now,
    )
    session.add(row)
    session.flush()
    _audit(session, person, actor=actor, action="create", row_id=row.id)
    return token


def revoke(*, session: Session, person: Person, actor: int, now: datetime) -> None:
    """Revoke ``person``'s live feed address, if she has one (revoking twice is no error)."""
    for row in _revoke_live(session, person, now):
        _audit(session, person, actor=actor, action="delete", row_id=row.id)


def live_since(*, session: Session, person: Person) -> datetime | None:
    """When ``person``'s live feed address was issued, or None when there is none."""
    row = session.scalars(_live(person)).first()
    return row.created_at if row else None


def feed_by_token(*, session: Session, token: str, kb: KnowledgeBase, now: datetime) -> str:
    """The feed a live ``token`` opens: a client's own appointments or a practitioner's
    bookings (without client names). An unknown or revoked token is not found."""
    row = session.scalars(
        select(FeedToken).where(
            FeedToken.token_sha256 == token_hash(token), FeedToken.revoked_at.is_(None)
        )
    ).first()
    if row is None:
        raise NotFoundError("feed", "for that address")
    if row.client_id is not None:
        client = session.get(Client, row.client_id)
        assert client is not None  # the row goes with its client (ON DELETE CASCADE)
        audit_client(session, actor=None, action="read", client=client, resource="calendar_feed")
        return feeds.client_calendar(session, client, kb, now)
    assert row.practitioner_id is not None  # the table's check: one of the two
    return _practitioner_calendar(session, row, kb, now)


def _practitioner_calendar(
    session: Session, row: FeedToken, kb: KnowledgeBase, now: datetime
) -> str:
    statement = select(Booking).where(
        Booking.practitioner_id == row.practitioner_id,
        Booking.starts_at < now + feeds.AHEAD,
        Booking.ends_at > now - feeds.PAST,
    )
    rows = list(session.scalars(statement.order_by(Booking.starts_at, Booking.id)))
    audit.record(
        session=session,
        actor_id=None,
        action="read",
        resource="calendar_feed",
        resource_id=row.practitioner_id,
        client_id=None,
        clinic_id=row.clinic_id,
        detail={"bookings": [b.id for b in rows]},
    )
    name = f"Practitioner {row.practitioner_id}"
    return feeds.calendar_text(session, row.clinic_id, name, rows, kb, now)


def _live(person: Person) -> Select[FeedToken]:
    return select(FeedToken).where(
        FeedToken.clinic_id == person.clinic_id,
        FeedToken.client_id.is_(None)
        if person.client_id is None
        else FeedToken.client_id == person.client_id,
        FeedToken.practitioner_id.is_(None)
        if person.practitioner_id is None
        else FeedToken.practitioner_id == person.practitioner_id,
        FeedToken.revoked_at.is_(None),
    )


def _revoke_live(session: Session, person: Person, now: datetime) -> list[FeedToken]:
    rows = list(session.scalars(_live(person)))
    for row in rows:
        row.revoked_at = now
    return rows


def _audit(session: Session, person: Person, *, actor: int, action: Action, row_id: int) -> None:
    if person.client_id is not None:
        client = session.get(Client, person.client_id)
        assert client is not None
        audit_client(
            session,
            actor=actor,
            action=action,
            client=client,
            resource=RESOURCE,
            resource_id=row_id,
        )
        return
    audit.record(
        session=session,
        actor_id=actor,
        action=action,
        resource=RESOURCE,
        resource_id=row_id,
        client_id=None,
        clinic_id=person.clinic_id,
        detail={"practitioner_id": person.practitioner_id},
    )
