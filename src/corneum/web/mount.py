"""Putting the web app into the FastAPI application: static files, the pages' routers, and the
pages that refusals become."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response

from corneum.config import Settings
from corneum.http.csrf import csrf_key
from corneum.http.errors import not_found, storage_failed, storage_status
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


async def _sign_in_first(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SignInRequiredError)
    return see_other(f"/login?next={exc.then}")


async def _refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageRefusedError)
    context = {"message": exc.message}
    return render(request, "error.html", context, status_code=exc.status_code)


async def _not_found(request: Request, exc: Exception) -> Response:
    """Problem details for the API, a page for the web app."""
    if request.url.path.startswith("/api/"):
        return await not_found(request, exc)
    return render(request, "error.html", {"message": messages.NOT_FOUND}, status_code=404)


async def _storage(request: Request, exc: Exception) -> Response:
    """Problem details for the API (507 or 503), a page for the web app."""
    assert isinstance(exc, StorageError)
    if request.url.path.startswith("/api/"):
        return await storage_failed(request, exc)
    status = storage_status(exc)
    message = messages.STORAGE_FULL if exc.full else messages.STORAGE_FAILED
    return render(request, "error.html", {"message": message}, status_code=status)


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
