"""The API's one paging style: every list endpoint takes ``offset`` and ``limit`` and answers
with ``X-Total-Count`` (how many items the whole list has) and ``Link`` (RFC 8288: the
``first``, ``prev``, ``next`` and ``last`` pages, as the same request with another offset).

The body stays as each endpoint has always had it: a plain list, or for the long lists that
the database cuts (clients, users, the audit log) the envelope ``{items, total, offset,
limit}``; the headers say the same for both, so a client can page any list the same way."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query, Request, Response
from starlette.datastructures import URL

from corneum.records.fields import MAX_INTEGER
from corneum.records.paging import MAX_LIMIT, Page, PageRead

T = TypeVar("T")

Offset = Annotated[
    int, Query(ge=0, le=MAX_INTEGER, description="How many items of the whole list to skip")
]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="The most items to return")]
HEADERS: dict[str, dict[str, Any]] = {
    "X-Total-Count": {
        "description": "How many items the whole list has, across every page",
        "schema": {"type": "integer", "minimum": 0},
    },
    "Link": {
        "description": "The first, prev, next and last pages (RFC 8288): `</api/...?offset=50&"
        'limit=50>; rel="next"`; no next when this page is the last',
        "schema": {"type": "string"},
    },
}
"""The headers every list endpoint answers with, as its schema declares them."""


@dataclass(frozen=True, slots=True)
class PageWindow:
    """The page a request asks for, and the response whose headers tell where it stands."""

    offset: int
    limit: int
    url: URL
    response: Response

    def __call__(self, rows: Sequence[T]) -> list[T]:
        """This page of a list a service returns whole (a client's history, plans, ...)."""
        self.count(len(rows))
        return list(rows[self.offset : self.offset + self.limit])

    def of(self, page: Page[Any], items: list[T]) -> PageRead[T]:
        """The envelope of a page the service cut itself (``items`` are its rows, read)."""
        self.count(page.total)
        return PageRead.of(page, items)

    def count(self, total: int) -> None:
        self.response.headers["X-Total-Count"] = str(total)
        self.response.headers["Link"] = links(self.url, self.offset, self.limit, total)


def links(url: URL, offset: int, limit: int, total: int) -> str:
    """The ``Link`` header for the page at ``offset`` of ``total`` items, ``limit`` a page."""
    last = max(total - 1, 0) // limit * limit
    pages = {"first": 0, "prev": max(offset - limit, 0), "next": offset + limit, "last": last}
    if offset == 0:
        del pages["prev"]
    if offset + limit >= total:
        del pages["next"]
    return ", ".join(f'<{at(url, start, limit)}>; rel="{rel}"' for rel, start in pages.items())


def at(url: URL, offset: int, limit: int) -> str:
    """The request's path and query with another ``offset`` (relative, as RFC 8288 allows)."""
    moved = url.include_query_params(offset=offset, limit=limit)
    return f"{moved.path}?{moved.query}"


def paging(default_limit: int) -> Callable[..., Coroutine[Any, Any, PageWindow]]:
    """The dependency for a list whose page is ``default_limit`` long unless asked."""

    async def page_window(
        request: Request, response: Response, offset: Offset = 0, limit: Limit = default_limit
    ) -> PageWindow:
        return PageWindow(offset, limit, request.url, response)

    return page_window


Paged = Annotated[PageWindow, Depends(paging(MAX_LIMIT))]
"""A list given whole unless it is longer than the most a page holds (200)."""
Paged50 = Annotated[PageWindow, Depends(paging(50))]
"""A list that can be long (clients, users, the audit log): 50 a page unless asked."""
