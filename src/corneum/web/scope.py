"""The keyword arguments every client-scoped service call takes, typed so they can be passed
as ``**scope``."""

from __future__ import annotations

from typing import TypedDict

from sqlalchemy.orm import Session


class ClientScope(TypedDict):
    session: Session
    clinic_id: int
    client_id: int
    actor: int | None
