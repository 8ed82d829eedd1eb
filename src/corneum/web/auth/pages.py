"""Log in, log out and the language switch."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from corneum.http.deps import (
    SESSION_COOKIE,
    ClockDep,
    SessionDep,
    clear_session_cookie,
    client_address,
    set_session_cookie,
)
from corneum.records.accounts import service as accounts
from corneum.records.accounts.schemas import UserSettingsUpdate
from corneum.records.accounts.tables import Language
from corneum.records.auth import service as auth
from corneum.records.auth import signin
from corneum.web import messages
from corneum.web.access import Csrf, MaybeUser
from corneum.web.forms import Form, local_path, secret, see_other, text
from corneum.web.i18n import LANGUAGE_COOKIE, known_language
from corneum.web.templating import render, web_of

router = APIRouter(include_in_schema=False)
LANGUAGE_COOKIE_LIFETIME = 365 * 24 * 3600


def login_page(
    request: Request,
    *,
    email: str,
    then: str,
    errors: dict[str, str],
    status_code: int = 200,
    ask_code: bool = False,
    retry_after: int | None = None,
    clinic: str = "",
) -> Response:
    context = {
        "email": email,
        "next": then,
        "errors": errors,
        "ask_code": ask_code,
        "clinic": clinic,
    }
    response = render(request, "login.html", context, status_code=status_code)
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


@router.get("/login")
def show_login(request: Request, then: Annotated[str, Query(alias="next")] = "/") -> Response:
    return login_page(request, email="", then=local_path(then), errors={})


@router.post("/login", dependencies=[Csrf])
async def log_in(request: Request, form: Form, clock: ClockDep) -> Response:
    """Check the credentials and set the session cookie; a refusal shows the form again with
    the reason beside the field (and the one-time code field, for an account that needs it).
    The password is taken as typed: its spaces are part of it."""
    email, password, code = text(form, "email"), secret(form, "password"), text(form, "code")
    then, clinic = local_path(text(form, "next")), text(form, "clinic")
    given = {"email": email, "password": password}
    errors = {name: messages.REQUIRED for name, value in given.items() if not value}
    page = partial(login_page, request, email=email, then=then, ask_code=bool(code), clinic=clinic)
    if errors:
        return page(errors=errors, status_code=422)
    state = request.app.state
    try:
        signed_in = await signin.sign_in(
            sessions=state.sessions,
            guard=state.sign_in_guard,
            address=client_address(request),
            email=email,
            password=password,
            code=code or None,
            kind="cookie",
            clock=clock,
            clinic=clinic or None,
        )
    except signin.TooManyAttemptsError as exc:
        error = {"password": WAITS[exc.scope]}
        return page(errors=error, status_code=429, retry_after=exc.retry_after)
    except signin.HashingBusyError as exc:
        error = {"password": messages.SIGN_IN_BUSY}
        return page(errors=error, status_code=503, retry_after=exc.retry_after)
    except signin.SignInRefusedError as exc:
        if exc.code_needed:
            return page(errors={"code": messages.CODE_NEEDED}, status_code=401, ask_code=True)
        return page(errors={"password": messages.WRONG_CREDENTIALS}, status_code=401)
    response = see_other(then)
    secure = web_of(request).secure_cookies
    set_session_cookie(response, signed_in.token, secure=secure)
    # This browser's log-in page then speaks the user's language too.
    remember_language(response, signed_in.user.language, secure=secure)
    return response


WAITS = {
    "account": messages.ACCOUNT_WAITS,
    "address": messages.TOO_MANY_ATTEMPTS,
    "overall": messages.SIGN_IN_BUSY,
}
"""What the page says for each kind of pause (see :class:`TooManyAttemptsError`)."""


@router.post("/logout", dependencies=[Csrf])
def log_out(request: Request, session: SessionDep, clock: ClockDep) -> Response:
    """Revoke the session's token and clear its cookie."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        auth.revoke(session=session, token=token, now=clock())
    response = see_other("/login")
    clear_session_cookie(response)
    return response


@router.post("/language", dependencies=[Csrf])
def choose_language(request: Request, form: Form, user: MaybeUser, session: SessionDep) -> Response:
    """Keep the chosen language on the signed-in user's account, so it follows them to every
    device, and in this browser's cookie (for its log-in page); then go back to the page it
    was chosen on. A language we do not have changes nothing."""
    response = see_other(local_path(text(form, "next")))
    language = known_language(text(form, "language"))
    if language is None:
        return response
    if user is not None:
        settings = UserSettingsUpdate(language=language)
        accounts.update_own_settings(
            session=session, clinic_id=user.clinic_id, user_id=user.id, data=settings
        )
    remember_language(response, language, secure=web_of(request).secure_cookies)
    return response


def remember_language(response: Response, language: Language, *, secure: bool) -> None:
    response.set_cookie(
        LANGUAGE_COOKIE,
        language,
        max_age=LANGUAGE_COOKIE_LIFETIME,
        samesite="lax",
        secure=secure,
        path="/",
    )
