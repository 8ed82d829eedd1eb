"""Secret calendar addresses from the web app: a client's, from her record (reception and
practitioners), and a practitioner's own, from her account page. A new address is shown once,
on a page of its own (only its hash is kept); stopping one sends the user back where she was."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from corneum.http.deps import ClockDep, PathId, SessionDep
from corneum.records.accounts.tables import User
from corneum.records.calendar.feeds import links as feed_links
from corneum.web.access import Csrf, PagePractitioner, PageStaff
from corneum.web.forms import see_other
from corneum.web.templating import render

router = APIRouter(include_in_schema=False)


def issued(
    request: Request,
    session: Session,
    user: User,
    person: feed_links.Person,
    now: datetime,
    back: str,
) -> Response:
    token = feed_links.issue(session=session, person=person, actor=user.id, now=now)
    url = str(request.url_for("feed_by_token", token=token))
    return render(request, "feed_link.html", {"user": user, "url": url, "back": back})


def client(session: Session, user: User, client_id: int) -> feed_links.Person:
    return feed_links.client_person(session=session, clinic_id=user.clinic_id, client_id=client_id)


@router.post("/clients/{client_id}/feed-link", dependencies=[Csrf])
def issue_client(
    request: Request, client_id: PathId, user: PageStaff, session: SessionDep, clock: ClockDep
) -> Response:
    person = feed_links.client_person(
        session=session, clinic_id=user.clinic_id, client_id=client_id
    )
    return issued(request, session, user, person, clock(), f"/clients/{client_id}")


@router.post("/clients/{client_id}/feed-link/revoke", dependencies=[Csrf])
def revoke_client(
    client_id: PathId, user: PageStaff, session: SessionDep, clock: ClockDep
) -> Response:
    person = feed_links.client_person(
        session=session, clinic_id=user.clinic_id, client_id=client_id
    )
    feed_links.revoke(session=session, person=person, actor=user.id, now=clock())
    return see_other(f"/clients/{client_id}#calendar-feed")


@router.post("/account/feed-link", dependencies=[Csrf])
def issue_own(
    request: Request, user: PagePractitioner, session: SessionDep, clock: ClockDep
) -> Response:
    person = feed_links.practitioner_person(session=session, actor=user, practitioner_id=user.id)
    return issued(request, session, user, person, clock(), "/account")


@router.post("/account/feed-link/revoke", dependencies=[Csrf])
def revoke_own(user: PagePractitioner, session: SessionDep, clock: ClockDep) -> Response:
    person = feed_links.practitioner_person(session=session, actor=user, practitioner_id=user.id)
    feed_links.revoke(session=session, person=person, actor=user.id, now=clock())
    return see_other("/account#calendar-feed")
