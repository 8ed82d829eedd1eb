"""Offset pagination for the list services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")

MAX_LIMIT = 200


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    """How many rows match in all, across every page."""
    offset: int
    limit: int


def paginate(session: Session, statement: Select[T], *, offset: int, limit: int) -> Page[T]:
    """One page of an ordered ``statement``; refuses a negative offset or a limit out of range."""
    if offset < 0:
        raise ValueError("offset: must be 0 or more")
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit: must be from 1 to {MAX_LIMIT}")
    counted = select(func.count()).select_from(statement.order_by(None).subquery())
    total = session.scalar(counted) or 0
    items = list(session.scalars(statement.offset(offset).limit(limit)))
    return Page(items=items, total=total, offset=offset, limit=limit)


class PageRead(BaseModel, Generic[T]):
    """One page of a list endpoint: the items and where they stand in the whole list."""

    items: list[T]
    total: int
    offset: int
    limit: int

    @classmethod
    def of(cls, page: Page[Any], items: list[T]) -> PageRead[T]:
        return cls(items=items, total=page.total, offset=page.offset, limit=page.limit)
