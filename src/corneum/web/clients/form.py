"""Adding and editing a client (practitioners and reception, as the API): the API's schemas
read the form, refusals are shown beside their fields with everything typed kept, and a client
who may already be on record (same names and birth date, same phone, same e-mail) is shown
before saving, to open instead or to save anyway."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from corneum.http.deps import PathId, SessionDep
from corneum.records.accounts.tables import User
from corneum.records.clients import service as clients
from corneum.records.clients.listing import possible_duplicates
from corneum.records.clients.schemas import ClientCreate, ClientUpdate
from corneum.records.clients.tables import Client
from corneum.web.access import Csrf, PageStaff
from corneum.web.clients.views import ClientForm, choices
from corneum.web.forms import Form, see_other
from corneum.web.templating import render

router = APIRouter(include_in_schema=False)


def form_page(
    request: Request,
    user: User,
    form: ClientForm,
    *,
    client: Client | None = None,
    duplicates: list[Client] | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        **choices(),
        "user": user,
        "client": client,
        "form": form,
        "errors": form.errors,
        "duplicates": duplicates or [],
        "action": f"/clients/{client.id}/edit" if client else "/clients/new",
    }
    return render(request, "client_form.html", context, status_code=status_code)


@router.get("/clients/new")
def new(request: Request, user: PageStaff) -> Response:
    return form_page(request, user, ClientForm())


@router.post("/clients/new", dependencies=[Csrf])
def add(request: Request, user: PageStaff, session: SessionDep, form: Form) -> Response:
    """Add the client, unless the form is refused or may duplicate someone on record."""
    typed = ClientForm.posted(form)
    data = typed.create()
    if data is None:
        return form_page(request, user, typed, status_code=422)
    duplicates = _unconfirmed_duplicates(session, user, data, None, form.get("anyway"))
    if duplicates:
        return form_page(request, user, typed, duplicates=duplicates, status_code=409)
    client = clients.create_client(
        session=session, clinic_id=user.clinic_id, data=data, actor=user.id
    )
    return see_other(f"/clients/{client.id}")


@router.get("/clients/{client_id}/edit")
def edit(request: Request, client_id: PathId, user: PageStaff, session: SessionDep) -> Response:
    client = clients.get_client(
        session=session, clinic_id=user.clinic_id, client_id=client_id, actor=user.id
    )
    return form_page(request, user, ClientForm.of(client), client=client)


@router.post("/clients/{client_id}/edit", dependencies=[Csrf])
def change(
    request: Request, client_id: PathId, user: PageStaff, session: SessionDep, form: Form
) -> Response:
    """Change the client's details as the form now has them (a field emptied is cleared)."""
    client = clients.get_client(
        session=session, clinic_id=user.clinic_id, client_id=client_id, actor=user.id
    )
    typed = ClientForm.posted(form)
    data = typed.update()
    if data is None:
        return form_page(request, user, typed, client=client, status_code=422)
    duplicates = _unconfirmed_duplicates(session, user, data, client, form.get("anyway"))
    if duplicates:
        return form_page(
            request, user, typed, client=client, duplicates=duplicates, status_code=409
        )
    clients.update_client(
        session=session, clinic_id=user.clinic_id, client_id=client.id, data=data, actor=user.id
    )
    return see_other(f"/clients/{client.id}")


def _unconfirmed_duplicates(
    session: Session,
    user: User,
    data: ClientCreate | ClientUpdate,
    client: Client | None,
    anyway: object,
) -> list[Client]:
    """Clients the new details may duplicate, unless the user chose to save anyway (or, for
    an edit, the details a duplicate is found by are as they were)."""
    if anyway == "yes" or (client is not None and not _identity_changed(data, client)):
        return []
    return possible_duplicates(
        session=session,
        clinic_id=user.clinic_id,
        given_name=data.given_name or "",
        family_name=data.family_name or "",
        date_of_birth=data.date_of_birth,
        email=data.email,
        phone=data.phone,
        excluding=client.id if client else None,
        actor=user.id,
    )


IDENTITY = ("given_name", "family_name", "date_of_birth", "phone", "email")
"""The details a duplicate is found by."""


def _identity_changed(data: ClientCreate | ClientUpdate, client: Client) -> bool:
    return any(getattr(data, name) != getattr(client, name) for name in IDENTITY)
