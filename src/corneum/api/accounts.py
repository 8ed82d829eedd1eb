"""Staff accounts over HTTP: an admin lists, adds and changes the users of their own clinic."""

from __future__ import annotations

from fastapi import APIRouter, status

from corneum.http.deps import Admin, ClockDep, Paged50, PathId, SessionDep
from corneum.records.accounts import service
from corneum.records.accounts.schemas import PasswordReset, UserCreate, UserRead, UserUpdate
from corneum.records.paging import PageRead

router = APIRouter(prefix="/api/users", tags=["users"])


@router.get("", response_model=PageRead[UserRead])
def list_users(user: Admin, session: SessionDep, page: Paged50) -> PageRead[UserRead]:
    """The clinic's users by email, one page at a time."""
    found = service.list_users(
        session=session, clinic_id=user.clinic_id, offset=page.offset, limit=page.limit
    )
    return page.of(found, [UserRead.model_validate(row) for row in found.items])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=UserRead)
def create_user(data: UserCreate, user: Admin, session: SessionDep) -> UserRead:
    """A new account in the admin's clinic; an email already in use is 409."""
    created = service.create_user(
        session=session, clinic_id=user.clinic_id, data=data, actor=user.id
    )
    return UserRead.model_validate(created)


@router.get("/{user_id}", response_model=UserRead)
def get_user(user_id: PathId, user: Admin, session: SessionDep) -> UserRead:
    found = service.get_user(session=session, clinic_id=user.clinic_id, user_id=user_id)
    return UserRead.model_validate(found)


@router.patch("/{user_id}", response_model=UserRead)
def update_user(
    user_id: PathId, data: UserUpdate, user: Admin, session: SessionDep, clock: ClockDep
) -> UserRead:
    """Change the role, the qualifications or whether the account may sign in (deactivating
    ends every session of the account); the clinic's last active admin stays one (409)."""
    changed = service.update_user(
        session=session,
        clinic_id=user.clinic_id,
        user_id=user_id,
        data=data,
        actor=user.id,
        now=clock(),
    )
    return UserRead.model_validate(changed)


@router.post("/{user_id}/password", response_model=UserRead)
def reset_password(
    user_id: PathId, data: PasswordReset, user: Admin, session: SessionDep, clock: ClockDep
) -> UserRead:
    """Give a user of the clinic a new password (and remove her second factor, when asked):
    every session of hers ends. Tell her the password by a way other than e-mail."""
    changed = service.reset_password(
        session=session,
        clinic_id=user.clinic_id,
        user_id=user_id,
        password=data.new_password.get_secret_value(),
        remove_second_factor=data.remove_second_factor,
        actor=user.id,
        now=clock(),
    )
    return UserRead.model_validate(changed)
