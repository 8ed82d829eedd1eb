"""Reading posted forms and sending the browser on after a post."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse

from corneum.web.messages import NUL_REFUSED


async def form_of(request: Request) -> FormData:
    """The posted form (already parsed by the CSRF check, so read from Starlette's cache)."""
    return refuse_nul(await request.form())


def refuse_nul(form: FormData) -> FormData:
    """``form``, unless a name or text in it holds a NUL character (PostgreSQL stores none):
    then a 422 page, before any service sees it."""
    from corneum.web.access import PageRefusedError

    if any("\x00" in key or (isinstance(v, str) and "\x00" in v) for key, v in form.multi_items()):
        raise PageRefusedError(422, NUL_REFUSED)
    return form


Form = Annotated[FormData, Depends(form_of)]
"""A page's posted form, as a route's parameter."""


def text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def secret(form: FormData, name: str) -> str:
    """A password as typed: unlike :func:`text`, its spaces are kept (they are part of it)."""
    value = form.get(name)
    return value if isinstance(value, str) else ""


def texts(form: FormData, name: str) -> list[str]:
    return [value for value in form.getlist(name) if isinstance(value, str) and value]


def local_path(candidate: str, default: str = "/") -> str:
    """``candidate`` if it is a path on this site, else ``default``: a ``next`` parameter must
    not send the browser to another site."""
    if candidate.startswith("/") and not candidate.startswith("//") and "\\" not in candidate:
        return candidate
    return default


def see_other(path: str) -> RedirectResponse:
    """After a post: go to ``path`` with a GET."""
    return RedirectResponse(path, status_code=303)
