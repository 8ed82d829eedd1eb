"""Refuse a NUL character in a request's path or query string before any route sees it.

PostgreSQL cannot store or compare text holding NUL, and its driver raises on the first one; a
request body is refused by the schemas (:class:`corneum.records.fields.Input`) and the web's
forms by :func:`corneum.web.forms.refuse_nul`, but a query parameter or path reaches a service
as it came. Here every one is refused at the door: 422 naming the parameter, as the API's
validation errors do (for the web's pages the same words as a short page).
"""

from __future__ import annotations

from html import escape
from urllib.parse import parse_qsl, unquote

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from corneum.http.problems import invalid_input

MESSAGE = "text may not contain a NUL character"


class NulGuardMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        field = nul_field(scope) if scope["type"] == "http" else None
        if field is None:
            await self.app(scope, receive, send)
            return
        await refuse(scope, send, field)


def nul_field(scope: Scope) -> tuple[str, str] | None:
    """``("query", name)`` or ``("path", "path")`` of the first NUL found, else None."""
    if "\x00" in scope.get("path", "") or "\x00" in unquote(
        scope.get("raw_path", b"").decode("latin-1")
    ):
        return ("path", "path")
    query = scope.get("query_string", b"").decode("latin-1")
    if "%00" not in query.casefold() and "\x00" not in query:
        return None
    for name, value in parse_qsl(query, keep_blank_values=True):
        if "\x00" in name or "\x00" in value:
            return ("query", name.replace("\x00", "\\x00"))
    return None


async def refuse(scope: Scope, send: Send, field: tuple[str, str]) -> None:
    where, name = field
    if scope.get("path", "").startswith("/api/"):
        error = {"loc": [where, name], "msg": MESSAGE, "type": "nul_character"}
        # The path is where the NUL is: the problem's ``instance`` is left out.
        await invalid_input([error], None)(scope, _no_body, send)
        return
    body = f"<!doctype html><title>Not accepted</title><p>{escape(name)}: {MESSAGE}.</p>".encode()
    kind = b"text/html; charset=utf-8"
    headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 422, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}
