"""``corneum db upgrade``, ``corneum user add`` and ``corneum user password`` through the real
command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.engine import URL
from typer.testing import CliRunner, Result

from corneum.cli.main import app
from corneum.db import migrate
from corneum.db.engine import make_engine, session_factory
from corneum.records.accounts.service import verify_password
from corneum.records.accounts.tables import Clinic, User
from corneum.records.auth.service import issue_token, user_for_token
from corneum.records.tables import metadata
from tests.records.accounts.signing import NOW

NEW_ADMIN = ("user", "add", "--email", "a@example.org", "--role", "admin", "--clinic", "C",
             "--new-clinic")  # fmt: skip
"""The first admin of a new clinic C, as ``corneum user add`` takes it."""
PASSWORD = "a long enough passphrase"


def run(url: URL | str, *args: str, stdin: str | None = None) -> Result:
    shown = url.render_as_string(hide_password=False) if isinstance(url, URL) else url
    return CliRunner().invoke(app, list(args), env={"CORNEUM_DATABASE_URL": shown}, input=stdin)


def one_line_error(result: Result, code: int, *words: str) -> None:
    assert result.exit_code == code, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0]


@pytest.fixture
def sqlite_url(tmp_path: Path) -> URL:
    url = URL.create("sqlite", database=str(tmp_path / "clinic.sqlite3"))
    migrate.upgrade(url)
    return url


def users(url: URL) -> list[tuple[User, Clinic]]:
    engine = make_engine(url)
    try:
        with session_factory(engine)() as session:
            statement = select(User, Clinic).join(Clinic, Clinic.id == User.clinic_id)
            return [(user, clinic) for user, clinic in session.execute(statement)]
    finally:
        engine.dispose()


def test_db_upgrade_creates_every_table_and_never_shows_the_password(
    empty_database_url: URL,
) -> None:
    if empty_database_url.get_backend_name() == "postgresql":
        # The test server trusts local connections: any password is accepted, so it can be shown.
        empty_database_url = empty_database_url.set(password="s3cret-pw")
    result = run(empty_database_url, "db", "upgrade")
    assert result.exit_code == 0, result.output
    assert f"revision {migrate.head_revision()}" in result.stdout
    assert "s3cret-pw" not in result.output
    engine = make_engine(empty_database_url)
    try:
        with engine.connect() as connection:
            assert set(metadata.tables) <= set(inspect(connection).get_table_names())
    finally:
        engine.dispose()
    assert run(empty_database_url, "db", "upgrade").exit_code == 0


def test_db_revision_tells_a_new_database_from_a_current_one(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    head = migrate.head_revision()
    assert run(url, "db", "revision").stdout.strip() == f"database: none; needed: {head}"
    run(url, "db", "upgrade")
    assert run(url, "db", "revision").stdout.strip() == f"database: {head}; needed: {head}"


def test_db_upgrade_names_a_bad_url() -> None:
    one_line_error(run("not a url", "db", "upgrade"), 2, "CORNEUM_DATABASE_URL")


def test_user_add_creates_the_clinic_and_a_verified_account(sqlite_url: URL) -> None:
    result = run(
        sqlite_url,
        *("user", "add", "--email", "Boss@Example.org", "--role", "admin"),
        *("--clinic", "Clear Skin", "--new-clinic", "--password-stdin"),
        stdin=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    assert "boss@example.org" not in result.output.lower()
    [(user, clinic)] = users(sqlite_url)
    assert (user.email, user.role, clinic.name) == ("boss@example.org", "admin", "Clear Skin")
    assert verify_password(user.password_hash, PASSWORD)


def test_user_add_prompts_for_the_password_without_echo(sqlite_url: URL) -> None:
    result = run(
        sqlite_url,
        *("user", "add", "--email", "vega@example.org", "--role", "practitioner"),
        *("--clinic", "Clear Skin", "--new-clinic", "--qualification", "doctor"),
        stdin=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    [(user, _)] = users(sqlite_url)
    assert user.qualifications == ["doctor"]


@pytest.mark.parametrize(
    ("options", "password", "field"),
    [
        (["--role", "owner"], PASSWORD, "--role"),
        (["--email", "nobody"], PASSWORD, "--email"),
        (["--qualification", "client"], PASSWORD, "--qualification"),
        (["--clinic", "  "], PASSWORD, "--clinic"),
        ([], "short", "password"),
    ],
)
def test_user_add_names_the_bad_field_on_one_line(
    sqlite_url: URL, options: list[str], password: str, field: str
) -> None:
    defaults = {"--email": "a@example.org", "--role": "practitioner", "--clinic": "Clear Skin"}
    defaults.update(dict(zip(options[::2], options[1::2], strict=True)))
    args = [part for pair in defaults.items() for part in pair]
    result = run(sqlite_url, "user", "add", *args, "--password-stdin", stdin=password)
    one_line_error(result, 2, field)
    assert password not in result.stderr
    assert users(sqlite_url) == []


def test_user_add_refuses_a_second_account_for_an_email_in_one_clinic(sqlite_url: URL) -> None:
    args = ["user", "add", "--email", "a@example.org", "--role", "reception", "--clinic", "C"]
    assert run(sqlite_url, *args, "--new-clinic", "--password-stdin", stdin=PASSWORD).exit_code == 0
    result = run(sqlite_url, *args, "--password-stdin", stdin=PASSWORD)
    one_line_error(result, 2, "--email", "already has this email address")


def test_user_add_joins_an_existing_clinic_only_by_its_exact_name(sqlite_url: URL) -> None:
    first = ["user", "add", "--email", "a@example.org", "--role", "admin", "--password-stdin"]
    assert (
        run(sqlite_url, *first, "--clinic", "Clinic A", "--new-clinic", stdin=PASSWORD).exit_code
        == 0
    )
    second = ["user", "add", "--email", "b@example.org", "--role", "reception", "--password-stdin"]

    slip = run(sqlite_url, *second, "--clinic", "Clinic  A ", stdin=PASSWORD)
    one_line_error(slip, 2, "--clinic", "did you mean 'Clinic A'")
    unknown = run(sqlite_url, *second, "--clinic", "Clinic B", stdin=PASSWORD)
    one_line_error(unknown, 2, "--clinic", "--new-clinic")
    again = run(sqlite_url, *second, "--clinic", "clinic a", "--new-clinic", stdin=PASSWORD)
    one_line_error(again, 2, "--clinic", "exists")
    assert [clinic.name for _, clinic in users(sqlite_url)] == ["Clinic A"]

    joined = run(sqlite_url, *second, "--clinic", " Clinic A", stdin=PASSWORD)
    assert joined.exit_code == 0, joined.output
    assert [clinic.name for _, clinic in users(sqlite_url)] == ["Clinic A", "Clinic A"]


def test_user_add_asks_for_an_upgrade_first(tmp_path: Path) -> None:
    url = URL.create("sqlite", database=str(tmp_path / "new.sqlite3"))
    args = ["user", "add", "--email", "a@example.org", "--role", "admin", "--clinic", "C"]
    result = run(url, *args, "--password-stdin", stdin=PASSWORD)
    one_line_error(result, 1, "corneum db upgrade")


def test_user_add_refuses_a_common_password_naming_it(sqlite_url: URL) -> None:
    args = [
        "user",
        "add",
        "--email",
        "a@example.org",
        "--role",
        "reception",
        "--clinic",
        "C",
        "--new-clinic",
    ]
    result = run(sqlite_url, *args, "--password-stdin", stdin="Password1234")
    one_line_error(result, 2, "password", "common")
    assert "Password1234" not in result.stderr
    assert users(sqlite_url) == []


def test_user_password_sets_a_new_one_and_ends_every_session(sqlite_url: URL) -> None:
    assert run(sqlite_url, *NEW_ADMIN, "--password-stdin", stdin=PASSWORD).exit_code == 0
    [(user, _)] = users(sqlite_url)
    engine = make_engine(sqlite_url)
    try:
        with session_factory(engine).begin() as session:
            stored = session.get(User, user.id)
            assert stored is not None
            token, _ = issue_token(session=session, user=stored, kind="bearer", now=NOW)
    finally:
        engine.dispose()
    new = "  a new  passphrase for the admin "
    weak = run(
        sqlite_url,
        "user",
        "password",
        "--email",
        "A@example.org",
        "--password-stdin",
        stdin="password1234",
    )
    one_line_error(weak, 2, "password", "common")
    result = run(
        sqlite_url,
        "user",
        "password",
        "--email",
        "A@example.org",
        "--password-stdin",
        stdin=new + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "a@example.org" not in result.output
    [(changed, _)] = users(sqlite_url)
    assert verify_password(changed.password_hash, new)
    engine = make_engine(sqlite_url)
    try:
        with session_factory(engine)() as session:
            assert user_for_token(session=session, token=token, now=NOW) is None
    finally:
        engine.dispose()
    unknown = run(
        sqlite_url, "user", "password", "--email", "b@example.org", "--password-stdin", stdin=new
    )
    one_line_error(unknown, 2, "--email")


def test_user_password_works_as_the_installed_command_in_its_own_process(
    sqlite_url: URL,
) -> None:
    assert run(sqlite_url, *NEW_ADMIN, "--password-stdin", stdin=PASSWORD).exit_code == 0
    env = {**os.environ, "CORNEUM_DATABASE_URL": sqlite_url.render_as_string()}
    command = [sys.executable, "-m", "corneum", "user", "password", "--email", "a@example.org"]
    done = subprocess.run(
        [*command, "--password-stdin"],
        input="the admin's fresh passphrase\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    [(user, _)] = users(sqlite_url)
    assert verify_password(user.password_hash, "the admin's fresh passphrase")


def test_user_password_asks_which_clinic_when_the_address_has_two_accounts(
    sqlite_url: URL,
) -> None:
    assert run(sqlite_url, *NEW_ADMIN, "--password-stdin", stdin=PASSWORD).exit_code == 0
    second = ["user", "add", "--email", "a@example.org", "--role", "admin"]
    other = [*second, "--clinic", "Clinic B", "--new-clinic", "--password-stdin"]
    assert run(sqlite_url, *other, stdin=PASSWORD).exit_code == 0
    new = "the second clinic's passphrase"
    change = ["user", "password", "--email", "a@example.org", "--password-stdin"]
    one_line_error(run(sqlite_url, *change, stdin=new), 2, "--clinic", "several clinics")
    assert run(sqlite_url, *change, "--clinic", "clinic  b", stdin=new).exit_code == 0
    stored = users(sqlite_url)
    changed = {clinic.name: verify_password(u.password_hash, new) for u, clinic in stored}
    assert changed == {"C": False, "Clinic B": True}
