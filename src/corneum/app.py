"""The FastAPI application, built by :func:`create_app` from explicit settings."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

import corneum.records.tables  # noqa: F401  (every table registered, whatever the routes import)
from corneum import __version__
from corneum.api import accounts as account_routes
from corneum.api import audit as audit_routes
from corneum.api import auth as auth_routes
from corneum.api import calendar as calendar_routes
from corneum.api import clients as client_routes
from corneum.api import consents as consent_routes
from corneum.api import consultations as consultation_routes
from corneum.api import desk as desk_routes
from corneum.api import feeds as feed_routes
from corneum.api import knowledge, readiness
from corneum.api import offerings as offering_routes
from corneum.api import outcomes as outcome_routes
from corneum.api import patch_tests as patch_test_routes
from corneum.api import plans as plan_routes
from corneum.api import portal as portal_routes
from corneum.api import privacy as privacy_routes
from corneum.api import sessions as session_routes
from corneum.api.contract import TAGS, install_contract, operation_id
from corneum.api.docs import DOCS_PATHS, install_docs, openapi_url
from corneum.config import Settings, get_settings
from corneum.db.engine import make_engine, request_session_factory
from corneum.http.access_log import AccessLogMiddleware
from corneum.http.body_limit import BodyLimitMiddleware, RouteLimit
from corneum.http.errors import install_error_handlers
from corneum.http.failures import UnhandledErrorMiddleware
from corneum.http.headers import SecurityHeadersMiddleware
from corneum.http.logs import RequestIdMiddleware
from corneum.http.nul_guard import NulGuardMiddleware
from corneum.knowledge import default_knowledge_base
from corneum.portal.mount import install_portal
from corneum.records.accounts.service import decoy_hash
from corneum.records.auth.guard import GuardLimits, SignInGuard, usable_cpus
from corneum.web.access import refuse_unread_upload
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
        engine = make_engine(settings.database_url, pgbouncer=settings.database_pgbouncer)
        app.state.sessions = request_session_factory(engine)
        # Made now, once, so no sign-in pays for it (or makes it several times at once).
        await run_in_threadpool(decoy_hash)
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
        openapi_tags=TAGS,
        generate_unique_id_function=operation_id,
    )
    app.state.settings = settings
    app.state.clock = clock
    app.state.knowledge = default_knowledge_base()
    app.state.sign_in_guard = SignInGuard(guard_limits(settings))
    install_error_handlers(app)
    install_docs(app, settings)
    app.add_middleware(NulGuardMiddleware)
    app.add_middleware(SecurityHeadersMiddleware, docs_paths=DOCS_PATHS)
    app.add_middleware(
        BodyLimitMiddleware,
        default_max_bytes=settings.request_max_bytes,
        routes=upload_limits(settings),
        prechecks=[refuse_unread_upload],
    )
    app.add_middleware(UnhandledErrorMiddleware)  # inside the access log, which sees its 500
    app.add_middleware(AccessLogMiddleware)  # it logs the refusals above too
    app.add_middleware(RequestIdMiddleware)  # outermost: every line of a request has its id
    app.include_router(knowledge.router)
    app.include_router(auth_routes.router)
    app.include_router(client_routes.router)
    for area in (
        consultation_routes,
        plan_routes,
        session_routes,
        outcome_routes,
        consent_routes,
        patch_test_routes,
        privacy_routes,
        account_routes,
        audit_routes,
        calendar_routes,
        feed_routes,
        readiness,
        desk_routes,
        offering_routes,
        portal_routes,
    ):
        app.include_router(area.router)
    install_web(app, settings)
    install_portal(app, settings)

    @app.get("/api/health", tags=["service"])
    async def health() -> dict[str, str]:
        """Liveness: answers without touching the database."""
        return {"status": "ok"}

    install_contract(app)
    return app


def app_from_environment() -> FastAPI:
    """The application for the ``CORNEUM_*`` environment: what each worker process of
    ``corneum serve --workers N`` builds (uvicorn's ``--factory``)."""
    return create_app(get_settings())


def guard_limits(settings: Settings) -> GuardLimits:
    """The sign-in limits and the size of the password-hashing pool the settings ask for."""
    return GuardLimits(
        per_address_per_minute=settings.sign_in_per_address_per_minute,
        per_minute=settings.sign_in_per_minute,
        address_failures_before_delay=settings.sign_in_address_failures_before_delay,
        account_failures_before_delay=settings.sign_in_failures_before_delay,
        delay_base=timedelta(seconds=30),
        delay_most=timedelta(seconds=settings.sign_in_max_delay_seconds),
        hashing_slots=settings.hashing_slots or usable_cpus(),
    )


UPLOAD_FORM_BYTES = 64 * 1024
"""Room for a photo upload's form around the image (its other fields, the multipart framing)."""


def upload_limits(settings: Settings) -> list[RouteLimit]:
    """The routes whose bodies may be larger than ``request_max_bytes``: photo uploads, to the
    API and to the web app's form."""
    photo = settings.photo_max_bytes + UPLOAD_FORM_BYTES
    return [
        RouteLimit("POST", re.compile(r"/api/sessions/[0-9]+/photos"), photo),
        RouteLimit("POST", re.compile(r"/sessions/[0-9]+/photos"), photo),
    ]
