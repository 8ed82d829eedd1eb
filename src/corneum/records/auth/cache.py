"""A short-lived, in-process memory of which user a token belongs to.

Looking a token up costs two queries per request, several times the work of most requests. A
token seen in the last ``TTL`` is trusted without asking the database again. Signing out, and
any change to a user (role, qualifications, language, deactivation), forget at once in this
process; a server running several processes may honour a revoked token in the others for up to
``TTL``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from corneum.records.accounts.tables import Language, User

TTL = timedelta(seconds=30)
MAX_ENTRIES = 10_000


@dataclass(frozen=True, slots=True)
class _Entry:
    user_id: int
    clinic_id: int
    email: str
    role: str
    qualifications: tuple[str, ...]
    language: Language
    totp_enabled: bool
    token_expires_at: datetime
    cached_at: datetime

    def user(self) -> User:
        """A fresh, detached copy, so no request can change what another sees."""
        return User(
            id=self.user_id,
            clinic_id=self.clinic_id,
            email=self.email,
            role=self.role,
            qualifications=list(self.qualifications),
            language=self.language,
            active=True,
            totp_enabled=self.totp_enabled,
        )


class TokenCache:
    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}

    def get(self, key: str, now: datetime) -> User | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if now - entry.cached_at >= TTL or now >= entry.token_expires_at:
            self._entries.pop(key, None)
            return None
        return entry.user()

    def put(self, key: str, user: User, token_expires_at: datetime, now: datetime) -> None:
        if len(self._entries) >= MAX_ENTRIES:
            self._entries.clear()
        self._entries[key] = _Entry(
            user.id,
            user.clinic_id,
            user.email,
            user.role,
            tuple(user.qualifications),
            user.language,
            user.totp_enabled,
            token_expires_at,
            now,
        )

    def forget(self, key: str) -> None:
        self._entries.pop(key, None)

    def forget_user(self, user_id: int) -> None:
        for key in [k for k, e in self._entries.items() if e.user_id == user_id]:
            self._entries.pop(key, None)


TOKENS = TokenCache()
