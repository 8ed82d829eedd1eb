"""The last line of defence: a request that raised anyway is answered 500 and logged by the
exception's kind and where it was raised, never by its message.

A driver's message may quote the data it choked on (PostgreSQL's ``Key (email)=(...)``, the
value of a failed cast), and uvicorn would print it with the traceback. Here the log line gives
the route (as the access log writes it), the exception's class, PostgreSQL's SQLSTATE when there
is one, and the stack's file and line numbers: enough to find the bug, nothing a client typed.
"""

from __future__ import annotations

import json
import logging
import traceback

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from corneum.http.access_log import loggable_path
from corneum.http.problems import MEDIA_TYPE, problem

ERROR_LOGGER = "corneum.error"
logger = logging.getLogger(ERROR_LOGGER)


class UnhandledErrorMiddleware:
    """Answer 500 to a request that raised, logging it without the exception's message."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def note_start(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, note_start)
        except Exception as exc:
            logger.error(describe(scope, exc))
            if started:
                raise RuntimeError("the response was cut short by an error") from None
            await send_500(send)


def describe(scope: Scope, exc: BaseException) -> str:
    """``unhandled DataError (SQLSTATE 22021) in GET /api/clients`` and the stack's frames."""
    state = getattr(getattr(exc, "orig", None), "sqlstate", None)
    kind = type(exc).__name__ + (f" (SQLSTATE {state})" if state else "")
    frames = traceback.extract_tb(exc.__traceback__)
    where = "".join(f"\n  {frame.filename}:{frame.lineno} in {frame.name}" for frame in frames)
    return f"unhandled {kind} in {scope.get('method', '')} {loggable_path(scope)}{where}"


async def send_500(send: Send) -> None:
    body = json.dumps(problem(500, "internal error")).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 500,
            "headers": [
                (b"content-type", MEDIA_TYPE.encode()),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
