"""My appointments: upcoming and past, and cancelling one within the clinic's notice."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from corneum.http.deps import ClockDep, KnowledgeDep, PathId, SessionDep, WriteSessionDep
from corneum.knowledge.translations import in_language
from corneum.portal import messages
from corneum.portal.access import Csrf, PortalClient, PortalClientWriting, PortalRefusedError
from corneum.portal.pages import see_other
from corneum.portal.templating import PATH, render
from corneum.records.errors import NotFoundError
from corneum.records.portal.appointments import (
    TooLateError,
    cancel_appointment,
    my_appointments,
)

router = APIRouter(include_in_schema=False)


@router.get(PATH)
def appointments(
    request: Request,
    me: PortalClient,
    session: SessionDep,
    clock: ClockDep,
    kb: KnowledgeDep,
    cancelled: int = 0,
) -> Response:
    """The client's upcoming and past appointments."""
    found = my_appointments(session=session, client=me.client, now=clock())
    context = {
        "client": me.client,
        "found": found,
        "kb": in_language(kb, me.language),
        "notice": messages.CANCELLED if cancelled else None,
    }
    return render(request, "appointments.html", context, language=me.language, bound_to=me.token)


@router.post(PATH + "/appointments/{booking_id}/cancel", dependencies=[Csrf])
def cancel(
    booking_id: PathId, me: PortalClientWriting, session: WriteSessionDep, clock: ClockDep
) -> Response:
    """Cancel one of the client's appointments; too late, the page says to call the clinic."""
    try:
        cancel_appointment(session=session, client=me.client, booking_id=booking_id, now=clock())
    except TooLateError as late:
        message = messages.TOO_LATE
        raise PortalRefusedError(409, message, me.language, {"hours": late.notice_hours}) from None
    except NotFoundError:
        raise PortalRefusedError(404, messages.NOT_FOUND, me.language) from None
    return see_other(f"{PATH}?cancelled=1")
