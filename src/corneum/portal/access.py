"""Who is looking at a portal page: the client whose portal session the signed
``corneum_portal`` cookie names (never a staff account: the staff's cookie is not read here,
and this one is sent to ``/portal`` only), and the CSRF check of every portal form.
Refusals are exceptions the portal turns into pages (see :mod:`corneum.portal.mount`)."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from corneum.http.csrf import CSRF_FIELD, token_is_valid
from corneum.http.deps import ClockDep, SessionDep, WriteSessionDep
from corneum.portal import messages
from corneum.portal.templating import CSRF_COOKIE, portal_of
from corneum.records.accounts.tables import Language
from corneum.records.clients.tables import Client
from corneum.records.portal import signin
from corneum.records.portal.service import client_language

LINK_COOKIE = "corneum_portal_link"
"""The personal link's token, between opening the link and signing in."""
SESSION_COOKIE = "corneum_portal"
"""The client's portal session: its token and the server's signature of it."""


class PortalSignInRequiredError(Exception):
    """The page needs a signed-in client."""


class PortalRefusedError(Exception):
    """A portal page or form refused, shown as a page in ``language`` with ``status_code``."""

    def __init__(
        self,
        status_code: int,
        message: str,
        language: Language | None,
        values: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.message = message
        self.language = language
        self.values = dict(values or {})
        """What the message's placeholders are filled with."""


@dataclass(frozen=True, slots=True)
class SignedIn:
    """The signed-in client, the language she reads, and her session's token (which the
    CSRF tokens of her forms are bound to)."""

    client: Client
    language: Language
    token: str


def sign(key: bytes, token: str) -> str:
    """The session cookie's value: the token and an HMAC of it under the server's key."""
    mac = hmac.new(key, token.encode(), hashlib.sha256).hexdigest()
    return f"{token}.{mac}"


def unsign(key: bytes, value: str | None) -> str | None:
    """The token in a session cookie the server signed; None for anything else."""
    token, _, mac = (value or "").rpartition(".")
    if not token or not hmac.compare_digest(sign(key, token), f"{token}.{mac}"):
        return None
    return token


def session_token(request: Request) -> str | None:
    return unsign(portal_of(request).csrf_key, request.cookies.get(SESSION_COOKIE))


async def _signed_in(request: Request, session: Session, clock: ClockDep) -> SignedIn:
    token = session_token(request)
    if token is None:
        raise PortalSignInRequiredError
    client = await run_in_threadpool(
        signin.signed_in_client, session=session, token=token, now=clock()
    )
    if client is None:
        raise PortalSignInRequiredError
    return SignedIn(client, client_language(session, client.id), token)


async def portal_client(request: Request, session: SessionDep, clock: ClockDep) -> SignedIn:
    """The signed-in client, read in the request's session."""
    return await _signed_in(request, session, clock)


async def portal_client_writing(
    request: Request, session: WriteSessionDep, clock: ClockDep
) -> SignedIn:
    """The signed-in client, read in the calendar's write session (for a cancellation)."""
    return await _signed_in(request, session, clock)


PortalClient = Annotated[SignedIn, Depends(portal_client)]
PortalClientWriting = Annotated[SignedIn, Depends(portal_client_writing)]


async def check_csrf(request: Request) -> None:
    """Refuse (403) a portal form without a token made for this browser and this client's
    link or session."""
    form = await request.form()
    token = form.get(CSRF_FIELD)
    bound = session_token(request) or request.cookies.get(LINK_COOKIE)
    valid = token_is_valid(
        portal_of(request).csrf_key,
        request.cookies.get(CSRF_COOKIE),
        bound,
        token if isinstance(token, str) else None,
    )
    if not valid:
        raise PortalRefusedError(403, messages.FORM_REFUSED, None)


Csrf = Depends(check_csrf)
