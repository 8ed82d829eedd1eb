"""The signed-in user's own account: her password, and the one-time code of her authenticator
app as a second factor (set up with the secret shown as text and as an ``otpauth://`` URI,
confirmed with a code, turned off with one). The rules are the services'; a refusal is shown
beside its field."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import Response

from corneum.http.deps import (
    SESSION_COOKIE,
    ClockDep,
    SessionDep,
    SignInGuardDep,
    client_address,
    release,
)
from corneum.records.accounts import service as accounts
from corneum.records.accounts.tables import User
from corneum.records.auth import signin
from corneum.records.errors import ConflictError, InvalidInputError
from corneum.web import messages
from corneum.web.access import Csrf, PageUser
from corneum.web.forms import Form, secret, text
from corneum.web.templating import render

router = APIRouter(include_in_schema=False)
CODE_REQUIRED = {"code": messages.REQUIRED}


def account_page(
    request: Request,
    session: Session,
    user: User,
    *,
    errors: dict[str, str] | None = None,
    notice: str = "",
    status_code: int = 200,
) -> Response:
    stored = accounts.get_user(session=session, clinic_id=user.clinic_id, user_id=user.id)
    setup = accounts.pending_second_factor(stored)
    context: dict[str, Any] = {
        "user": user,
        "second_factor": stored.totp_enabled,
        "setup": {"secret": setup[0], "uri": setup[1]} if setup else None,
        "errors": errors or {},
        "notice": notice,
    }
    return render(request, "account.html", context, status_code=status_code)


@router.get("/account")
def show_account(request: Request, user: PageUser, session: SessionDep) -> Response:
    return account_page(request, session, user)


@router.post("/account/password", dependencies=[Csrf])
async def change_password(
    request: Request,
    user: PageUser,
    form: Form,
    session: SessionDep,
    clock: ClockDep,
    guard: SignInGuardDep,
) -> Response:
    """Change her own password (taken as typed, spaces and all); her other sessions end."""
    current, new = secret(form, "current_password"), secret(form, "new_password")
    errors = {
        n: messages.REQUIRED
        for n, v in (("current_password", current), ("new_password", new))
        if not v
    }
    if errors:
        return await _page(request, session, user, errors=errors, status_code=422)
    await release(session)
    try:
        await signin.change_password(
            session=session,
            guard=guard,
            address=client_address(request),
            user=user,
            current=current,
            new=new,
            keep_token=request.cookies.get(SESSION_COOKIE),
            clock=clock,
        )
    except InvalidInputError as exc:
        return await _page(request, session, user, errors=field_errors(exc), status_code=422)
    except signin.TooManyAttemptsError as exc:
        errors = {"current_password": messages.TOO_MANY_ATTEMPTS}
        return await _page(
            request, session, user, errors=errors, status_code=429, wait=exc.retry_after
        )
    except signin.HashingBusyError as exc:
        errors = {"current_password": messages.SIGN_IN_BUSY}
        return await _page(
            request, session, user, errors=errors, status_code=503, wait=exc.retry_after
        )
    return await _page(request, session, user, notice=messages.PASSWORD_CHANGED)


@router.post("/account/second-factor", dependencies=[Csrf])
def start_second_factor(request: Request, user: PageUser, session: SessionDep) -> Response:
    try:
        accounts.start_second_factor(session=session, clinic_id=user.clinic_id, user_id=user.id)
    except ConflictError as exc:
        return account_page(request, session, user, errors={"code": exc.message}, status_code=409)
    return account_page(request, session, user)


@router.post("/account/second-factor/confirm", dependencies=[Csrf])
def confirm_second_factor(
    request: Request, user: PageUser, form: Form, session: SessionDep, clock: ClockDep
) -> Response:
    return with_a_code(
        request, user, form, session, clock(), accounts.confirm_second_factor,
        messages.SECOND_FACTOR_ON,
    )  # fmt: skip


@router.post("/account/second-factor/off", dependencies=[Csrf])
def stop_second_factor(
    request: Request, user: PageUser, form: Form, session: SessionDep, clock: ClockDep
) -> Response:
    return with_a_code(
        request, user, form, session, clock(), accounts.stop_second_factor,
        messages.SECOND_FACTOR_OFF,
    )  # fmt: skip


def with_a_code(
    request: Request,
    user: User,
    form: FormData,
    session: Session,
    now: datetime,
    change: Callable[..., object],
    notice: str,
) -> Response:
    """Turn the second factor on or off with the one-time code typed; refusals beside it."""
    code = text(form, "code")
    if not code:
        return account_page(request, session, user, errors=CODE_REQUIRED, status_code=422)
    try:
        change(session=session, clinic_id=user.clinic_id, user_id=user.id, code=code, now=now)
    except (InvalidInputError, ConflictError) as exc:
        return account_page(request, session, user, errors=field_errors(exc), status_code=422)
    return account_page(request, session, user, notice=notice)


def field_errors(exc: InvalidInputError | ConflictError) -> dict[str, str]:
    """A service's refusal by the form field it is about."""
    if isinstance(exc, ConflictError):
        return {"code": exc.message}
    return {str(problem["loc"][-1]): problem["msg"] for problem in exc.problems}


async def _page(
    request: Request,
    session: Session,
    user: User,
    *,
    errors: dict[str, str] | None = None,
    notice: str = "",
    status_code: int = 200,
    wait: int | None = None,
) -> Response:
    response = await run_in_threadpool(
        account_page, request, session, user, errors=errors, notice=notice, status_code=status_code
    )
    if wait is not None:
        response.headers["Retry-After"] = str(wait)
    return response
