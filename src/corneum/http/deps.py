"""Request dependencies: one database session per request (the unit of work: ``SessionDep``,
or ``WriteSessionDep`` for the calendar's writes, queued and holding SQLite's write lock from
the start), the clock, and the signed-in user with the roles a route needs. This module and
:mod:`corneum.db.engine` are the one place that decides transactions and the write lock.

Dependencies that do no I/O are ``async``: FastAPI runs a plain function in its thread pool,
and each such hop costs more than the work itself."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from datetime import datetime
from typing import Annotated, Any, TypeVar

from fastapi import Depends, HTTPException, Path, Request, Response, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from corneum.config import Settings
from corneum.db.engine import take_write_lock
from corneum.http.paging import Limit, Offset, Paged, Paged50, PageWindow
from corneum.knowledge import KnowledgeBase
from corneum.records.accounts.tables import Role, User
from corneum.records.auth import service as auth
from corneum.records.auth.guard import SignInGuard
from corneum.records.auth.tables import TokenKind
from corneum.records.fields import MAX_INTEGER
from corneum.records.outcomes.photos import PhotoStore

__all__ = ["Limit", "Offset", "PageWindow", "Paged", "Paged50"]  # where route modules find them


def get_session(request: Request) -> Iterator[Session]:
    """Commit once when the route returns, before the response is sent; roll back on error."""
    session: Session = request.app.state.sessions()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


async def get_write_session(request: Request) -> AsyncIterator[Session]:
    """Like :func:`get_session` (commit once at the end, roll back on error), with SQLite's
    write lock taken at the start (:func:`corneum.db.engine.take_write_lock`).

    Writers first queue on an asyncio semaphore: waiting there holds neither a worker thread nor
    a pooled connection. Without it, 50 simultaneous bookings fill the pool and the thread pool
    with requests that wait on each other, and the one that could finish gets no thread."""
    async with _writers(request):
        session: Session = request.app.state.sessions()
        try:
            await run_in_threadpool(take_write_lock, session)
            yield session
            await run_in_threadpool(session.commit)
        except BaseException:
            await run_in_threadpool(session.rollback)
            raise
        finally:
            await run_in_threadpool(session.close)


CONCURRENT_WRITERS = 4
"""Booking writers at once on PostgreSQL: below the connection pool's 5, so reads still get a
connection. SQLite takes one at a time (it has one writer anyway): a fair queue, where its busy
handler polls and may give up."""


def _writers(request: Request) -> asyncio.Semaphore:
    """The app's queue of booking writers, made on first use (in the event loop)."""
    writers: asyncio.Semaphore | None = getattr(request.app.state, "calendar_writers", None)
    if writers is None:
        sqlite = str(request.app.state.settings.database_url).startswith("sqlite")
        writers = asyncio.Semaphore(1 if sqlite else CONCURRENT_WRITERS)
        request.app.state.calendar_writers = writers
    return writers


WriteSessionDep = Annotated[Session, Depends(get_write_session, scope="function")]


async def get_clock(request: Request) -> Callable[[], datetime]:
    clock: Callable[[], datetime] = request.app.state.clock
    return clock


async def get_knowledge(request: Request) -> KnowledgeBase:
    kb: KnowledgeBase = request.app.state.knowledge
    return kb


async def get_sign_in_guard(request: Request) -> SignInGuard:
    guard: SignInGuard = request.app.state.sign_in_guard
    return guard


def client_address(request: Request) -> str:
    """The address the request came from (as uvicorn gives it: behind a trusted proxy, the
    client's), what sign-in limits are counted by."""
    return request.client.host if request.client else "unknown"


