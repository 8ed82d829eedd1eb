"""The portal's settings and personal links as the API takes and shows them."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from corneum.records.accounts.tables import Language
from corneum.records.fields import Phone
from corneum.records.portal.tables import SignInCheck


class PortalLinkCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    language: Language | None = None
    """The language the portal speaks to the client; kept as her preference. None: as before
    (English for a client who never had one)."""


class PortalLinkIssued(BaseModel):
    """A new link: its address (shown once; only its hash is kept) and when it stops working."""

    id: int
    url: str
    expires_at: datetime


class PortalLinkRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    client_id: int
    created_by: int | None
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None


class PortalSettingsUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sign_in_check: SignInCheck = "code"
    cancel_notice_hours: int = Field(default=24, ge=0, le=720)
    link_days: int = Field(default=7, ge=1, le=30)
    clinic_phone: Phone | None = None


class PortalSettingsRead(PortalSettingsUpdate):
    model_config = ConfigDict(from_attributes=True, extra="ignore")
