"""CSRF tokens for the web app's forms.

A random ``corneum_csrf`` cookie (HttpOnly, SameSite=Lax) identifies the browser; a form's token
is an HMAC of that cookie and the session cookie under the server's key. Another site can make a
browser send both cookies but cannot read them, so it cannot write the token into its form; and a
pair planted from a sibling domain is useless once the user signs in, because the token is bound
to the session too.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from corneum.config import Settings

CSRF_COOKIE = "corneum_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


def new_browser_secret() -> str:
    """A fresh value for the CSRF cookie."""
    return secrets.token_urlsafe(32)


def token_for(key: bytes, browser_secret: str, session_token: str | None) -> str:
    """The token a form carries for this browser and (if signed in) this session."""
    message = f"{browser_secret}\x00{session_token or ''}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def token_is_valid(
    key: bytes, browser_secret: str | None, session_token: str | None, token: str | None
) -> bool:
    """Whether ``token`` was made for this browser and session; compared in constant time."""
    if not browser_secret or not token:
        return False
    expected = token_for(key, browser_secret, session_token)
    return hmac.compare_digest(expected, token)


def csrf_key(settings: Settings) -> bytes:
    """The server's secret key; without one (development, demo) a random key per process,
    so forms from before a restart are refused, which is harmless."""
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value().encode()
    return secrets.token_bytes(32)
