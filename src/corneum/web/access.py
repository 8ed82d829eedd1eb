"""Who may see a page: the signed-in user from the session cookie, their role, and the CSRF
check on every form post. Refusals are exceptions the app turns into pages (see
:mod:`corneum.web.mount`), so route functions stay free of authorisation code."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import tzinfo
from functools import cache, partial
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response
from starlette.types import Scope

from corneum.http.csrf import CSRF_COOKIE, CSRF_FIELD, CSRF_HEADER, token_is_valid
from corneum.http.deps import SESSION_COOKIE, STAFF, ClockDep, SessionDep, WriteSessionDep
from corneum.records.accounts.tables import Role, User
from corneum.records.auth import service as auth
from corneum.records.clinic_time import clinic_clock
from corneum.web import messages
from corneum.web.forms import refuse_nul, see_other
from corneum.web.templating import render, web_of


class SignInRequiredError(Exception):
    """The page needs a signed-in user; the browser is sent to the log-in page."""

    def __init__(self, then: str) -> None:
        super().__init__("sign-in required")
        self.then = then


class PageRefusedError(Exception):
    """A page or form refused, shown as an error page with ``status_code``."""

    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.message = message


async def check_csrf(request: Request) -> None:
    """Refuse (403) a form post without a valid token, in the form, the ``X-CSRF-Token``
    header (htmx sends it there) or the query string (a file upload's form puts it there, so
    it is checked before the file is read: see :func:`refuse_unread_upload`)."""
    token = request.headers.get(CSRF_HEADER) or request.query_params.get(CSRF_FIELD)
    if token is None:
        form = refuse_nul(await request.form())
        field = form.get(CSRF_FIELD)
        token = field if isinstance(field, str) else None
    valid = token_is_valid(
        web_of(request).csrf_key,
        request.cookies.get(CSRF_COOKIE),
        request.cookies.get(SESSION_COOKIE),
        token,
    )
    if not valid:
        raise PageRefusedError(403, messages.CSRF_REFUSED)


Csrf = Depends(check_csrf)


async def optional_user(request: Request, session: SessionDep, clock: ClockDep) -> User | None:
    """The user the session cookie belongs to, or None."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    user = await run_in_threadpool(
        auth.user_for_token, session=session, token=token, now=clock(), kind="cookie"
    )
    if user is not None:
        # Looked up through this request's session, and only if the page shows a moment.
        request.state.clinic_zone = cache(partial(clinic_zone, session, user.clinic_id))
    return user


def clinic_zone(session: Session, clinic_id: int) -> tzinfo:
    return clinic_clock(session, clinic_id).zone


MaybeUser = Annotated[User | None, Depends(optional_user)]


async def page_user(request: Request, user: MaybeUser) -> User:
    """The signed-in user; anyone else is sent to sign in, then back here (for a form posted
    after the sign-in ran out, back to the home page: its address answers only posts)."""
    if user is None:
        raise SignInRequiredError(request.url.path if request.method == "GET" else "/")
    return user


PageUser = Annotated[User, Depends(page_user)]


def allow(*roles: Role) -> Callable[[User], Coroutine[Any, Any, User]]:
    """A dependency letting through only users with one of ``roles``."""

    async def check(user: PageUser) -> User:
        if user.role not in roles:
            raise PageRefusedError(403, messages.FORBIDDEN)
        return user

    return check


PagePractitioner = Annotated[User, Depends(allow("practitioner"))]
PageStaff = Annotated[User, Depends(allow(*STAFF))]
"""Everyone who deals with clients; an administrator sees no client records."""


async def staff_writing_page(request: Request, session: WriteSessionDep, clock: ClockDep) -> User:
    """The signed-in practitioner or receptionist, read within the calendar's write session:
    on SQLite that session takes the write lock before anything reads (see
    :func:`corneum.http.deps.get_write_session`), and one session serves the whole post."""
    user = await optional_user(request, session, clock)
    if user is None:
        raise SignInRequiredError(request.url.path)
    if user.role not in STAFF:
        raise PageRefusedError(403, messages.FORBIDDEN)
    return user


PageStaffWriting = Annotated[User, Depends(staff_writing_page)]


def refuse_unread_upload(scope: Scope) -> Response | None:
    """The refusal of a file upload (a multipart form) to a page, decided before its body is
    read, or None to read it: without the session cookie the browser is sent to sign in, and
    without a valid CSRF token in the header or the query string the post is refused (403).
    So nobody can make the server receive and spool a large file without being signed in."""
    if scope["path"].startswith("/api/") or scope["method"] != "POST":
        return None
    request = Request(scope)
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        return None
    if not request.cookies.get(SESSION_COOKIE):
        return see_other("/login?next=/")
    token = request.headers.get(CSRF_HEADER) or request.query_params.get(CSRF_FIELD)
    valid = token_is_valid(
        web_of(request).csrf_key,
        request.cookies.get(CSRF_COOKIE),
        request.cookies.get(SESSION_COOKIE),
        token,
    )
    if valid:
        return None
    return render(request, "error.html", {"message": messages.CSRF_REFUSED}, status_code=403)
