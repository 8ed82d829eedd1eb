"""Putting the web app into the FastAPI application: static files, the pages' routers, and the
pages that refusals become."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.responses import Response

from corneum.config import Settings
from corneum.http.csrf import csrf_key
from corneum.http.errors import not_found, storage_failed, storage_status
from corneum.http.problems import field_path
from corneum.phrase import N_
from corneum.records.errors import NotFoundError, StorageError
from corneum.web import messages
from corneum.web.access import PageRefusedError, SignInRequiredError
from corneum.web.accounts import pages as account
from corneum.web.auth import pages as signin
from corneum.web.calendar import bookings, day, today, waitlist
from corneum.web.calendar import feeds as feed_links
from corneum.web.calendar import pages as calendar
from corneum.web.clients import form as client_form
from corneum.web.clients import pages as clients
from corneum.web.consents import pages as consent
from corneum.web.consultations import pages as consultations
from corneum.web.forms import see_other
from corneum.web.handouts import pages as handouts
from corneum.web.outcomes import pages as outcomes
from corneum.web.patch_tests import pages as patch_tests
from corneum.web.plans import pages as plans
from corneum.web.portal_links import pages as portal_links
from corneum.web.sessions import pages as protocol
from corneum.web.settings import pages as settings_pages
from corneum.web.templating import make_web, render

STATIC_DIR = Path(__file__).parent / "static"
AREAS = (
    signin,
    today,
    client_form,
    clients,
    consultations,
    handouts,
    protocol,
    plans,
    calendar,
    bookings,
    day,
    waitlist,
    consent,
    outcomes,
    account,
    feed_links,
    settings_pages,
    portal_links,
    patch_tests,
)
"""Every module of pages; each has its ``router``."""
Handler = Callable[[Request, Exception], Response | Awaitable[Response]]
API_PREFIX = "/api/"
"""Paths under it answer problem details; every other path answers a page."""
HEADINGS = {
    403: N_("No access"),
    404: N_("Page not found"),
    405: N_("Not possible"),
    422: N_("This address is not valid"),
}
STATUS_MESSAGES = {
    403: messages.FORBIDDEN,
    404: messages.NOT_FOUND,
    405: N_("This page cannot be used that way: follow a link or a button to it."),
}
BAD_ADDRESS = N_("Check the link: this part of the page's address is not valid: %(fields)s.")
REFUSED = N_("The request was refused.")


async def _sign_in_first(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SignInRequiredError)
    return see_other(f"/login?next={exc.then}")


async def _refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageRefusedError)
    return error_page(request, exc.status_code, exc.message)


def error_page(request: Request, status: int, message: str, **values: str) -> Response:
    """The error page in the user's language, with a heading for its status."""
    context = {"message": message, "values": values, "heading": HEADINGS.get(status)}
    return render(request, "error.html", context, status_code=status)


async def _not_found(request: Request, exc: Exception) -> Response:
    """Problem details for the API, a page for the web app."""
    if request.url.path.startswith(API_PREFIX):
        return await not_found(request, exc)
    return error_page(request, 404, messages.NOT_FOUND)


async def _storage(request: Request, exc: Exception) -> Response:
    """Problem details for the API (507 or 503), a page for the web app."""
    assert isinstance(exc, StorageError)
    if request.url.path.startswith(API_PREFIX):
        return await storage_failed(request, exc)
    message = messages.STORAGE_FULL if exc.full else messages.STORAGE_FAILED
    return error_page(request, storage_status(exc), message)


async def _answer(handler: Handler, request: Request, exc: Exception) -> Response:
    """What an exception handler registered before (sync or async) answers."""
    answer = handler(request, exc)
    return await answer if inspect.isawaitable(answer) else answer


def _pages_beside(app: FastAPI) -> None:
    """Outside ``/api/``, a refusal of the framework's own (an unknown path, a malformed id
    or date in a page's address) answers a page in the user's language, not problem details."""
    api_http = app.exception_handlers[HTTPException]
    api_invalid = app.exception_handlers[RequestValidationError]

    async def http_refused(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if request.url.path.startswith(API_PREFIX) or exc.status_code < 400:
            return await _answer(api_http, request, exc)
        message = STATUS_MESSAGES.get(exc.status_code, REFUSED)
        return error_page(request, exc.status_code, message)

    async def invalid_address(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        if request.url.path.startswith(API_PREFIX):
            return await _answer(api_invalid, request, exc)
        fields = ", ".join(sorted({field_path(error["loc"]) for error in exc.errors()}))
        return error_page(request, 422, BAD_ADDRESS, fields=fields)

    app.add_exception_handler(HTTPException, http_refused)
    app.add_exception_handler(RequestValidationError, invalid_address)


def install_web(app: FastAPI, settings: Settings) -> None:
    """Serve the pages and ``/static`` from ``app``."""
    app.state.web = make_web(csrf_key(settings), secure_cookies=settings.mode == "production")
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for area in AREAS:
        app.include_router(area.router)
    app.add_exception_handler(SignInRequiredError, _sign_in_first)
    app.add_exception_handler(PageRefusedError, _refused)
    app.add_exception_handler(NotFoundError, _not_found)
    app.add_exception_handler(StorageError, _storage)
    _pages_beside(app)
