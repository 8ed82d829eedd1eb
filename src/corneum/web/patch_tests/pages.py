"""Patch tests in the web app, practitioners only (as in the API): record one (procedure, one of
its agents, product, lot, when it was applied on the clinic's clock) and read it later (no
reaction, or a reaction with a note). A refused form comes back as typed, each problem beside
its field; the service's rules (an agent of the procedure, a reading after the application,
read once) are the API's."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from corneum.http.deps import ClockDep, KnowledgeDep, PathId, SessionDep
from corneum.knowledge import KnowledgeBase
from corneum.records.accounts.tables import User
from corneum.records.clients import service as clients
from corneum.records.clinic_time import clinic_clock
from corneum.records.errors import ConflictError, InvalidInputError
from corneum.records.patch_tests import service
from corneum.web.access import Csrf, PagePractitioner
from corneum.web.forms import Form, see_other
from corneum.web.patch_tests.views import (
    PatchForm,
    absorb_refusal,
    procedure_choices,
    read_reading,
    read_record,
    wall_time,
)
from corneum.web.shown import ShownKnowledge
from corneum.web.templating import render
from corneum.web.timeline import procedure_name

router = APIRouter(include_in_schema=False)


def record_page(
    request: Request,
    *,
    session: Session,
    user: User,
    kb: KnowledgeBase,
    shown: KnowledgeBase,
    client_id: int,
    typed: PatchForm,
    status_code: int = 200,
) -> Response:
    client = clients.get_client(
        session=session, clinic_id=user.clinic_id, client_id=client_id, actor=user.id
    )
    context = {
        "user": user,
        "client": client,
        "procedures": procedure_choices(kb, shown),
        "values": typed.values,
        "errors": typed.errors,
        "next": typed.next,
    }
    return render(request, "patch_test.html", context, status_code=status_code)


@router.get("/clients/{client_id}/patch-tests/new")
def new(
    request: Request,
    client_id: PathId,
    user: PagePractitioner,
    session: SessionDep,
    kb: KnowledgeDep,
    shown: ShownKnowledge,
    clock: ClockDep,
    procedure: str = "",
    next: str = "",
) -> Response:
    """The form, applied now on the clinic's clock, for ``procedure`` when a link names it."""
    now = wall_time(clock(), clinic_clock(session, user.clinic_id))
    typed = PatchForm({"procedure_id": procedure, "applied_at": now, "next": next})
    return record_page(
        request, session=session, user=user, kb=kb, shown=shown, client_id=client_id, typed=typed
    )


@router.post("/clients/{client_id}/patch-tests", dependencies=[Csrf])
def record(
    request: Request,
    client_id: PathId,
    user: PagePractitioner,
    session: SessionDep,
    kb: KnowledgeDep,
    shown: ShownKnowledge,
    form: Form,
) -> Response:
    """Record the test; back where the form was opened from, else to the client's record."""
    typed, data = read_record(form, clinic_clock(session, user.clinic_id))
    if data is not None:
        try:
            service.record_patch_test(
                session=session, clinic_id=user.clinic_id, client_id=client_id, data=data,
                kb=kb, actor=user.id,
            )  # fmt: skip
        except InvalidInputError as exc:
            session.rollback()
            absorb_refusal(typed, exc)
        else:
            return see_other(typed.next or f"/clients/{client_id}#patch-tests")
    return record_page(
        request, session=session, user=user, kb=kb, shown=shown, client_id=client_id,
        typed=typed, status_code=422,
    )  # fmt: skip


def reading_page(
    request: Request,
    *,
    session: Session,
    user: User,
    shown: KnowledgeBase,
    patch_test_id: int,
    typed: PatchForm,
    status_code: int = 200,
) -> Response:
    test = service.get_patch_test(
        session=session, clinic_id=user.clinic_id, patch_test_id=patch_test_id, actor=user.id
    )
    clock = clinic_clock(session, user.clinic_id)
    context = {
        "user": user,
        "test": test,
        "procedure": procedure_name(shown, test.procedure_id),
        "applied": f"{clock.local(test.applied_at):%Y-%m-%d %H:%M}",
        "values": typed.values,
        "errors": typed.errors,
        "next": typed.next,
    }
    return render(request, "patch_test_reading.html", context, status_code=status_code)


@router.get("/patch-tests/{patch_test_id}/reading")
def reading(
    request: Request,
    patch_test_id: PathId,
    user: PagePractitioner,
    session: SessionDep,
    shown: ShownKnowledge,
    clock: ClockDep,
    next: str = "",
) -> Response:
    """The reading form, read now on the clinic's clock."""
    now = wall_time(clock(), clinic_clock(session, user.clinic_id))
    typed = PatchForm({"read_at": now, "next": next})
    return reading_page(
        request, session=session, user=user, shown=shown, patch_test_id=patch_test_id, typed=typed
    )


@router.post("/patch-tests/{patch_test_id}/reading", dependencies=[Csrf])
def read(
    request: Request,
    patch_test_id: PathId,
    user: PagePractitioner,
    session: SessionDep,
    shown: ShownKnowledge,
    form: Form,
) -> Response:
    """Record what the patch showed; a test already read is refused (409) and left as it was."""
    typed, data = read_reading(form, clinic_clock(session, user.clinic_id))
    status_code = 422
    if data is not None:
        try:
            test = service.read_patch_test(
                session=session, clinic_id=user.clinic_id, patch_test_id=patch_test_id,
                data=data, actor=user.id,
            )  # fmt: skip
        except InvalidInputError as exc:
            session.rollback()
            absorb_refusal(typed, exc)
        except ConflictError as exc:
            session.rollback()
            typed.errors["result"], status_code = exc.phrase, 409
        else:
            return see_other(typed.next or f"/clients/{test.client_id}#patch-tests")
    return reading_page(
        request, session=session, user=user, shown=shown, patch_test_id=patch_test_id,
        typed=typed, status_code=status_code,
    )  # fmt: skip
