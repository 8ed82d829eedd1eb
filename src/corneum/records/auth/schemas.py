"""What the sign-in endpoints take and give."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from corneum.records.accounts.schemas import Password
from corneum.records.fields import Input

OneTimeCode = Annotated[str, Field(min_length=6, max_length=16, pattern=r"^[0-9 ]+$")]
"""Six digits from an authenticator app (spaces allowed, as apps show them)."""


class LoginRequest(Input):
    email: str = Field(min_length=3, max_length=254)
    password: SecretStr = Field(min_length=1, max_length=1024)
    code: OneTimeCode | None = None
    """The one-time code, for an account with a second factor (it also passes the growing
    wait that failed attempts on the account impose)."""
    clinic: str | None = Field(default=None, min_length=1, max_length=200)
    """The clinic's name, for an address with an account in more than one clinic (case and
    spacing do not matter); without it, the oldest account the password matches."""


class PasswordChange(Input):
    current_password: SecretStr = Field(min_length=1, max_length=1024)
    new_password: Password


class CodeInput(Input):
    code: OneTimeCode


class SecondFactorSetup(BaseModel):
    """The new secret for the authenticator app, as text and as an ``otpauth://`` URI; the
    second factor is on once a code from the app confirms it."""

    secret: str
    otpauth_uri: str


class TokenRead(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: datetime


class MeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    clinic_id: int
    email: str
    role: str
    qualifications: list[str]
    language: str
    second_factor: bool
