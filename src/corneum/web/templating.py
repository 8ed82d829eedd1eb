"""Rendering pages: one Jinja environment per language, the CSRF token and the user's language
in every page's context, and ``say`` to show a text the core or a service worded in it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from functools import partial
from typing import Any

from babel.support import NullTranslations
from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from corneum.http.csrf import CSRF_COOKIE, new_browser_secret, token_for
from corneum.http.deps import SESSION_COOKIE
from corneum.knowledge import KnowledgeBase
from corneum.knowledge.consent import version_parts
from corneum.phrase import Phrase
from corneum.records.accounts.tables import Language, User
from corneum.web.i18n import (
    LANGUAGE_COOKIE,
    LANGUAGES,
    SHORT_DAY_PATTERN,
    chosen_language,
    day_in,
    knowledge_in,
    load_translations,
    moment_in,
)

CSRF_COOKIE_LIFETIME = 7 * 24 * 3600
CLIENT_ROLES = frozenset({"practitioner", "reception"})
"""The roles that deal with clients, and so see the Clients link."""
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}
"""Pages hold client data: not kept in caches (a shared tablet's back button after log-out),
never framed by another site (clickjacking), the path not sent to other sites."""


@dataclass(frozen=True, slots=True)
class Web:
    """What the pages share, kept on ``app.state.web``."""

    environments: Mapping[Language, Environment]
    translations: Mapping[Language, NullTranslations]
    csrf_key: bytes
    secure_cookies: bool


def make_environment(translations: NullTranslations, language: str) -> Environment:
    environment = Environment(
        loader=PackageLoader("corneum.web", "templates"),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.install_gettext_translations(  # type: ignore[attr-defined]
        translations, newstyle=True
    )
    environment.filters["day"] = _dated(day_in, language)
    environment.filters["moment"] = _dated(moment_in, language)
    environment.filters["short_day"] = _dated(partial(day_in, pattern=SHORT_DAY_PATTERN), language)
    environment.filters["wording"] = wording
    return environment


def wording(version: str) -> dict[str, str] | None:
    """A consent text's version as a page names it: the wording's version, the language's name
    and the knowledge base's version (the full version string goes in a tooltip)."""
    parts = version_parts(version)
    if parts is None:
        return None
    return {**parts, "language": LANGUAGES.get(parts["language"], parts["language"])}  # type: ignore[call-overload]


def _dated(shown: Callable[[str, Any, tzinfo], str], language: str) -> Callable[..., str]:
    """A filter showing a day or a moment in ``language`` on the page's clinic clock
    (``{{ consultation.created_at|moment }}``); never an ISO date."""

    @pass_context
    def show(context: Context, value: date | datetime) -> str:
        zone: Callable[[], tzinfo] | None = context.get("clinic_zone")
        return shown(language, value, zone() if zone else UTC)

    return show


def make_web(csrf_key: bytes, *, secure_cookies: bool) -> Web:
    translations = {language: load_translations(language) for language in LANGUAGES}
    environments = {
        language: make_environment(found, language) for language, found in translations.items()
    }
    return Web(environments, translations, csrf_key, secure_cookies)


def said(problem: str | Phrase, translations: NullTranslations, kb: KnowledgeBase) -> str:
    """A text as a page shows it: a phrase in the catalogue's language with its codes named
    from ``kb`` (the user's-language view); a plain text translated if it is a catalogue message
    (a text marked in the web app), else as it is (a refusal worded in English only)."""
    if isinstance(problem, Phrase):
        return problem.said(translations.gettext, partial(code_name, kb))
    return translations.gettext(problem) if problem else ""


def code_name(kb: KnowledgeBase, code: str) -> str:
    """A knowledge-base code as a page names it: a procedure by its name, any other code (a
    device kind) by its label."""
    try:
        return kb.procedure(code).name
    except KeyError:
        return kb.label(code)


def sayer(request: Request, language: Language) -> Callable[[str | Phrase], str]:
    """:func:`said` in ``language``, for the templates: ``{{ say(problems.conflict) }}``."""
    kb: KnowledgeBase = request.app.state.knowledge
    translations = web_of(request).translations[language]
    return partial(said, translations=translations, kb=knowledge_in(kb, language))


def web_of(request: Request) -> Web:
    web: Web = request.app.state.web
    return web


def language_of(request: Request, user: User | None = None) -> Language:
    """The signed-in user's language; for anyone else the browser's (cookie, then
    ``Accept-Language``)."""
    if user is not None:
        return user.language
    return chosen_language(
        request.cookies.get(LANGUAGE_COOKIE), request.headers.get("accept-language")
    )


def render(
    request: Request, name: str, context: Mapping[str, Any], *, status_code: int = 200
) -> Response:
    """The page ``name`` in the user's language, with a CSRF token for its forms; gives the
    browser its CSRF cookie when it has none."""
    web = web_of(request)
    user = context.get("user")
    language = language_of(request, user)
    secret = request.cookies.get(CSRF_COOKIE)
    fresh = not secret
    browser_secret = secret or new_browser_secret()
    token = token_for(web.csrf_key, browser_secret, request.cookies.get(SESSION_COOKIE))
    page = web.environments[language].get_template(name)
    html = page.render(
        {"user": None, **context},
        show_clients=user is not None and user.role in CLIENT_ROLES,
        csrf_token=token,
        language=language,
        languages=LANGUAGES,
        here=request.url.path,
        say=sayer(request, language),
        clinic_zone=getattr(request.state, "clinic_zone", None),
    )
    response = HTMLResponse(html, status_code=status_code, headers=PAGE_HEADERS)
    if fresh:
        _give_csrf_cookie(response, browser_secret, secure=web.secure_cookies)
    return response


def _give_csrf_cookie(response: Response, value: str, *, secure: bool) -> None:
    response.set_cookie(
        CSRF_COOKIE,
        value,
        max_age=CSRF_COOKIE_LIFETIME,
        httponly=True,
        samesite="lax",
        secure=secure,
        path="/",
    )
