"""``corneum user``: staff accounts, starting with the first admin of a clinic.

The password is read from stdin (``--password-stdin``) or prompted for without echo; it is never
printed, nor is the email: the output names the new user by id. The records are imported in the
command, not at the top, for the reason given in :mod:`corneum.cli.db`.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from pydantic import BaseModel, SecretStr, ValidationError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from corneum.records.accounts.tables import Clinic

from corneum.cli.db import load_settings, unit_of_work
from corneum.cli.errors import describe, fail

if TYPE_CHECKING:
    from corneum.records.errors import InvalidInputError

OPTION_NAMES = {
    "email": "--email",
    "role": "--role",
    "qualifications": "--qualification",
    "password": "password",
    "new_password": "password",
    "name": "--clinic",
}

M = TypeVar("M", bound=BaseModel)

user_app = typer.Typer(help="Staff accounts.", no_args_is_help=True)


@user_app.command("add")
def add_command(
    email: Annotated[str, typer.Option("--email", help="The address the user logs in with.")],
    role: Annotated[str, typer.Option("--role", help="admin, practitioner or reception")],
    clinic: Annotated[str, typer.Option("--clinic", help="The name of the user's clinic.")],
    qualification: Annotated[
        list[str] | None,
        typer.Option("--qualification", help="doctor or cosmetologist; repeat for both."),
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin.")
    ] = False,
    new_clinic: Annotated[
        bool,
        typer.Option("--new-clinic", help="Create the clinic named by --clinic (the first admin)."),
    ] = False,
) -> None:
    """Add a user to a clinic, e.g. the first admin of a new one (with --new-clinic)."""
    from corneum.records.accounts import service as accounts
    from corneum.records.accounts.schemas import ClinicCreate, UserCreate
    from corneum.records.errors import ConflictError, InvalidInputError

    settings = load_settings()
    clinic_data = validated(ClinicCreate, {"name": clinic})
    password = read_password(from_stdin=password_stdin)
    fields = {"email": email, "password": password, "role": role}
    data = validated(UserCreate, {**fields, "qualifications": qualification or []})
    with unit_of_work(settings) as session:
        row = the_clinic(session, clinic_data.name, new=new_clinic)
        try:
            user = accounts.create_user(session=session, clinic_id=row.id, data=data, actor=None)
        except ConflictError as exc:
            fail(f"{OPTION_NAMES.get(exc.field, exc.field)}: {exc.message}")
        except InvalidInputError as exc:
            fail(refused(exc))
    typer.echo(f"user {user.id} ({user.role}) added to clinic {row.id} ({row.name})")


def the_clinic(session: Session, name: str, *, new: bool) -> Clinic:
    """The named clinic, or a new one with ``new``; a name that is missing (or, with ``new``,
    taken, even as a slip of case or spacing) exits 2 naming --clinic. A clinic is never made
    by a typing slip."""
    from corneum.records.accounts import service as accounts
    from corneum.records.accounts.schemas import ClinicCreate

    found = accounts.find_clinic(session=session, name=name)
    similar = accounts.clinics_named_like(session=session, name=name)
    if new:
        if found is not None or similar:
            taken = (similar or [name])[0]
            fail(f"--clinic: a clinic named {taken!r} exists; leave out --new-clinic")
        return accounts.create_clinic(session=session, data=ClinicCreate(name=name))
    if found is None:
        hint = f"; did you mean {similar[0]!r}?" if similar else "; add --new-clinic to create it"
        fail(f"--clinic: no clinic is named {name!r}{hint}")
    return found


@user_app.command("password")
def password_command(
    email: Annotated[str, typer.Option("--email", help="The address the user logs in with.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the new password from stdin.")
    ] = False,
    clinic: Annotated[
        str | None,
        typer.Option("--clinic", help="Her clinic, when the address has accounts in several."),
    ] = None,
    remove_second_factor: Annotated[
        bool,
        typer.Option(
            "--remove-second-factor", help="Also remove her one-time code (a lost phone)."
        ),
    ] = False,
) -> None:
    """Give a user a new password (the way back in for an administrator who lost hers); every
    session of the user ends."""
    from datetime import UTC, datetime

    from sqlalchemy import select

    from corneum.records.accounts import service as accounts
    from corneum.records.accounts.schemas import PasswordReset
    from corneum.records.accounts.tables import Clinic, User
    from corneum.records.errors import InvalidInputError

    settings = load_settings()
    password = read_password(from_stdin=password_stdin)
    data = validated(
        PasswordReset,
        {"new_password": password, "remove_second_factor": remove_second_factor},
    )
    with unit_of_work(settings) as session:
        users = list(session.scalars(select(User).where(User.email == email.strip().lower())))
        if clinic is not None:
            named = set(accounts.clinics_named_like(session=session, name=clinic))
            users = [u for u in users if session.get_one(Clinic, u.clinic_id).name in named]
        if not users:
            fail("--email: no user has this address" + (" in that clinic" if clinic else ""))
        if len(users) > 1:
            fail("--clinic: this address has an account in several clinics; name hers")
        user = users[0]
        try:
            accounts.reset_password(
                session=session,
                clinic_id=user.clinic_id,
                user_id=user.id,
                password=data.new_password.get_secret_value(),
                remove_second_factor=data.remove_second_factor,
                actor=None,
                now=datetime.now(UTC),
            )
        except InvalidInputError as exc:
            fail(refused(exc))
        user_id = user.id
    typer.echo(f"user {user_id}: new password set; every session of the user ended")


def refused(exc: InvalidInputError) -> str:
    """A service's refusal on one line, each field under the name the user typed."""
    return " | ".join(
        f"{OPTION_NAMES.get(str(p['loc'][-1]), str(p['loc'][-1]))}: {p['msg']}"
        for p in exc.problems
    )


def read_password(*, from_stdin: bool) -> SecretStr:
    if from_stdin:
        return SecretStr(sys.stdin.read().rstrip("\r\n"))
    return SecretStr(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


def validated(model: type[M], data: dict[str, object]) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        fail(describe(exc, OPTION_NAMES))
