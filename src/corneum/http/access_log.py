"""One log line per request: method, route, status and milliseconds; never the query string.

Uvicorn's own access log is turned off by ``corneum serve``: it writes the full request target,
and a query string may carry personal data (a name searched for, an email). The path is logged as
the matched route's template with only numeric ids filled in (``/api/clients/12/history``), so
no text a caller typed into a path reaches the log either. A pure ASGI middleware, so it costs no
extra task per request.
"""

from __future__ import annotations

import logging
import time
from collections.abc import MutableMapping
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

ACCESS_LOGGER = "corneum.access"
UNMATCHED = "(no route)"
NO_RESPONSE = 500
"""What a request that raised before answering is logged as (the server answers it so)."""

logger = logging.getLogger(ACCESS_LOGGER)


class AccessLogMiddleware:
    """Log ``METHOD /route STATUS 12.3ms`` at INFO on :data:`ACCESS_LOGGER` when a request ends."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        state: MutableMapping[str, Any] = {"status": NO_RESPONSE}

        async def send_and_note(message: Message) -> None:
            if message["type"] == "http.response.start":
                state["status"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            elapsed_ms = (time.perf_counter() - start) * 1000
            if logger.isEnabledFor(logging.INFO):
                logger.info(request_line(scope, state["status"], elapsed_ms))


def request_line(scope: Scope, status: int, elapsed_ms: float) -> str:
    """``POST /api/clients/12/history 201 8.4ms``."""
    return f"{scope['method']} {loggable_path(scope)} {status} {elapsed_ms:.1f}ms"


def loggable_path(scope: Scope) -> str:
    """The route's template with its numeric parameters filled in; ``(no route)`` when none
    matched, since an unknown path is whatever the caller typed."""
    template = getattr(scope.get("route"), "path", None)
    if not isinstance(template, str):
        return UNMATCHED
    for name, value in scope.get("path_params", {}).items():
        if _is_id(value):
            template = template.replace(f"{{{name}}}", str(value))
    return template


def _is_id(value: object) -> bool:
    if isinstance(value, int):
        return True
    return isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 20
