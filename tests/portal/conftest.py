"""The portal's tests drive the live server of ``tests/api`` over real HTTP, as a client's
phone would: cookies kept, forms posted with the token the page gave, codes read from the
e-mail a real SMTP server on loopback received."""

from __future__ import annotations

from tests.api.conftest import api, live_api

__all__ = ["api", "live_api"]
