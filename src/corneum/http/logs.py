"""The server's log: its level, an optional JSON format for log collectors, and a request id
on every line written while a request is served.

Each request gets an id: the caller's ``X-Request-ID`` when it is a short token of letters,
digits and ``-_.`` (a proxy's, so lines can be followed across both), else a new random one. It
goes back in the response's ``X-Request-ID`` and onto every log record made while the request
is served, through a context variable. The JSON lines hold the time, level, logger, message and
request id only: the messages themselves are written to hold no personal data (see
:mod:`corneum.http.access_log`).
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from corneum.config import Settings
from corneum.http.access_log import ACCESS_LOGGER
from corneum.http.failures import ERROR_LOGGER

HEADER = "x-request-id"
NO_REQUEST = "-"
SAFE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
request_id: ContextVar[str] = ContextVar("corneum_request_id", default=NO_REQUEST)
LOGGERS = (ACCESS_LOGGER, ERROR_LOGGER, "uvicorn", "uvicorn.error")


class RequestIdMiddleware:
    """Give each request its id, for the log lines it causes and in its response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(HEADER.encode(), b"").decode("latin-1")
        token = request_id.set(given if SAFE_ID.fullmatch(given) else uuid.uuid4().hex)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    *message.get("headers", []),
                    (HEADER.encode(), request_id.get().encode()),
                ]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Put the current request's id on each record (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, request id."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id.get()),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


TEXT_FORMAT = "%(levelname)s %(asctime)s [%(request_id)s] %(name)s: %(message)s"


def log_config(settings: Settings) -> dict[str, Any]:
    """A :func:`logging.config.dictConfig` for ``corneum serve``: our loggers and uvicorn's on
    standard error, at ``settings.log_level``, as text or JSON lines, each with a request id."""
    formatter: dict[str, Any] = (
        {"()": JsonFormatter} if settings.log_format == "json" else {"format": TEXT_FORMAT}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"corneum": formatter},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "corneum",
                "filters": ["request_id"],
            }
        },
        "loggers": {
            name: {"handlers": ["stderr"], "level": settings.log_level, "propagate": False}
            for name in LOGGERS
        },
    }
