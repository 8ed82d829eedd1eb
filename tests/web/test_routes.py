"""Rules every page route keeps, checked on the routes themselves so a new page cannot skip
them: a form post needs the CSRF token; no page appears in the API's schema."""

from __future__ import annotations

from fastapi.routing import APIRoute

from corneum.web.access import check_csrf
from corneum.web.mount import AREAS


def page_routes() -> list[APIRoute]:
    routes = [route for area in AREAS for route in area.router.routes]
    return [route for route in routes if isinstance(route, APIRoute)]


def test_every_page_post_checks_the_csrf_token() -> None:
    posts = [route for route in page_routes() if "POST" in (route.methods or set())]
    assert len(posts) >= 4, "the log-in, log-out, language and wizard posts"
    unchecked = [
        route.path
        for route in posts
        if check_csrf not in [dependency.call for dependency in route.dependant.dependencies]
    ]
    assert unchecked == []


def test_pages_stay_out_of_the_api_schema() -> None:
    assert [route.path for route in page_routes() if route.include_in_schema] == []
