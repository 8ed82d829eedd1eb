"""Putting the portal into the FastAPI application: its pages' routers and the pages its
refusals become."""

from __future__ import annotations

from fastapi import FastAPI, Request
from starlette.responses import Response

from corneum.config import Settings
from corneum.http.csrf import csrf_key
from corneum.portal import appointments, messages, pages
from corneum.portal.access import PortalRefusedError, PortalSignInRequiredError
from corneum.portal.templating import browser_language, make_portal, render

AREAS = (pages, appointments)
"""Every module of portal pages; each has its ``router``."""


async def _refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PortalRefusedError)
    context = {"message": exc.message, "values": exc.values}
    language = exc.language or browser_language(request)
    return render(request, "message.html", context, language=language, status_code=exc.status_code)


async def _signed_out(request: Request, exc: Exception) -> Response:
    context = {"message": messages.SIGNED_OUT, "values": {}}
    language = browser_language(request)
    return render(request, "message.html", context, language=language, status_code=401)


def install_portal(app: FastAPI, settings: Settings) -> None:
    """Serve the portal's pages from ``app`` under ``/portal``."""
    app.state.portal = make_portal(csrf_key(settings), secure_cookies=settings.mode == "production")
    for area in AREAS:
        app.include_router(area.router)
    app.add_exception_handler(PortalRefusedError, _refused)
    app.add_exception_handler(PortalSignInRequiredError, _signed_out)
