"""Readiness: whether the database answers, for a load balancer or an orchestrator to hold
traffic back while it does not (liveness, ``/api/health``, never touches it)."""

from __future__ import annotations

import logging

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from corneum.api.failures import ERROR_LOGGER

logger = logging.getLogger(ERROR_LOGGER)


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
