"""Time-based one-time codes (RFC 6238, with pyotp): the optional second factor of a staff account.

Six digits from an authenticator app, a new one every 30 seconds; the code of the step before and
after is accepted too (a phone's clock a little off), and each step once only, so a code seen
over a shoulder cannot be used again.
"""

from __future__ import annotations

import hmac
from datetime import datetime

import pyotp

ISSUER = "Corneum"
STEP_SECONDS = 30
DRIFT_STEPS = 1


def new_secret() -> str:
    """A fresh random base32 secret (160 bits)."""
    return pyotp.random_base32(length=32)


def provisioning_uri(secret: str, account: str) -> str:
    """The ``otpauth://`` URI an authenticator app takes (typed in, or as a QR code)."""
    return pyotp.TOTP(secret, interval=STEP_SECONDS).provisioning_uri(
        name=account, issuer_name=ISSUER
    )


def code_at(secret: str, now: datetime) -> str:
    """The code an authenticator app shows at ``now`` (for tests and the CLI)."""
    return pyotp.TOTP(secret, interval=STEP_SECONDS).at(now)


def normalised(code: str) -> str:
    """A code as typed, without the spaces an app shows in its middle."""
    return "".join(code.split())


def matching_step(secret: str, code: str, now: datetime, *, after: int | None) -> int | None:
    """The 30-second step whose code ``code`` is (now, or one step either side), if that step is
    later than ``after`` (the last one used); else None."""
    code = normalised(code)
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    current = int(now.timestamp()) // STEP_SECONDS
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if after is not None and step <= after:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None