async def release(session: Session) -> None:
    """End the request session's transaction now (committing what it read: the signed-in check),
    so no lock is held while a password is hashed; the session opens a new one if used again."""
    await run_in_threadpool(session.commit)


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
SignInGuardDep = Annotated[SignInGuard, Depends(get_sign_in_guard)]
ClockDep = Annotated[Callable[[], datetime], Depends(get_clock)]
KnowledgeDep = Annotated[KnowledgeBase, Depends(get_knowledge)]
PathId = Annotated[int, Path(ge=1, le=MAX_INTEGER, description="A record's id")]
"""A record's id in a path: a number no id can be is 422, never an overflow in the database."""
_bearer = HTTPBearer(auto_error=False, description="A token from POST /api/auth/token")
SESSION_COOKIE = "corneum_session"
SAFE_METHODS = frozenset({"GET", "HEAD"})


async def current_user(
    request: Request,
    session: SessionDep,
    clock: ClockDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User:
    """The user whose bearer token came with the request; 401 without a valid one.

    The web app's session cookie is honoured for reads only: a cookie rides along on requests
    other sites make, so a write needs a bearer token (or, in the web app, a CSRF token).
    The token is looked up in the database on every request (one query, in the thread pool),
    so a revocation holds in every server process at once."""
    presented = _presented_token(request, credentials)
    user = None
    if presented is not None:
        token, kind = presented
        user = await run_in_threadpool(
            auth.user_for_token, session=session, token=token, now=clock(), kind=kind
        )
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="not signed in: send a bearer token from POST /api/auth/token",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user


def _presented_token(
    request: Request, credentials: HTTPAuthorizationCredentials | None
) -> tuple[str, TokenKind] | None:
    if credentials is not None:
        return credentials.credentials, "bearer"
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie and request.method in SAFE_METHODS:
        return cookie, "cookie"
    return None


CurrentUser = Annotated[User, Depends(current_user)]


ROLE_CHECKS: set[Callable[..., Any]] = set()
"""The dependencies that refuse (403) a signed-in user without the role a route needs; the
API's schema declares 401 and 403 for every route that depends on one."""
C = TypeVar("C", bound=Callable[..., Any])


def role_check(check: C) -> C:
    """Mark ``check`` as a dependency that signs the user in and checks her role."""
    ROLE_CHECKS.add(check)
    return check


def require(*roles: Role) -> Callable[[User], Coroutine[Any, Any, User]]:
    """A dependency that lets through only users with one of ``roles``; 403 for the rest."""

    async def check(user: CurrentUser) -> User:
        if user.role not in roles:
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                detail=f"this needs the role {' or '.join(roles)}; you are {user.role}",
            )
        return user

    return role_check(check)


Admin = Annotated[User, Depends(require("admin"))]
Practitioner = Annotated[User, Depends(require("practitioner"))]


STAFF: tuple[Role, ...] = ("practitioner", "reception")
"""Everyone who deals with clients: practitioners and reception."""
EVERYONE: tuple[Role, ...] = ("admin", "practitioner", "reception")

Anyone = Annotated[User, Depends(require(*EVERYONE))]


@role_check
async def staff_writing(
    request: Request,
    session: WriteSessionDep,
    clock: ClockDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User:
    """The signed-in practitioner or receptionist, checked within the calendar's write session
    (queued, holding SQLite's write lock from the start)."""
    user = await current_user(request, session, clock, credentials)
    if user.role not in STAFF:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            detail=f"this needs the role practitioner or reception; you are {user.role}",
        )
    return user


StaffWriting = Annotated[User, Depends(staff_writing)]


async def photo_store(request: Request) -> PhotoStore:
    settings: Settings = request.app.state.settings
    return PhotoStore(settings.photo_dir, settings.photo_max_bytes)


PhotoStoreDep = Annotated[PhotoStore, Depends(photo_store)]


def set_session_cookie(response: Response, token: str, *, secure: bool) -> None:
    """The web app's session cookie, set by the API's cookie sign-in and the log-in page."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(auth.TOKEN_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=secure,
        path="/",
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")


Staff = Annotated[User, Depends(require(*STAFF))]
