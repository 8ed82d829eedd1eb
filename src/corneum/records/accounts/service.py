"""Clinics, users and passwords. Passwords are hashed with Argon2id and never stored or logged."""

from __future__ import annotations

from datetime import datetime
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from corneum.phrase import N_
from corneum.records.accounts import totp
from corneum.records.accounts.passwords import check_password
from corneum.records.accounts.schemas import (
    ClinicCreate,
    UserCreate,
    UserSettingsUpdate,
    UserUpdate,
)
from corneum.records.accounts.tables import Clinic, User
from corneum.records.audit import service as audit
from corneum.records.audit.tables import Action
from corneum.records.auth.tables import AuthToken
from corneum.records.errors import ConflictError, InvalidInputError, NotFoundError, Problem
from corneum.records.paging import Page, paginate

_hasher = PasswordHasher()
# Refusals of the second factor, marked for the web app's catalogue.
WRONG_CODE = N_("the code is wrong or used")
SECOND_FACTOR_ON = N_("a second factor is on; turn it off first")
NOT_SETTING_UP = N_("no second factor is being set up")
SECOND_FACTOR_OFF = N_("no second factor is on")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches the stored hash; a malformed hash never matches."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return False


@cache
def decoy_hash() -> str:
    """A hash no password given matches, checked for an unknown e-mail so it costs the same."""
    return hash_password("a password nobody has")


def create_clinic(*, session: Session, data: ClinicCreate) -> Clinic:
    if session.scalar(select(Clinic.id).where(Clinic.name == data.name)) is not None:
        raise ConflictError("name", "a clinic with this name exists")
    clinic = Clinic(name=data.name)
    session.add(clinic)
    session.flush()
    return clinic


def find_clinic(*, session: Session, name: str) -> Clinic | None:
    """The clinic of exactly that name (surrounding spaces aside), or None."""
    return session.scalar(select(Clinic).where(Clinic.name == ClinicCreate(name=name).name))


def clinics_named_like(*, session: Session, name: str) -> list[str]:
    """Names of clinics that differ from ``name`` only in case or spacing ("Clinic  A " and
    "clinic a"): a typing slip, not a new clinic."""
    wanted = loose_name(name)
    return [
        n
        for n in session.scalars(select(Clinic.name).order_by(Clinic.id))
        if loose_name(n) == wanted
    ]


def loose_name(name: str) -> str:
    """A clinic's name as a person types it: case and spacing do not matter."""
    return " ".join(name.split()).casefold()


def get_or_create_clinic(*, session: Session, name: str) -> Clinic:
    """The clinic of that name, created if there is none (the first admin's set-up)."""
    data = ClinicCreate(name=name)
    clinic = session.scalar(select(Clinic).where(Clinic.name == data.name))
    return clinic or create_clinic(session=session, data=data)


EMAIL_TAKEN = "someone on this clinic's staff already has this email address"


def create_user(*, session: Session, clinic_id: int, data: UserCreate, actor: int | None) -> User:
    """Add a staff account to a clinic; ``actor`` is the admin's user id (None: the system).

    An address names at most one account in each clinic: one already in the caller's clinic
    is refused (she can see her own staff), while an account of the same address in another
    clinic is no bar and is never revealed: a person working for two clinics has an account in
    each (see :func:`corneum.records.auth.service.begin_attempt` for how she signs in)."""
    taken = select(User.id).where(User.email == data.email, User.clinic_id == clinic_id)
    if session.scalar(taken) is not None:
        raise ConflictError("email", EMAIL_TAKEN)
    if session.get(Clinic, clinic_id) is None:
        raise NotFoundError("clinic", clinic_id)
    check_password(data.password.get_secret_value(), email=data.email)
    user = User(
        clinic_id=clinic_id,
        email=data.email,
        password_hash=hash_password(data.password.get_secret_value()),
        role=data.role,
        qualifications=list(data.qualifications),
        language=data.language,
        full_name=data.full_name,
        colour=data.colour,
    )
    session.add(user)
    session.flush()
    _audit(session, actor, "create", user)
    return user


