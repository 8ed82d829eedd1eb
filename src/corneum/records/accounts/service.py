"""Clinics, users and passwords. Passwords are hashed with Argon2id and never stored or logged."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from corneum.records.accounts.schemas import (
    ClinicCreate,
    UserCreate,
    UserSettingsUpdate,
    UserUpdate,
)
from corneum.records.accounts.tables import Clinic, User
from corneum.records.audit import service as audit
from corneum.records.audit.tables import Action
from corneum.records.auth.cache import TOKENS
from corneum.records.errors import ConflictError, NotFoundError
from corneum.records.paging import Page, paginate

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches the stored hash; a malformed hash never matches."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _decoy_hash() -> str:
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
    wanted = _loose(name)
    return [
        n for n in session.scalars(select(Clinic.name).order_by(Clinic.id)) if _loose(n) == wanted
    ]


def _loose(name: str) -> str:
    return " ".join(name.split()).casefold()


def get_or_create_clinic(*, session: Session, name: str) -> Clinic:
    """The clinic of that name, created if there is none (the first admin's set-up)."""
    data = ClinicCreate(name=name)
    clinic = session.scalar(select(Clinic).where(Clinic.name == data.name))
    return clinic or create_clinic(session=session, data=data)


EMAIL_TAKEN = "this email address cannot be used for a new account; choose another"


def create_user(*, session: Session, clinic_id: int, data: UserCreate, actor: int | None) -> User:
    """Add a staff account to a clinic; ``actor`` is the admin's user id (None: the system).

    An address names one account across all clinics (sign-in is by address alone), so one in
    use anywhere is refused; the refusal is the same, word for word, whether the account is in
    the caller's clinic or another, and names neither."""
    if session.scalar(select(User.id).where(User.email == data.email)) is not None:
        raise ConflictError("email", EMAIL_TAKEN)
    if session.get(Clinic, clinic_id) is None:
        raise NotFoundError("clinic", clinic_id)
    user = User(
        clinic_id=clinic_id,
        email=data.email,
        password_hash=hash_password(data.password.get_secret_value()),
        role=data.role,
        qualifications=list(data.qualifications),
        language=data.language,
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
    *, session: Session, clinic_id: int, user_id: int, data: UserUpdate, actor: int | None
) -> User:
    """Change a user's role, qualifications or whether the account may log in.

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
    session.flush()
    TOKENS.forget_user(user.id)
    _audit(session, actor, "update", user, {"fields": sorted(changes)})
    return user


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
    TOKENS.forget_user(user.id)
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


def authenticate(*, session: Session, email: str, password: str) -> User | None:
    """The active user with this email and password, or None; every attempt is audited.

    An unknown email costs the same hashing time as a wrong password, so response times do not
    reveal which emails have accounts.
    """
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        verify_password(_decoy_hash(), password)
        audit.record(
            session=session,
            actor_id=None,
            action="login_failed",
            resource="user",
            resource_id=None,
            client_id=None,
            clinic_id=None,
            detail={"reason": "unknown_email"},
        )
        return None
    refusal = _refusal(user, password)
    if refusal:
        _audit(session, user.id, "login_failed", user, {"reason": refusal})
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    _audit(session, user.id, "login", user)
    return user


def _refusal(user: User, password: str) -> str | None:
    if not verify_password(user.password_hash, password):
        return "wrong_password"
    if not user.active:
        return "inactive"
    return None


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
