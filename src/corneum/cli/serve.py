"""``corneum serve``: bring the database up to date and serve the API with uvicorn.

``--demo`` needs no set-up at all: its own SQLite file (unless CORNEUM_DATABASE_URL names one),
a demo clinic seeded on first start, and the way to sign in printed before the server starts.
Outside demo and development mode the service refuses to start without a real secret key.

Uvicorn's access log stays off: it writes the query string, which may carry personal data;
:mod:`corneum.http.access_log` writes a line per request without it.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from corneum.cli.db import database_errors, load_settings, open_engine, refuse_damaged
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
) -> None:
    """Migrate the database to the latest schema and serve the HTTP API (docs at /docs)."""
    import uvicorn

    from corneum.app import create_app
    from corneum.config import InsecureSettingsError
    from corneum.db import migrate

    settings = demo_settings(load_settings()) if demo else load_settings()
    try:
        app = create_app(settings)
    except InsecureSettingsError as exc:
        fail(str(exc))
    refuse_damaged(settings)
    with database_errors():
        migrate.upgrade(settings.database_url)
        if demo:
            announce(seed_demo(settings), base_url(host, port))
    uvicorn.run(app, host=host, port=port, access_log=False, log_config=log_config())


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


def log_config() -> dict[str, Any]:
    """Uvicorn's logging, plus our request and error lines on the same stream and format."""
    from uvicorn.config import LOGGING_CONFIG

    from corneum.http.access_log import ACCESS_LOGGER
    from corneum.http.failures import ERROR_LOGGER

    config = copy.deepcopy(LOGGING_CONFIG)
    for name in (ACCESS_LOGGER, ERROR_LOGGER):
        config["loggers"][name] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config
