"""Request bodies: refused by size before they are read, and not read at all for a request that
is refused anyway.

A pure ASGI middleware, outside every route:

- a body larger than the route's limit is refused 413 by its ``Content-Length`` at once, and a
  body sent without one (chunked) as soon as more than the limit has arrived: nothing is parsed,
  and a multipart upload is never spooled to a temporary file past the limit;
- a request that can only be refused is answered before its body is read: a write to the API
  without a bearer token is 401 (a cookie never authorises an API write), and a multipart form
  posted to the web app without its session and CSRF token is refused by the ``precheck`` the
  web app gives (see :func:`corneum.web.access.refuse_unread_upload`).

Limits are per route: a photo upload may be as large as the photo limit (and its form around
it); any other request as large as ``request_max_bytes``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from fastapi import HTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from corneum.http.problems import problem_response

TOO_LARGE = 413
NOT_SIGNED_IN = "not signed in: send a bearer token from POST /api/auth/token"
PUBLIC_API_WRITES = frozenset(
    {("POST", "/api/auth/token"), ("POST", "/api/auth/session"), ("DELETE", "/api/auth/session")}
)
"""The API's writes that need no bearer token: signing in, and the web app's sign-out."""
READS = frozenset({"GET", "HEAD", "OPTIONS"})

Precheck = Callable[[Scope], Response | None]


@dataclass(frozen=True, slots=True)
class RouteLimit:
    """Bodies of ``method`` requests to paths matching ``path`` may be up to ``max_bytes``."""

    method: str
    path: re.Pattern[str]
    max_bytes: int


class BodyTooLargeError(HTTPException):
    """Raised from ``receive`` when a streamed body passes its limit: the route's body parsing
    stops there, and the application answers 413 (FastAPI passes its own HTTPException through
    its body parsing, where any other error would become a 400)."""

    def __init__(self, limit: int) -> None:
        super().__init__(TOO_LARGE, f"the request body is larger than {limit} bytes")


class BodyLimitMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        default_max_bytes: int,
        routes: Sequence[RouteLimit] = (),
        prechecks: Sequence[Precheck] = (),
    ) -> None:
        self.app = app
        self.default_max_bytes = default_max_bytes
        self.routes = tuple(routes)
        self.prechecks = (refuse_unsigned_api_write, *prechecks)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["method"], scope["path"])
        refusal = self._refusal(scope, limit)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLargeError(limit)
            return message

        async def noting_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, noting_send)
        except BodyTooLargeError as exc:
            if started:
                raise
            await too_large(exc.detail)(scope, receive, send)

    def limit_for(self, method: str, path: str) -> int:
        for route in self.routes:
            if route.method == method and route.path.fullmatch(path):
                return route.max_bytes
        return self.default_max_bytes

    def _refusal(self, scope: Scope, limit: int) -> Response | None:
        declared = header(scope, b"content-length")
        if declared is not None:
            if not declared.isdigit():
                return problem_response(400, "Content-Length is not a number", scope["path"])
            if int(declared) > limit:
                return too_large(f"the request body is larger than {limit} bytes")
        for precheck in self.prechecks:
            refusal = precheck(scope)
            if refusal is not None:
                return refusal
        return None


def too_large(detail: str) -> Response:
    return problem_response(TOO_LARGE, detail, headers={"Connection": "close"})


def header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            decoded: str = value.decode("latin-1").strip()
            return decoded
    return None


def refuse_unsigned_api_write(scope: Scope) -> Response | None:
    """401 for a write to the API without a bearer token, before its body is read: the route
    would refuse it after reading it (``current_user``)."""
    method, path = scope["method"], scope["path"]
    if not path.startswith("/api/") or method in READS or (method, path) in PUBLIC_API_WRITES:
        return None
    authorization = header(scope, b"authorization") or ""
    if authorization[:7].lower() == "bearer " and authorization[7:].strip():
        return None
    return problem_response(401, NOT_SIGNED_IN, path, headers={"WWW-Authenticate": "Bearer"})
