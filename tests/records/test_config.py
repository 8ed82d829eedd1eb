"""Settings come from CORNEUM_* variables when asked for, and refuse insecure production."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from corneum.config import InsecureSettingsError, Settings, get_settings

STRONG = "k" * 16 + "9f2c1e7a0b3d4c5e6f708192a3b4c5d6"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("CORNEUM_DATABASE_URL", "CORNEUM_MODE", "CORNEUM_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("CORNEUM_ENV_FILE", str(tmp_path / "no.env"))  # not a developer's .env


def test_the_default_database_is_a_sqlite_file_in_the_user_data_directory(tmp_path: Path) -> None:
    settings = get_settings()
    expected = tmp_path / "data" / "corneum" / "corneum.sqlite3"
    assert settings.database_url == f"sqlite:///{expected}"
    assert not (tmp_path / "data").exists()
    assert settings.mode == "production"


def test_settings_are_read_from_corneum_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORNEUM_DATABASE_URL", "postgresql://db.internal/corneum")
    monkeypatch.setenv("CORNEUM_MODE", "demo")
    monkeypatch.setenv("CORNEUM_SECRET_KEY", STRONG)
    settings = get_settings()
    assert settings.database_url == "postgresql://db.internal/corneum"
    assert settings.mode == "demo"
    assert settings.secret_key is not None
    assert settings.secret_key.get_secret_value() == STRONG
    assert STRONG not in repr(settings)


def test_an_unknown_mode_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORNEUM_MODE", "staging")
    with pytest.raises(ValidationError, match="production"):
        get_settings()


@pytest.mark.parametrize(
    ("secret", "message"),
    [(None, "missing"), ("changethis", "placeholder"), ("short-but-real", "shorter than 32")],
)
def test_production_refuses_a_missing_placeholder_or_short_secret(
    secret: str | None, message: str
) -> None:
    settings = Settings.model_validate({"mode": "production", "secret_key": secret})
    with pytest.raises(InsecureSettingsError, match=message):
        settings.check_secure()


def test_production_accepts_a_long_secret() -> None:
    Settings.model_validate({"mode": "production", "secret_key": STRONG}).check_secure()


@pytest.mark.parametrize("mode", ["demo", "development"])
def test_demo_and_development_run_without_a_secret(mode: str) -> None:
    Settings.model_validate({"mode": mode}).check_secure()


def test_a_dot_env_file_fills_in_what_the_environment_does_not_set(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CORNEUM_ENV_FILE")
    (tmp_path / ".env").write_text(
        "# the clinic's settings\n"
        "CORNEUM_MODE=demo\n"
        "CORNEUM_SMTP_SECURITY=starttls\n"
        "CORNEUM_SMTP_PORT=587\n"
        'CORNEUM_SMTP_PASSWORD="pass word with # and spaces"\n'
        "CORNEUM_LOG_FORMAT=json\n"
    )
    monkeypatch.setenv("CORNEUM_SMTP_PORT", "2525")  # the environment wins over the file
    settings = get_settings()
    assert (settings.mode, settings.smtp_security, settings.log_format) == (
        "demo",
        "starttls",
        "json",
    )
    assert settings.smtp_port == 2525
    assert settings.smtp_password is not None
    assert settings.smtp_password.get_secret_value() == "pass word with # and spaces"


def test_corneum_env_file_names_another_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "etc" / "corneum.env"
    elsewhere.parent.mkdir()
    elsewhere.write_text("CORNEUM_LOG_LEVEL=WARNING\n")
    monkeypatch.setenv("CORNEUM_ENV_FILE", str(elsewhere))
    assert get_settings().log_level == "WARNING"
    assert Settings().log_level == "INFO"  # only get_settings reads a file: tests build their own
