"""Settings, read from ``CORNEUM_*`` environment variables by :func:`get_settings`, and from a
``.env`` file (the current directory's, or the one ``CORNEUM_ENV_FILE`` names) for whatever the
environment does not set.

Nothing here runs at import time: a test or the API builds as many variants as it needs.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir
from pydantic import Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Mode = Literal["production", "development", "demo"]
SmtpSecurity = Literal["none", "starttls", "tls"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]
LogFormat = Literal["text", "json"]
ENV_FILE = ".env"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})

MIN_SECRET_LENGTH = 32
KNOWN_DEFAULT_SECRETS = frozenset({"changethis", "change-me", "changeme", "secret", "corneum"})
"""Placeholders copied from examples; refused as if no secret were set."""


class InsecureSettingsError(RuntimeError):
    """The settings are not safe to run in production with."""


def default_database_path() -> Path:
    """The embedded SQLite file in the user's data directory (created when first used)."""
    return Path(user_data_dir("corneum", appauthor=False)) / "corneum.sqlite3"


def default_photo_dir() -> Path:
    """Where before/after photos are kept: beside the database in the user's data directory."""
    return Path(user_data_dir("corneum", appauthor=False)) / "photos"


def default_database_url() -> str:
    return f"sqlite:///{default_database_path()}"


def default_demo_database_url() -> str:
    """The demo clinic's own SQLite file, beside the real one and never the same."""
    return f"sqlite:///{default_database_path().with_name('corneum-demo.sqlite3')}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CORNEUM_", extra="ignore")

    database_url: str = Field(default_factory=default_database_url)
    """SQLAlchemy URL: ``sqlite:///PATH`` or ``postgresql+psycopg://USER@HOST/DB``."""
    database_pgbouncer: bool = False
    """``CORNEUM_DATABASE_URL`` names a pgbouncer in transaction pool mode: no server-side
    prepared statements (nothing else needs it)."""
    mode: Mode = "production"
    secret_key: SecretStr | None = None
    """Signs tokens and session cookies; required in production."""
    smtp_host: str = "127.0.0.1"
    """Where ``corneum worker`` sends reminders: a local relay, or a provider's server."""
    smtp_port: int = Field(default=25, ge=1, le=65535)
    """25 for a local relay; 587 with ``starttls``, 465 with ``tls``, as providers give them."""
    smtp_security: SmtpSecurity = "none"
    """``starttls``: upgrade the connection before anything else is said; ``tls``: TLS from
    the first byte (SMTPS). The server's certificate is checked against the system's CAs."""
    smtp_ca_file: Path | None = None
    """A CA bundle (PEM) to check the SMTP server's certificate with, instead of the system's."""
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    """Credentials for SMTP AUTH; sent only over TLS (or to a relay on this machine)."""
    smtp_from: str = "corneum@localhost"
    smtp_timeout_seconds: float = Field(default=30.0, gt=0, le=600)
    """How long ``corneum worker`` waits for the SMTP server at each step before giving up."""
    reminder_retry_seconds: float = Field(default=60.0, gt=0)
    """After a failed send the reminder is tried again this much later, doubling each time."""
    reminder_retry_max_seconds: float = Field(default=3600.0, gt=0)
    """The longest wait between two tries of one reminder."""
    reminder_lease_seconds: float = Field(default=300.0, gt=0)
    """How long a reminder taken by a worker is left alone: a worker that dies mid-send leaves
    it to be tried again after this (keep it well above the SMTP timeout)."""
    api_docs: bool | None = None
    """Serve ``/docs``, ``/redoc`` and ``/openapi.json``; unset: in development and demo mode
    only (in production the schema would map the API for anyone who asks)."""
    photo_dir: Path = Field(default_factory=default_photo_dir)
    """Before/after photos' image files (their metadata is in the database); back it up too."""
    photo_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    """The largest photo accepted, in bytes."""
    request_max_bytes: int = Field(default=1024 * 1024, ge=1024)
    """The largest request body of any other request (JSON, forms), in bytes; a larger one is
    refused (413) by its Content-Length, or as soon as that much has arrived, before parsing."""
    sign_in_per_address_per_minute: int = Field(default=20, ge=1)
    """Sign-in attempts one client address may make in a minute (a burst of that many)."""
    sign_in_per_minute: int = Field(default=300, ge=1)
    """Sign-in attempts the whole server takes in a minute, from all addresses together."""
    sign_in_failures_before_delay: int = Field(default=5, ge=1)
    """Wrong passwords in a row for one account before each further attempt must wait: 30 s,
    then doubling, up to ``sign_in_max_delay_seconds``; a right one-time code skips the wait."""
    sign_in_address_failures_before_delay: int = Field(default=20, ge=1)
    """Failed sign-ins in a row from one client address before it must wait likewise."""
    sign_in_max_delay_seconds: int = Field(default=900, ge=1)
    """The longest wait a run of failures imposes (per account and per address)."""
    hashing_slots: int = Field(default=0, ge=0, le=64)
    """Password checks (Argon2, 64 MiB each) run at once; 0: one per CPU the server may use."""
    log_level: LogLevel = "INFO"
    """The least severe log lines ``corneum serve`` writes."""
    log_format: LogFormat = "text"
    """``json``: one JSON object a line (time, level, logger, message, request id) for a log
    collector; ``text``: uvicorn's lines, for a person."""

    @field_validator("smtp_username")
    @classmethod
    def _credentials_only_over_tls(cls, value: str | None, info: ValidationInfo) -> str | None:
        plain = info.data.get("smtp_security") == "none"
        if value is not None and plain and info.data.get("smtp_host") not in LOOPBACK_HOSTS:
            raise ValueError(
                "set, with no TLS to a server on another machine: the password would cross the "
                "network in the clear; set CORNEUM_SMTP_SECURITY to starttls or tls"
            )
        return value

    def check_secure(self) -> None:
        """Refuse to run in production with a missing, placeholder or short secret key.

        Demo and development modes accept any key, so a new user can start without set-up.
        """
        if self.mode != "production":
            return
        secret = self.secret_key.get_secret_value() if self.secret_key else ""
        if not secret or secret.lower() in KNOWN_DEFAULT_SECRETS:
            raise InsecureSettingsError(
                "CORNEUM_SECRET_KEY is missing or a placeholder; set a random secret of at least "
                f"{MIN_SECRET_LENGTH} characters, or run with CORNEUM_MODE=demo or development"
            )
        if len(secret) < MIN_SECRET_LENGTH:
            raise InsecureSettingsError(
                f"CORNEUM_SECRET_KEY is shorter than {MIN_SECRET_LENGTH} characters"
            )


def get_settings() -> Settings:
    """Read the settings from the environment and the ``.env`` file, now; the environment wins."""
    return Settings(_env_file=os.environ.get("CORNEUM_ENV_FILE", ENV_FILE))
