"""Addresses the API, the web app and the portal all speak of: a client's personal link."""

from __future__ import annotations

from starlette.requests import Request

PORTAL_OPEN = "/portal/open"
"""Where a personal link opens: ``/portal/open/{token}``."""


def portal_url(request: Request, token: str) -> str:
    """The personal link for ``token`` on the server the request came to."""
    return f"{str(request.base_url).rstrip('/')}{PORTAL_OPEN}/{token}"
