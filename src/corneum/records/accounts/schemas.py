"""Clinics and users as the API and the CLI take and give them (never a password hash)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, SecretStr, StringConstraints

from corneum.records.accounts.tables import Language, Role
from corneum.records.fields import Email, Input, Name, Output, Qualification

MIN_PASSWORD_LENGTH = 12

LowerEmail = Annotated[Email, StringConstraints(to_lower=True)]
Password = Annotated[SecretStr, Field(min_length=MIN_PASSWORD_LENGTH, max_length=1024)]
Colour = Annotated[
    str, StringConstraints(strip_whitespace=True, to_lower=True, pattern=r"^#[0-9a-fA-F]{6}$")
]
"""``#rrggbb``, as a colour input gives it."""


class ClinicCreate(Input):
    name: Name


class ClinicRead(Output):
    id: int
    name: str
    created_at: datetime


class UserCreate(Input):
    email: LowerEmail
    password: Password
    role: Role
    qualifications: list[Qualification] = Field(default_factory=list)
    language: Language = "en"
    full_name: Name | None = None
    colour: Colour | None = None


class UserUpdate(Input):
    role: Role | None = None
    qualifications: list[Qualification] | None = None
    active: bool | None = None
    full_name: Name | None = None
    colour: Colour | None = None


class UserSettingsUpdate(Input):
    """What every user may change on their own account."""

    language: Language | None = None


class PasswordReset(Input):
    """An administrator's new password for a user; ``remove_second_factor`` when she has lost
    the phone with her authenticator app."""

    new_password: Password
    remove_second_factor: bool = False


class UserRead(Output):
    id: int
    clinic_id: int
    email: str
    full_name: str | None = None
    colour: str | None = None
    role: Role
    qualifications: list[str]
    active: bool
    created_at: datetime
    language: str
    second_factor: bool
