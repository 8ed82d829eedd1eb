"""The FastAPI application, built by :func:`create_app` from explicit settings."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from fastapi import FastAPI

import corneum.records.tables  # noqa: F401  (every table registered, whatever the routes import)
from corneum import __version__
from corneum.api import knowledge
from corneum.api.access_log import AccessLogMiddleware
from corneum.api.docs import install_docs, openapi_url
from corneum.api.errors import install_error_handlers
from corneum.api.failures import UnhandledErrorMiddleware
from corneum.api.headers import SecurityHeadersMiddleware
from corneum.api.nul_guard import NulGuardMiddleware
from corneum.config import Settings
from corneum.db.engine import make_engine, request_session_factory
from corneum.knowledge import default_knowledge_base
from corneum.records.accounts import routes as account_routes
from corneum.records.audit import routes as audit_routes
from corneum.records.auth import routes as auth_routes
from corneum.records.calendar import routes as calendar_routes
from corneum.records.clients import routes as client_routes
from corneum.records.consents import routes as consent_routes
from corneum.records.consultations import routes as consultation_routes
from corneum.records.outcomes import routes as outcome_routes
from corneum.records.plans import routes as plan_routes
from corneum.records.privacy import routes as privacy_routes
from corneum.records.sessions import routes as session_routes
from corneum.web.mount import install_web

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def create_app(settings: Settings, *, clock: Clock = utc_now) -> FastAPI:
    """An application for ``settings``. Refuses insecure production settings; the database
    engine is made when the app starts serving and disposed when it stops."""
    settings.check_secure()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.database_url)
        app.state.sessions = request_session_factory(engine)
        try:
            yield
        finally:
            engine.dispose()

    app = FastAPI(
        title="Corneum",
        version=__version__,
        summary="Skin cleansing and exfoliation care for clinics",
        lifespan=lifespan,
        docs_url=None,  # served from local files, if at all: see install_docs
        redoc_url=None,
        openapi_url=openapi_url(settings),
    )
    app.state.settings = settings
    app.state.clock = clock
    app.state.knowledge = default_knowledge_base()
    install_error_handlers(app)
    install_docs(app, settings)
    app.add_middleware(NulGuardMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(UnhandledErrorMiddleware)  # inside the access log, which sees its 500
    app.add_middleware(AccessLogMiddleware)
    app.include_router(knowledge.router)
    app.include_router(auth_routes.router)
    app.include_router(client_routes.router)
    for area in (
        consultation_routes,
        plan_routes,
        session_routes,
        outcome_routes,
        consent_routes,
        privacy_routes,
        account_routes,
        audit_routes,
        calendar_routes,
    ):
        app.include_router(area.router)
    install_web(app, settings)

    @app.get("/api/health", tags=["service"])
    def health() -> dict[str, str]:
        """Liveness: answers without touching the database."""
        return {"status": "ok"}

    return app
