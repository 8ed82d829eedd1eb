"""The web app's tests drive the live server of ``tests/api`` over real HTTP, as a browser
would: cookies kept between requests, forms posted with the CSRF token the page gave."""

from __future__ import annotations

from tests.api.conftest import api, live_api

__all__ = ["api", "live_api"]
