"""The API's documentation: ``/docs`` (Swagger UI), ``/redoc`` and ``/openapi.json``, served
from files shipped in a wheel (``fastapi-offline``), never from a CDN, so they work on a clinic
network with no way out; and only where ``CORNEUM_API_DOCS`` allows (by default in development
and demo mode, not in production, where the schema would map the API for anyone who asks)."""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.staticfiles import StaticFiles
from starlette.responses import HTMLResponse

from corneum.config import Settings

ASSETS = Path(fastapi_offline.__file__).parent / "static"
ASSETS_URL = "/docs-static"
OPENAPI_URL = "/openapi.json"
DOCS_PATHS = ("/docs", "/redoc", ASSETS_URL)
"""Where the documentation lives: its pages need a looser Content-Security-Policy (Swagger UI
starts from an inline script)."""


def docs_enabled(settings: Settings) -> bool:
    return settings.api_docs if settings.api_docs is not None else settings.mode != "production"


def openapi_url(settings: Settings) -> str | None:
    return OPENAPI_URL if docs_enabled(settings) else None


def install_docs(app: FastAPI, settings: Settings) -> None:
    """Serve the documentation pages and their assets from ``app``, if the settings allow."""
    if not docs_enabled(settings):
        return
    app.mount(ASSETS_URL, StaticFiles(directory=ASSETS), name="docs-static")
    redirect = app.swagger_ui_oauth2_redirect_url or "/docs/oauth2-redirect"

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=OPENAPI_URL,
            title=f"{app.title} - API",
            oauth2_redirect_url=redirect,
            swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_URL}/favicon.png",
        )

    @app.get(redirect, include_in_schema=False)
    def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=OPENAPI_URL,
            title=f"{app.title} - API",
            redoc_js_url=f"{ASSETS_URL}/redoc.standalone.js",
            redoc_favicon_url=f"{ASSETS_URL}/favicon.png",
            with_google_fonts=False,
        )
