"""Security headers on every answer: a Content-Security-Policy on HTML pages, and no sniffing.

The web app loads only its own files (``/static``: htmx, four small scripts, one stylesheet; no
CDN, no inline script), so scripts come from ``'self'`` alone and an injected ``<script>`` would
not run. Styles allow ``'unsafe-inline'``: the week view sizes its blocks with ``style``
attributes and htmx adds its indicator style; a style cannot run code. The API documentation
(see :mod:`corneum.api.docs`) also needs Swagger UI's inline start-up script.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGES_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
DOCS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self' blob:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


class SecurityHeadersMiddleware:
    """``docs_paths``: where the API's documentation is served; its pages run inline scripts
    (Swagger UI's start-up) and a worker, which the pages' policy refuses."""

    def __init__(self, app: ASGIApp, docs_paths: tuple[str, ...] = ()) -> None:
        self.app = app
        self.docs_paths = docs_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        policy = DOCS_POLICY if path.startswith(self.docs_paths) else PAGES_POLICY

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                if headers.get("content-type", "").startswith("text/html"):
                    headers["Content-Security-Policy"] = policy
            await send(message)

        await self.app(scope, receive, with_headers)
