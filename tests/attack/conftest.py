"""The attack tests drive the live server of ``tests/api``, over real HTTP."""

from __future__ import annotations

from tests.api.conftest import api, live_api

__all__ = ["api", "live_api"]
