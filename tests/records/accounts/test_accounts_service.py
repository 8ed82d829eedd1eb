"""Staff accounts: Argon2 hashes, authentication, one account per email."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from corneum.records.accounts import service
from corneum.records.accounts.schemas import UserCreate, UserUpdate
from corneum.records.accounts.tables import Clinic, User
from corneum.records.audit.tables import AuditEvent
from corneum.records.errors import ConflictError
from tests.records.accounts.signing import NOW, authenticate


def test_a_password_is_stored_as_an_argon2id_hash_that_verifies(
    practitioner: User, password: str
) -> None:
    assert practitioner.password_hash.startswith("$argon2id$")
    assert password not in practitioner.password_hash
    assert service.verify_password(practitioner.password_hash, password)


@pytest.mark.parametrize("attempt", ["", "correct horse battery", "CORRECT HORSE BATTERY STAPLE"])
def test_a_wrong_password_does_not_verify(practitioner: User, attempt: str) -> None:
    assert not service.verify_password(practitioner.password_hash, attempt)


def test_a_malformed_hash_never_verifies(password: str) -> None:
    assert not service.verify_password("not a hash", password)


def test_authentication_finds_the_user_whatever_the_case_of_the_email(
    db_session: Session, practitioner: User, password: str
) -> None:
    found = authenticate(session=db_session, email=" DR.VEGA@example.org", password=password)
    assert found is practitioner


@pytest.mark.parametrize(
    ("email", "wrong_password", "reason"),
    [
        ("dr.vega@example.org", True, "wrong_password"),
        ("nobody@example.org", False, "unknown_email"),
    ],
)
def test_a_failed_login_is_refused_and_audited_without_the_email(
    db_session: Session,
    practitioner: User,
    password: str,
    email: str,
    wrong_password: bool,
    reason: str,
) -> None:
    attempt = "wrong password!" if wrong_password else password
    assert authenticate(session=db_session, email=email, password=attempt) is None
    failure = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "login_failed")
    ).one()
    assert failure.detail == {"reason": reason}
    assert "@" not in str(failure.detail)


def test_an_inactive_user_cannot_log_in(
    db_session: Session, clinic: Clinic, practitioner: User, password: str
) -> None:
    service.update_user(
        session=db_session,
        clinic_id=clinic.id,
        user_id=practitioner.id,
        data=UserUpdate(active=False),
        actor=None,
        now=NOW,
    )
    found = authenticate(session=db_session, email=practitioner.email, password=password)
    assert found is None


def test_an_email_has_one_account(
    db_session: Session, clinic: Clinic, practitioner: User, password: str
) -> None:
    data = UserCreate.model_validate(
        {"email": "DR.VEGA@EXAMPLE.ORG", "password": password, "role": "reception"}
    )
    with pytest.raises(ConflictError, match="email"):
        service.create_user(session=db_session, clinic_id=clinic.id, data=data, actor=None)


@pytest.mark.parametrize(
    ("field", "value", "error_field"),
    [
        ("password", "short", "password"),
        ("role", "owner", "role"),
        ("email", "not-an-email", "email"),
        ("qualifications", ["client"], "qualifications"),
    ],
)
def test_a_bad_user_is_refused_naming_the_field(
    password: str, field: str, value: object, error_field: str
) -> None:
    data = {"email": "a@example.org", "password": password, "role": "practitioner"}
    with pytest.raises(ValidationError) as caught:
        UserCreate.model_validate({**data, field: value})
    assert caught.value.errors()[0]["loc"][0] == error_field


def test_a_clinic_is_created_once(db_session: Session, clinic: Clinic) -> None:
    again = service.get_or_create_clinic(session=db_session, name=f"  {clinic.name} ")
    assert again.id == clinic.id


@pytest.fixture
def admin(db_session: Session, clinic: Clinic, password: str) -> User:
    data = UserCreate.model_validate(
        {"email": "boss@example.org", "password": password, "role": "admin"}
    )
    return service.create_user(session=db_session, clinic_id=clinic.id, data=data, actor=None)


@pytest.mark.parametrize(
    ("change", "field"), [({"role": "practitioner"}, "role"), ({"active": False}, "active")]
)
def test_the_last_active_admin_stays_one(
    db_session: Session, admin: User, change: dict[str, object], field: str
) -> None:
    with pytest.raises(ConflictError, match=field):
        service.update_user(
            session=db_session,
            clinic_id=admin.clinic_id,
            user_id=admin.id,
            data=UserUpdate.model_validate(change),
            actor=admin.id,
            now=NOW,
        )
    assert (admin.role, admin.active) == ("admin", True)


def test_an_admin_may_step_down_when_another_remains(
    db_session: Session, admin: User, password: str
) -> None:
    data = UserCreate.model_validate(
        {"email": "deputy@example.org", "password": password, "role": "admin"}
    )
    service.create_user(session=db_session, clinic_id=admin.clinic_id, data=data, actor=None)
    changed = service.update_user(
        session=db_session,
        clinic_id=admin.clinic_id,
        user_id=admin.id,
        data=UserUpdate(role="practitioner", qualifications=["doctor"]),
        actor=admin.id,
        now=NOW,
    )
    assert changed.role == "practitioner"
