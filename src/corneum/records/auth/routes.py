"""Sign-in endpoints for the API."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Response, status
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from corneum.api.deps import ClockDep, CurrentUser, SessionDep
from corneum.records.auth import service as auth
from corneum.records.auth.schemas import LoginRequest, MeRead, TokenRead

router = APIRouter(prefix="/api/auth", tags=["auth"])
_bearer = HTTPBearer(auto_error=False)

WRONG_CREDENTIALS = "email or password is wrong, or the account is inactive"


@router.post(
    "/token",
    response_model=TokenRead,
    responses={401: {"description": WRONG_CREDENTIALS}, 429: {"description": "rate limited"}},
)
def create_token(data: LoginRequest, session: SessionDep, clock: ClockDep) -> Response:
    """Exchange an email and password for a bearer token valid for 12 hours.

    A refusal is returned, not raised, so the failed attempt is committed and counted."""
    try:
        issued = auth.sign_in(
            session=session,
            email=data.email,
            password=data.password.get_secret_value(),
            kind="bearer",
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
    body = TokenRead(access_token=token, expires_at=row.expires_at)
    return JSONResponse(content=body.model_dump(mode="json"))


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
