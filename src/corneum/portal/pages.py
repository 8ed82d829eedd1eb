"""Signing in to the portal: the personal link, then the one-time code (or the date of
birth), then the client's own pages; and signing out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from corneum.http.deps import ClockDep, SessionDep
from corneum.http.links import PORTAL_OPEN
from corneum.portal import messages
from corneum.portal.access import (
    LINK_COOKIE,
    SESSION_COOKIE,
    Csrf,
    PortalRefusedError,
    session_token,
    sign,
)
from corneum.portal.templating import PATH, browser_language, portal_of, render, set_cookie
from corneum.records.portal import signin
from corneum.records.portal.service import audit_by_client
from corneum.records.portal.signin import SESSION_LIFETIME, LinkRefusedError, OpenLink

router = APIRouter(include_in_schema=False)
LINK_COOKIE_SECONDS = 3600
Answer = Annotated[str, Form(max_length=20)]


def see_other(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


@router.get(PORTAL_OPEN + "/{token}")
def open_link(request: Request, token: str, session: SessionDep, clock: ClockDep) -> Response:
    """Keep the link's token in a cookie and move on to a page whose address holds none."""
    opened = _opened(session, token, clock)
    audit_by_client(session, opened.client, "read", "portal_link", opened.link.id)
    response = see_other(f"{PATH}/sign-in")
    secure = portal_of(request).secure_cookies
    set_cookie(response, LINK_COOKIE, token, LINK_COOKIE_SECONDS, secure)
    return response


def _opened(session: SessionDep, token: str, clock: ClockDep) -> OpenLink:
    try:
        return signin.open_link(session=session, token=token, now=clock())
    except LinkRefusedError as refused:
        raise refusal(refused) from None


def refusal(refused: LinkRefusedError) -> PortalRefusedError:
    """The page a link that cannot sign in shows (404 for one never made, else 410)."""
    status = 404 if refused.problem == "unknown" else 410
    return PortalRefusedError(status, messages.LINK_REFUSED[refused.problem], None)


def _link_token(request: Request) -> str:
    token = request.cookies.get(LINK_COOKIE)
    if not token:
        raise PortalRefusedError(404, messages.SIGNED_OUT, None)
    return token


@router.get(PATH + "/sign-in")
def sign_in_page(request: Request, session: SessionDep, clock: ClockDep) -> Response:
    """The code (or date of birth) the link's client must give."""
    token = _link_token(request)
    return _sign_in(request, _opened(session, token, clock), token, clock)


def _sign_in(
    request: Request,
    opened: OpenLink,
    token: str,
    clock: ClockDep,
    *,
    notice: str | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    link = opened.link
    code_live = link.code_expires_at is not None and link.code_expires_at > clock()
    context = {
        "check": opened.check,
        "contact": opened.contact,
        "code_live": code_live,
        "notice": notice,
        "error": error,
        "no_birth_date": opened.client.date_of_birth is None,
    }
    return render(
        request,
        "sign_in.html",
        context,
        language=opened.language,
        bound_to=token,
        status_code=status_code,
    )


@router.post(PATH + "/code", dependencies=[Csrf])
def send_code(request: Request, session: SessionDep, clock: ClockDep) -> Response:
    """Send a one-time code to the client's e-mail on record."""
    token = _link_token(request)
    try:
        outcome = signin.send_code(session=session, token=token, now=clock())
    except LinkRefusedError as refused:
        raise refusal(refused) from None
    notices = {"sent": messages.CODE_SENT, "wait": messages.CODE_WAIT}
    opened = _opened(session, token, clock)
    return _sign_in(request, opened, token, clock, notice=notices.get(outcome, messages.NO_CONTACT))


@router.post(PATH + "/sign-in", dependencies=[Csrf])
def sign_in(request: Request, answer: Answer, session: SessionDep, clock: ClockDep) -> Response:
    """Check the answer; signed in, the client goes to her appointments."""
    token = _link_token(request)
    try:
        result = signin.sign_in(session=session, token=token, answer=answer, now=clock())
    except LinkRefusedError as refused:
        raise refusal(refused) from None
    if result.outcome == "spent":  # a page, not a refusal: the count must be committed
        context = {"message": messages.LINK_REFUSED["spent"], "values": {}}
        language = browser_language(request)
        return render(request, "message.html", context, language=language, status_code=410)
    if result.token is None:
        opened = _opened(session, token, clock)
        wrong = messages.WRONG_CODE if opened.check == "code" else messages.WRONG_BIRTH_DATE
        return _sign_in(request, opened, token, clock, error=wrong, status_code=422)
    response = see_other(PATH)
    secure = portal_of(request).secure_cookies
    value = sign(portal_of(request).csrf_key, result.token)
    set_cookie(response, SESSION_COOKIE, value, int(SESSION_LIFETIME.total_seconds()), secure)
    response.delete_cookie(LINK_COOKIE, path=PATH)
    return response


@router.post(PATH + "/sign-out", dependencies=[Csrf])
def sign_out(request: Request, session: SessionDep, clock: ClockDep) -> Response:
    """End the portal session, here and on the server."""
    token = session_token(request)
    if token is not None:
        signin.sign_out(session=session, token=token, now=clock())
    response = see_other(PATH + "/signed-out")
    response.delete_cookie(SESSION_COOKIE, path=PATH)
    return response


@router.get(PATH + "/signed-out")
def signed_out(request: Request) -> Response:
    return render(
        request,
        "message.html",
        {"message": messages.SIGNED_OUT, "values": {}},
        language=browser_language(request),
    )
