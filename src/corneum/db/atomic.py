"""Services that refuse leave nothing behind: each workflow runs in a savepoint, rolled back
when it raises, so the caller (a page showing the refusal beside its form, a request that
goes on to answer) finds the session as it was before the call."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from sqlalchemy.orm import Session

P = ParamSpec("P")
R = TypeVar("R")


def atomic(service: Callable[P, R]) -> Callable[P, R]:
    """Run ``service`` (which takes ``session`` as a keyword argument) in a savepoint."""

    @wraps(service)
    def in_savepoint(*args: P.args, **kwargs: P.kwargs) -> R:
        session: Any = kwargs["session"]
        assert isinstance(session, Session)
        with session.begin_nested():
            return service(*args, **kwargs)

    return in_savepoint
