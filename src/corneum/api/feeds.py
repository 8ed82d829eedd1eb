"""Secret feed addresses over HTTP: staff issue and revoke them; a calendar app reads a feed by
its address alone. An unknown or revoked address answers 404, like a record that is not there."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response, status

from corneum.http.deps import ClockDep, KnowledgeDep, PathId, SessionDep, Staff, require
from corneum.records.accounts.tables import User
from corneum.records.calendar.feeds import links as feed_links
from corneum.records.calendar.feeds.schemas import FeedLinkRead

router = APIRouter(prefix="/api", tags=["calendar"])
ICS = "text/calendar; charset=utf-8"
Owner = Annotated[User, Depends(require("practitioner", "admin"))]
Token = Annotated[str, Path(max_length=128, description="The secret part of a feed address")]


def feed_url(request: Request, token: str) -> str:
    """The absolute address of the feed ``token`` opens."""
    return str(request.url_for("feed_by_token", token=token))


def issued(
    request: Request, session: SessionDep, person: feed_links.Person, user: User, clock: ClockDep
) -> FeedLinkRead:
    now = clock()
    token = feed_links.issue(session=session, person=person, actor=user.id, now=now)
    return FeedLinkRead(url=feed_url(request, token), issued_at=now)


@router.post(
    "/clients/{client_id}/feed-link",
    status_code=status.HTTP_201_CREATED,
    response_model=FeedLinkRead,
)
def issue_client_link(
    request: Request, client_id: PathId, user: Staff, session: SessionDep, clock: ClockDep
) -> FeedLinkRead:
    """A new secret address of the client's appointments feed (any earlier one stops working)."""
    person = feed_links.client_person(
        session=session, clinic_id=user.clinic_id, client_id=client_id
    )
    return issued(request, session, person, user, clock)


@router.delete("/clients/{client_id}/feed-link", status_code=status.HTTP_204_NO_CONTENT)
def revoke_client_link(
    client_id: PathId, user: Staff, session: SessionDep, clock: ClockDep
) -> None:
    """Stop the client's secret feed address from working."""
    person = feed_links.client_person(
        session=session, clinic_id=user.clinic_id, client_id=client_id
    )
    feed_links.revoke(session=session, person=person, actor=user.id, now=clock())


@router.post(
    "/practitioners/{practitioner_id}/feed-link",
    status_code=status.HTTP_201_CREATED,
    response_model=FeedLinkRead,
)
def issue_practitioner_link(
    request: Request, practitioner_id: PathId, user: Owner, session: SessionDep, clock: ClockDep
) -> FeedLinkRead:
    """A new secret address of the practitioner's feed: hers, or any of the clinic's for an
    admin (any earlier one stops working)."""
    person = feed_links.practitioner_person(
        session=session, actor=user, practitioner_id=practitioner_id
    )
    return issued(request, session, person, user, clock)


@router.delete("/practitioners/{practitioner_id}/feed-link", status_code=status.HTTP_204_NO_CONTENT)
def revoke_practitioner_link(
    practitioner_id: PathId, user: Owner, session: SessionDep, clock: ClockDep
) -> None:
    """Stop the practitioner's secret feed address from working."""
    person = feed_links.practitioner_person(
        session=session, actor=user, practitioner_id=practitioner_id
    )
    feed_links.revoke(session=session, person=person, actor=user.id, now=clock())


@router.get("/feeds/{token}.ics", response_class=Response, name="feed_by_token")
def feed_by_token(token: Token, session: SessionDep, kb: KnowledgeDep, clock: ClockDep) -> Response:
    """The feed a secret address opens, for a calendar app: no sign-in, 404 once revoked."""
    text = feed_links.feed_by_token(session=session, token=token, kb=kb, now=clock())
    return Response(text, media_type=ICS, headers={"Cache-Control": "private, no-store"})
