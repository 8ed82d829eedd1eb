"""Sign-in endpoints for the API."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from corneum.http.deps import (
    SESSION_COOKIE,
    ClockDep,
    CurrentUser,
    SessionDep,
    SignInGuardDep,
    clear_session_cookie,
    client_address,
    release,
    set_session_cookie,
)
from corneum.http.problems import problem_response
from corneum.records.accounts import service as accounts
from corneum.records.accounts.schemas import UserSettingsUpdate
from corneum.records.auth import service as auth
from corneum.records.auth import signin
from corneum.records.auth.schemas import (
    CodeInput,
    LoginRequest,
    MeRead,
    PasswordChange,
    SecondFactorSetup,
    TokenRead,
)
from corneum.records.auth.tables import TokenKind

router = APIRouter(prefix="/api/auth", tags=["auth"])
_bearer = HTTPBearer(auto_error=False)

WRONG_CREDENTIALS = "email or password is wrong, or the account is inactive"
CODE_NEEDED = "this account signs in with a one-time code too: send it as code"


async def sign_in(
    data: LoginRequest, request: Request, clock: ClockDep, kind: TokenKind
) -> signin.SignedIn | JSONResponse:
    """A token for valid credentials, or the refusal to return as it is (401, 429, 503).

    The route holds no database session: :func:`corneum.records.auth.signin.sign_in` runs its
    own short transactions, none of them open while the password is checked."""
    state = request.app.state
    try:
        return await signin.sign_in(
            sessions=state.sessions,
            guard=state.sign_in_guard,
            address=client_address(request),
            email=data.email,
            password=data.password.get_secret_value(),
            code=data.code,
            kind=kind,
            clock=clock,
            clinic=data.clinic,
        )
    except signin.TooManyAttemptsError as exc:
        return refusal(status.HTTP_429_TOO_MANY_REQUESTS, str(exc), exc.retry_after)
    except signin.HashingBusyError as exc:
        return refusal(status.HTTP_503_SERVICE_UNAVAILABLE, str(exc), exc.retry_after)
    except signin.SignInRefusedError as exc:
        return problem_response(
            status.HTTP_401_UNAUTHORIZED,
            CODE_NEEDED if exc.code_needed else WRONG_CREDENTIALS,
            request.url.path,
            headers={"WWW-Authenticate": "Bearer"},
            code_needed=exc.code_needed,
        )


def refusal(status_code: int, detail: str, retry_after: int) -> JSONResponse:
    return problem_response(status_code, detail, headers={"Retry-After": str(retry_after)})


SIGN_IN_REFUSALS: dict[int | str, dict[str, str]] = {
    401: {"description": WRONG_CREDENTIALS + "; or " + CODE_NEEDED},
    429: {"description": "too many attempts from this address, for this account or in all"},
    503: {"description": "every password check is busy; retry after Retry-After seconds"},
}


@router.post("/token", response_model=TokenRead, responses=SIGN_IN_REFUSALS)
async def create_token(data: LoginRequest, request: Request, clock: ClockDep) -> Response:
    """Exchange an email and password (and the one-time code, for an account with a second
    factor) for a bearer token valid for 12 hours."""
    result = await sign_in(data, request, clock, "bearer")
    if isinstance(result, JSONResponse):
        return result
    read = TokenRead(access_token=result.token, expires_at=result.row.expires_at)
    return JSONResponse(content=read.model_dump(mode="json"))


@router.post("/session", status_code=status.HTTP_204_NO_CONTENT, responses=SIGN_IN_REFUSALS)
async def create_session(data: LoginRequest, request: Request, clock: ClockDep) -> Response:
    """Sign the web app in: a session cookie (HttpOnly, SameSite=Lax, Secure in production)
    valid for 12 hours. It authorises reads; writes need a bearer or a CSRF token."""
    result = await sign_in(data, request, clock, "cookie")
    if isinstance(result, JSONResponse):
        return result
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    secure = request.app.state.settings.mode == "production"
    set_session_cookie(response, result.token, secure=secure)
    return response


@router.delete("/session", status_code=status.HTTP_204_NO_CONTENT)
def delete_session(request: Request, session: SessionDep, clock: ClockDep) -> Response:
    """Sign the web app out: revoke the cookie's token and clear the cookie."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        auth.revoke(session=session, token=token, now=clock())
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    clear_session_cookie(response)
    return response


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(
    _user: CurrentUser,
    session: SessionDep,
    clock: ClockDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Revoke the token this request came with."""
    if credentials is None:  # current_user has already refused such a request
        raise HTTPException(status.HTTP_401_UNAUTHORIZED)
    auth.revoke(session=session, token=credentials.credentials, now=clock())


@router.get("/me", response_model=MeRead)
def me(user: CurrentUser) -> MeRead:
    """The signed-in user."""
    return MeRead.model_validate(user)


@router.patch("/me", response_model=MeRead)
def update_me(data: UserSettingsUpdate, user: CurrentUser, session: SessionDep) -> MeRead:
    """Change your own settings: the language the web app speaks to you, on every device."""
    changed = accounts.update_own_settings(
        session=session, clinic_id=user.clinic_id, user_id=user.id, data=data
    )
    return MeRead.model_validate(changed)


@router.post(
    "/password",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={429: SIGN_IN_REFUSALS[429], 503: SIGN_IN_REFUSALS[503]},
)
async def change_password(
    data: PasswordChange,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    clock: ClockDep,
    guard: SignInGuardDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Response:
    """Change your own password, giving the current one (422 naming the field when it is
    wrong, or the new one is too short, common, or your e-mail); your other sessions end."""
    await release(session)
    try:
        await signin.change_password(
            session=session,
            guard=guard,
            address=client_address(request),
            user=user,
            current=data.current_password.get_secret_value(),
            new=data.new_password.get_secret_value(),
            keep_token=credentials.credentials if credentials else None,
            clock=clock,
        )
    except signin.TooManyAttemptsError as exc:
        return refusal(status.HTTP_429_TOO_MANY_REQUESTS, str(exc), exc.retry_after)
    except signin.HashingBusyError as exc:
        return refusal(status.HTTP_503_SERVICE_UNAVAILABLE, str(exc), exc.retry_after)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/second-factor", response_model=SecondFactorSetup)
def start_second_factor(user: CurrentUser, session: SessionDep) -> SecondFactorSetup:
    """Set up a second factor: a new secret for your authenticator app (type the secret in, or
    give it the otpauth URI); it is on once ``/second-factor/confirm`` has a code from the app."""
    secret, uri = accounts.start_second_factor(
        session=session, clinic_id=user.clinic_id, user_id=user.id
    )
    return SecondFactorSetup(secret=secret, otpauth_uri=uri)


@router.post("/second-factor/confirm", response_model=MeRead)
def confirm_second_factor(
    data: CodeInput, user: CurrentUser, session: SessionDep, clock: ClockDep
) -> MeRead:
    """Turn the second factor on with the code your app shows now; from then on signing in
    needs a code too."""
    changed = accounts.confirm_second_factor(
        session=session, clinic_id=user.clinic_id, user_id=user.id, code=data.code, now=clock()
    )
    return MeRead.model_validate(changed)


@router.post("/second-factor/off", response_model=MeRead)
def stop_second_factor(
    data: CodeInput, user: CurrentUser, session: SessionDep, clock: ClockDep
) -> MeRead:
    """Turn your second factor off, with a current code from your app (lost it: an
    administrator can remove it, with a new password)."""
    changed = accounts.stop_second_factor(
        session=session, clinic_id=user.clinic_id, user_id=user.id, code=data.code, now=clock()
    )
    return MeRead.model_validate(changed)