def get_user(*, session: Session, clinic_id: int, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or user.clinic_id != clinic_id:
        raise NotFoundError("user", user_id)
    return user


def list_users(*, session: Session, clinic_id: int, offset: int = 0, limit: int = 50) -> Page[User]:
    statement = select(User).where(User.clinic_id == clinic_id).order_by(User.email)
    return paginate(session, statement, offset=offset, limit=limit)


def update_user(
    *,
    session: Session,
    clinic_id: int,
    user_id: int,
    data: UserUpdate,
    actor: int | None,
    now: datetime,
) -> User:
    """Change a user's name, colour, role, qualifications or whether the account may log in.
    Deactivating
    revokes every token and session of the account, so reactivating it later revives none.

    Refuses (409) to demote or deactivate the clinic's last active admin: nobody else could
    then manage the clinic's accounts."""
    user = get_user(session=session, clinic_id=clinic_id, user_id=user_id)
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    stays_admin = changes.get("role", user.role) == "admin" and changes.get("active", user.active)
    if _is_active_admin(user) and not stays_admin and not _another_admin(session, user):
        field = "role" if "role" in changes else "active"
        raise ConflictError(field, "the clinic's last active admin must stay an active admin")
    for field, value in changes.items():
        setattr(user, field, value)
    if changes.get("active") is False:
        revoke_tokens(session=session, user_id=user.id, now=now)
    session.flush()
    _audit(session, actor, "update", user, {"fields": sorted(changes)})
    return user


def revoke_tokens(
    *, session: Session, user_id: int, now: datetime, keep_sha256: str | None = None
) -> None:
    """Revoke every live token of the user (but the one hashed ``keep_sha256``, the session
    that asked): every server process refuses them from the next request on."""
    statement = update(AuthToken).where(
        AuthToken.user_id == user_id, AuthToken.revoked_at.is_(None)
    )
    if keep_sha256 is not None:
        statement = statement.where(AuthToken.token_sha256 != keep_sha256)
    session.execute(statement.values(revoked_at=now))


def set_password(
    *,
    session: Session,
    user: User,
    password: str,
    actor: int | None,
    now: datetime,
    password_hash: str | None = None,
    keep_sha256: str | None = None,
) -> None:
    """Give the user a new password (checked against the rules; ``password_hash`` its hash when
    the caller made it already, outside the transaction) and revoke her other sessions: whoever
    knew the old one is signed out everywhere."""
    check_password(password, email=user.email, field="new_password")
    user.password_hash = password_hash or hash_password(password)
    revoke_tokens(session=session, user_id=user.id, now=now, keep_sha256=keep_sha256)
    session.flush()
    _audit(session, actor, "update", user, {"fields": ["password"]})


def reset_password(
    *,
    session: Session,
    clinic_id: int,
    user_id: int,
    password: str,
    remove_second_factor: bool,
    actor: int | None,
    now: datetime,
) -> User:
    """An administrator's reset of a user's password (and, for a lost phone, her second
    factor); every session of the user ends."""
    user = get_user(session=session, clinic_id=clinic_id, user_id=user_id)
    set_password(session=session, user=user, password=password, actor=actor, now=now)
    if remove_second_factor:
        _second_factor_off(session, user, actor)
    return user


def start_second_factor(*, session: Session, clinic_id: int, user_id: int) -> tuple[str, str]:
    """A new secret for the user's authenticator app, kept until she confirms it with a code:
    the secret and its ``otpauth://`` URI. Refused (409) while a second factor is on."""
    user = get_user(session=session, clinic_id=clinic_id, user_id=user_id)
    if user.totp_enabled:
        raise ConflictError("second_factor", SECOND_FACTOR_ON)
    user.totp_secret = totp.new_secret()
    user.totp_last_step = None
    session.flush()
    return user.totp_secret, totp.provisioning_uri(user.totp_secret, user.email)


def confirm_second_factor(
    *, session: Session, clinic_id: int, user_id: int, code: str, now: datetime
) -> User:
    """Turn the second factor on with a code the app shows for the new secret (422 for a
    wrong one: the app was set up with something else)."""
    user = get_user(session=session, clinic_id=clinic_id, user_id=user_id)
    if user.totp_enabled or user.totp_secret is None:
        raise ConflictError("second_factor", NOT_SETTING_UP)
    step = totp.matching_step(user.totp_secret, code, now, after=None)
    if step is None:
        raise _wrong_code()
    user.totp_enabled = True
    user.totp_last_step = step
    session.flush()
    _audit(session, user.id, "update", user, {"fields": ["second_factor"]})
    return user


def stop_second_factor(
    *, session: Session, clinic_id: int, user_id: int, code: str, now: datetime
) -> User:
    """Turn the user's own second factor off, proven with a current code from her app."""
    user = get_user(session=session, clinic_id=clinic_id, user_id=user_id)
    if not user.totp_enabled or user.totp_secret is None:
        raise ConflictError("second_factor", SECOND_FACTOR_OFF)
    if not accept_code(user, code, now):
        raise _wrong_code()
    _second_factor_off(session, user, user.id)
    return user


def accept_code(user: User, code: str, now: datetime) -> bool:
    """Whether ``code`` is the user's current one-time code, not used before; a code accepted
    is used up."""
    if not user.totp_enabled or user.totp_secret is None:
        return False
    step = totp.matching_step(user.totp_secret, code, now, after=user.totp_last_step)
    if step is None:
        return False
    user.totp_last_step = step
    return True


def _second_factor_off(session: Session, user: User, actor: int | None) -> None:
    user.totp_enabled = False
    user.totp_secret = None
    user.totp_last_step = None
    session.flush()
    _audit(session, actor, "update", user, {"fields": ["second_factor"]})


def _wrong_code() -> InvalidInputError:
    return InvalidInputError([Problem(loc=("body", "code"), msg=WRONG_CODE, type="wrong_code")])


def pending_second_factor(user: User) -> tuple[str, str] | None:
    """The secret being set up (not yet confirmed) and its URI, or None."""
    if user.totp_enabled or user.totp_secret is None:
        return None
    return user.totp_secret, totp.provisioning_uri(user.totp_secret, user.email)


def update_own_settings(
    *, session: Session, clinic_id: int, user_id: int, data: UserSettingsUpdate
) -> User:
    """Change what a user may change on their own account (their language); audited with the
    user as the actor."""
    user = get_user(session=session, clinic_id=clinic_id, user_id=user_id)
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    for field, value in changes.items():
        setattr(user, field, value)
    session.flush()
    _audit(session, user.id, "update", user, {"fields": sorted(changes)})
    return user


def _is_active_admin(user: User) -> bool:
    return user.role == "admin" and user.active


def _another_admin(session: Session, user: User) -> bool:
    """Whether the user's clinic has an active admin besides the user."""
    statement = select(User.id).where(
        User.clinic_id == user.clinic_id,
        User.role == "admin",
        User.active.is_(True),
        User.id != user.id,
    )
    return session.scalar(statement.limit(1)) is not None


def _audit(
    session: Session,
    actor: int | None,
    action: Action,
    user: User,
    detail: audit.Detail | None = None,
) -> None:
    audit.record(
        session=session,
        actor_id=actor,
        action=action,
        resource="user",
        resource_id=user.id,
        client_id=None,
        clinic_id=user.clinic_id,
        detail=detail,
    )
