"""Readiness: whether the database answers, for a load balancer or an orchestrator to hold
traffic back while it does not (liveness, ``/api/health``, never touches it)."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from corneum.http.failures import ERROR_LOGGER

logger = logging.getLogger(ERROR_LOGGER)
router = APIRouter(prefix="/api", tags=["service"])


@router.get("/ready", responses={503: {"description": "Database down"}})
def ready(request: Request) -> JSONResponse:
    """Readiness: 200 once the database answers a query, 503 while it does not."""
    if database_answers(request.app.state.sessions):
        return JSONResponse({"status": "ready"})
    return JSONResponse({"status": "unavailable"}, status_code=503)


def database_answers(sessions: sessionmaker[Session]) -> bool:
    """Whether a connection can be had and answers ``SELECT 1``: straight on the engine, so
    no transaction (nor SQLite's write lock) is taken for it."""
    engine = sessions.kw["bind"]
    assert isinstance(engine, Engine)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1")).scalar_one()
    except SQLAlchemyError as exc:
        logger.warning("readiness: the database does not answer (%s)", type(exc).__name__)
        return False
    return True
