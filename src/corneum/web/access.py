"""Who may see a page: the signed-in user from the session cookie, their role, and the CSRF
check on every form post. Refusals are exceptions the app turns into pages (see
:mod:`corneum.web.mount`), so route functions stay free of authorisation code."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from corneum.api.deps import SESSION_COOKIE, ClockDep, SessionDep
from corneum.records.accounts.tables import Role, User
from corneum.records.auth import service as auth
from corneum.web import messages
from corneum.web.csrf import CSRF_COOKIE, CSRF_FIELD, CSRF_HEADER, token_is_valid
from corneum.web.forms import refuse_nul
from corneum.web.templating import web_of


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
    """Refuse (403) a form post without a valid token, in the form or the ``X-CSRF-Token``
    header (htmx sends it there)."""
    token = request.headers.get(CSRF_HEADER)
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
    now = clock()
    user = auth.remembered_user(token=token, now=now, kind="cookie")
    if user is None:
        user = await run_in_threadpool(
            auth.user_for_token, session=session, token=token, now=now, kind="cookie"
        )
    return user


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
PageStaff = Annotated[User, Depends(allow("practitioner", "reception"))]
"""Everyone who deals with clients; an administrator sees no client records."""
