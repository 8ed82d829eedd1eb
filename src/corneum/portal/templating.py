"""Rendering the portal's pages: its own templates and Russian catalogue, one Jinja
environment per language, and a CSRF token bound to the browser and the client's link or
session. A page speaks the client's language (her preference, kept with her record)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

from babel.support import NullTranslations, Translations
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from corneum.http.csrf import new_browser_secret, token_for
from corneum.records.accounts.tables import Language

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
CSRF_COOKIE = "corneum_portal_csrf"
PATH = "/portal"
"""Every portal cookie is sent to the portal's pages only, never to the staff's."""
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}
"""Pages hold a client's data: never cached or framed; no address (a link's token) is sent on."""


@dataclass(frozen=True, slots=True)
class Portal:
    """What the portal's pages share, kept on ``app.state.portal``."""

    environments: Mapping[Language, Environment]
    csrf_key: bytes
    secure_cookies: bool


def load_translations(language: Language) -> NullTranslations:
    if language == "en":
        return NullTranslations()
    return Translations.load(str(LOCALE_DIR), [language], domain=DOMAIN)


def make_environment(language: Language) -> Environment:
    environment = Environment(
        loader=PackageLoader("corneum.portal", "templates"),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.install_gettext_translations(  # type: ignore[attr-defined]
        load_translations(language), newstyle=True
    )
    return environment


def make_portal(csrf_key: bytes, *, secure_cookies: bool) -> Portal:
    environments = {language: make_environment(language) for language in get_args(Language)}
    return Portal(environments, csrf_key, secure_cookies)


def portal_of(request: Request) -> Portal:
    portal: Portal = request.app.state.portal
    return portal


def browser_language(request: Request) -> Language:
    """For a page shown before we know whose link it is: Russian if the browser puts it first."""
    first = request.headers.get("accept-language", "").split(",")[0].strip().lower()
    return "ru" if first.startswith("ru") else "en"


def render(
    request: Request,
    name: str,
    context: Mapping[str, Any],
    *,
    language: Language,
    bound_to: str | None = None,
    status_code: int = 200,
) -> Response:
    """The page ``name`` in ``language``, with a CSRF token bound to this browser and to
    ``bound_to`` (the link or session token the page's forms act with)."""
    portal = portal_of(request)
    secret = request.cookies.get(CSRF_COOKIE)
    browser_secret = secret or new_browser_secret()
    html = (
        portal.environments[language]
        .get_template(name)
        .render(
            {"client": None, **context},
            csrf_token=token_for(portal.csrf_key, browser_secret, bound_to),
            language=language,
        )
    )
    response = HTMLResponse(html, status_code=status_code, headers=PAGE_HEADERS)
    if not secret:
        set_cookie(response, CSRF_COOKIE, browser_secret, 7 * 24 * 3600, portal.secure_cookies)
    return response


def set_cookie(response: Response, name: str, value: str, max_age: int, secure: bool) -> None:
    """A portal cookie: for the portal's path only, out of scripts' reach."""
    response.set_cookie(
        name, value, max_age=max_age, httponly=True, samesite="lax", secure=secure, path=PATH
    )
