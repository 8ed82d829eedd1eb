"""``corneum serve``: serve the API and the web app with uvicorn, in one process or several.

In production the schema is ``corneum db upgrade``'s alone: a database behind the code stops the
server (exit code 1) naming that command, and no server process ever migrates, so N of them
starting at once cannot race. Demo and development mode migrate on start, as a convenience.

``--demo`` needs no set-up at all: its own SQLite file (unless CORNEUM_DATABASE_URL names one),
a demo clinic seeded on first start, and the way to sign in printed before the server starts.
Outside demo and development mode the service refuses to start without a real secret key.

``--workers N`` runs N processes (uvicorn's supervisor restarts one that dies) on PostgreSQL
only: everything they must agree on (tokens, users, sign-in limits, bookings) is in the
database; SQLite's sign-in limits per address stay in each process's memory, so it is refused.

Uvicorn's access log stays off: it writes the query string, which may carry personal data;
:mod:`corneum.http.access_log` writes a line per request without it.
"""

from __future__ import annotations

import os
import secrets
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from corneum.cli.db import (
    check_current,
    database_errors,
    load_settings,
    open_engine,
    refuse_damaged,
)
from corneum.cli.errors import FAILURE, fail

if TYPE_CHECKING:
    from corneum.config import Settings
    from corneum.records.demo.service import DemoClinic

LOOPBACK = "127.0.0.1"


def serve_command(
    host: Annotated[str, typer.Option("--host", help="The address to listen on.")] = LOOPBACK,
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="The TCP port.")] = 8000,
    demo: Annotated[
        bool, typer.Option("--demo", help="Serve a seeded demo clinic from its own database.")
    ] = False,
    workers: Annotated[
        int,
        typer.Option("--workers", min=1, max=64, help="Server processes (PostgreSQL only)."),
    ] = 1,
) -> None:
    """Serve the HTTP API (docs at /docs) and the web app; in production only on a database
    at the latest schema (run `corneum db upgrade` first)."""
    import uvicorn

    from corneum.app import create_app
    from corneum.config import InsecureSettingsError

    settings = demo_settings(load_settings()) if demo else load_settings()
    if workers > 1 and settings.database_url.startswith("sqlite"):
        fail("--workers: several server processes need PostgreSQL (CORNEUM_DATABASE_URL)")
    try:
        app = create_app(settings)
    except InsecureSettingsError as exc:
        fail(str(exc))
    refuse_damaged(settings)
    with database_errors():
        ready_schema(settings)
        if demo:
            announce(seed_demo(settings), base_url(host, port))
    options: dict[str, Any] = {"host": host, "port": port, "access_log": False}
    if workers == 1:
        uvicorn.run(app, log_config=log_config(settings), **options)
        return
    hand_to_workers(settings)
    uvicorn.run(
        "corneum.app:app_from_environment",
        factory=True,
        workers=workers,
        log_config=log_config(settings),
        **options,
    )


def ready_schema(settings: Settings) -> None:
    """In production, refuse (exit 1) a schema that is not the code's, naming `corneum db
    upgrade`; in demo and development mode, migrate."""
    from corneum.db import migrate

    if settings.mode != "production":
        migrate.upgrade(settings.database_url, pgbouncer=settings.database_pgbouncer)
        return
    engine = open_engine(settings)
    try:
        check_current(engine)
    finally:
        engine.dispose()


def hand_to_workers(settings: Settings) -> None:
    """The settings the worker processes read from their environment: the mode and database
    ``--demo`` chose, and one secret key for all of them (without one, in demo and development
    mode, each would make its own and refuse the others' CSRF tokens)."""
    os.environ["CORNEUM_MODE"] = settings.mode
    os.environ["CORNEUM_DATABASE_URL"] = settings.database_url
    if settings.secret_key is None:
        os.environ["CORNEUM_SECRET_KEY"] = secrets.token_urlsafe(32)


def demo_settings(settings: Settings) -> Settings:
    """Demo mode, on the demo's own database unless CORNEUM_DATABASE_URL was given."""
    from corneum.config import default_demo_database_url

    update: dict[str, Any] = {"mode": "demo"}
    if "database_url" not in settings.model_fields_set:
        update["database_url"] = default_demo_database_url()
    return settings.model_copy(update=update)


def seed_demo(settings: Settings) -> DemoClinic:
    """Seed the demo clinic into an empty database (or find it there from an earlier start)."""
    from corneum.db.engine import session_factory
    from corneum.knowledge import default_knowledge_base
    from corneum.records.demo import service as demo

    engine = open_engine(settings)
    try:
        with session_factory(engine).begin() as session:
            if demo.find_demo_clinic(session=session) is None and demo.other_clinics_exist(
                session=session
            ):
                fail(
                    "--demo: the database holds real clinics; unset CORNEUM_DATABASE_URL to use "
                    "the demo's own database",
                    FAILURE,
                )
            kb = default_knowledge_base()
            return demo.seed_demo_clinic(session=session, kb=kb, today=date.today())
    finally:
        engine.dispose()


def base_url(host: str, port: int) -> str:
    shown = LOOPBACK if host in {"0.0.0.0", "::", ""} else host
    return f"http://[{shown}]:{port}" if ":" in shown else f"http://{shown}:{port}"


def announce(clinic: DemoClinic, url: str) -> None:
    """How to sign in, the web app first and the API second: the demo's addresses and password
    are invented, so printing them is safe."""
    state = "seeded" if clinic.created else "already there"
    typer.echo(f"Corneum demo clinic ({state}).")
    typer.echo(f"Sign in at {url}/login as one of:")
    for login in clinic.logins:
        role = " ".join((login.role, *login.qualifications))
        typer.echo(f"  {login.email:<34} {role}")
    typer.echo(f"Password for all of them: {clinic.password}")
    typer.echo(
        f"The API: a token from POST {url}/api/auth/token with the same email and password; "
        f"its documentation at {url}/docs ('Try it out', then 'Authorize' with the token)."
    )


def log_config(settings: Settings) -> dict[str, Any]:
    """Our request and error lines and uvicorn's, at the settings' level and in their format."""
    from corneum.http.logs import log_config as config

    return config(settings)
