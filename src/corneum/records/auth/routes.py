"""Sign-in endpoints for the API."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from corneum.api.deps import SESSION_COOKIE, ClockDep, CurrentUser, SessionDep
from corneum.records.accounts import service as accounts
from corneum.records.accounts.schemas import UserSettingsUpdate
from corneum.records.auth import service as auth
from corneum.records.auth.schemas import LoginRequest, MeRead, TokenRead
from corneum.records.auth.tables import TokenKind

router = APIRouter(prefix="/api/auth", tags=["auth"])
_bearer = HTTPBearer(auto_error=False)

WRONG_CREDENTIALS = "email or password is wrong, or the account is inactive"


def sign_in(
    data: LoginRequest, session: SessionDep, clock: ClockDep, kind: TokenKind
) -> tuple[str, TokenRead] | JSONResponse:
    """A token for valid credentials, or the refusal to return as it is.

    A refusal is returned, not raised, so the failed attempt is committed and counted."""
    try:
        issued = auth.sign_in(
            session=session,
            email=data.email,
            password=data.password.get_secret_value(),
            kind=kind,
            now=clock(),
        )
    except auth.TooManyAttemptsError as exc:
        return JSONResponse(
            status_code=status.HTTP_429_TOO_MANY_REQUESTS,
            content={"detail": str(exc)},
            headers={"Retry-After": str(exc.retry_after)},
        )
    if issued is None:
        return JSONResponse(
            status_code=status.HTTP_401_UNAUTHORIZED,
            content={"detail": WRONG_CREDENTIALS},
            headers={"WWW-Authenticate": "Bearer"},
        )
    token, row = issued
    return token, TokenRead(access_token=token, expires_at=row.expires_at)


SIGN_IN_REFUSALS: dict[int | str, dict[str, str]] = {
    401: {"description": WRONG_CREDENTIALS},
    429: {"description": "rate limited"},
}


@router.post("/token", response_model=TokenRead, responses=SIGN_IN_REFUSALS)
def create_token(data: LoginRequest, session: SessionDep, clock: ClockDep) -> Response:
    """Exchange an email and password for a bearer token valid for 12 hours."""
    result = sign_in(data, session, clock, "bearer")
    if isinstance(result, JSONResponse):
        return result
    return JSONResponse(content=result[1].model_dump(mode="json"))


@router.post("/session", status_code=status.HTTP_204_NO_CONTENT, responses=SIGN_IN_REFUSALS)
def create_session(
    data: LoginRequest, request: Request, session: SessionDep, clock: ClockDep
) -> Response:
    """Sign the web app in: a session cookie (HttpOnly, SameSite=Lax, Secure in production)
    valid for 12 hours. It authorises reads; writes need a bearer or a CSRF token."""
    result = sign_in(data, session, clock, "cookie")
    if isinstance(result, JSONResponse):
        return result
    token, _ = result
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    set_session_cookie(response, token, secure=request.app.state.settings.mode == "production")
    return response


def set_session_cookie(response: Response, token: str, *, secure: bool) -> None:
    """The web app's session cookie, shared by this endpoint and the log-in page."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(auth.TOKEN_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=secure,
        path="/",
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")


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
