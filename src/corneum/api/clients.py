"""Clients over HTTP. Reception books and sees contact details; practitioners see and write the
clinical record; both only within their own clinic."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status

from corneum.http.deps import (
    ClockDep,
    Paged,
    Paged50,
    PathId,
    Practitioner,
    SessionDep,
    Staff,
)
from corneum.records.accounts.tables import User
from corneum.records.clients import service
from corneum.records.clients.listing import ClientOrder
from corneum.records.clients.listing import list_clients as find_clients
from corneum.records.clients.schemas import (
    CLINICAL_FIELDS,
    AllergyCreate,
    AllergyRead,
    ClientContactRead,
    ClientCreate,
    ClientRead,
    ClientUpdate,
    HistoryEntryCreate,
    HistoryEntryRead,
    HistoryEntryUpdate,
    MedicationCreate,
    MedicationRead,
    MedicationUpdate,
)
from corneum.records.clients.tables import Client
from corneum.records.clinic_time import clinic_day
from corneum.records.paging import PageRead

router = APIRouter(prefix="/api/clients", tags=["clients"])
Search = Annotated[
    str,
    Query(
        max_length=100,
        description="Any part of a name (any script, any case), a phone number in any format "
        "(its digits are compared) or part of an e-mail address; each word must match",
    ),
]
Order = Annotated[
    ClientOrder, Query(description="`name`: by family then given name; `recent`: added last first")
]


def view(client: Client, user: User) -> ClientRead | ClientContactRead:
    """The client as the user's role may see it."""
    if user.role == "practitioner":
        return ClientRead.model_validate(client)
    return ClientContactRead.model_validate(client)


def refuse_clinical_fields(data: ClientCreate | ClientUpdate, user: User) -> None:
    given = sorted(CLINICAL_FIELDS & data.model_fields_set)
    if user.role != "practitioner" and given:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            detail=f"only a practitioner may record clinical fields: {', '.join(given)}",
        )


@router.get("", response_model=PageRead[ClientRead | ClientContactRead])
def list_clients(
    user: Staff, session: SessionDep, page: Paged50, q: Search = "", sort: Order = "name"
) -> PageRead[ClientRead | ClientContactRead]:
    """The clinic's clients (those ``q`` finds, when given), one page at a time."""
    found = find_clients(
        session=session,
        clinic_id=user.clinic_id,
        actor=user.id,
        query=q,
        order=sort,
        offset=page.offset,
        limit=page.limit,
    )
    return page.of(found, [view(client, user) for client in found.items])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ClientRead | ClientContactRead)
def create_client(
    data: ClientCreate, user: Staff, session: SessionDep
) -> ClientRead | ClientContactRead:
    refuse_clinical_fields(data, user)
    client = service.create_client(
        session=session, clinic_id=user.clinic_id, data=data, actor=user.id
    )
    return view(client, user)


@router.get("/{client_id}", response_model=ClientRead | ClientContactRead)
def get_client(
    client_id: PathId, user: Staff, session: SessionDep
) -> ClientRead | ClientContactRead:
    client = service.get_client(
        session=session, clinic_id=user.clinic_id, client_id=client_id, actor=user.id
    )
    return view(client, user)


@router.patch("/{client_id}", response_model=ClientRead | ClientContactRead)
def update_client(
    client_id: PathId, data: ClientUpdate, user: Staff, session: SessionDep
) -> ClientRead | ClientContactRead:
    """Change the fields given; the others stay as they are."""
    refuse_clinical_fields(data, user)
    client = service.update_client(
        session=session, clinic_id=user.clinic_id, client_id=client_id, data=data, actor=user.id
    )
    return view(client, user)


@router.get("/{client_id}/history", response_model=list[HistoryEntryRead])
def list_history(
    client_id: PathId, user: Practitioner, session: SessionDep, page: Paged
) -> list[HistoryEntryRead]:
    rows = service.list_history(
        session=session, clinic_id=user.clinic_id, client_id=client_id, actor=user.id
    )
    return page([HistoryEntryRead.model_validate(row) for row in rows])


@router.post(
    "/{client_id}/history", status_code=status.HTTP_201_CREATED, response_model=HistoryEntryRead
)
def add_history_entry(
    client_id: PathId, data: HistoryEntryCreate, user: Practitioner, session: SessionDep
) -> HistoryEntryRead:
    row = service.add_history_entry(
        session=session, clinic_id=user.clinic_id, client_id=client_id, data=data, actor=user.id
    )
    return HistoryEntryRead.model_validate(row)


@router.patch("/{client_id}/history/{entry_id}", response_model=HistoryEntryRead)
def update_history_entry(
    client_id: PathId,
    entry_id: PathId,
    data: HistoryEntryUpdate,
    user: Practitioner,
    session: SessionDep,
    clock: ClockDep,
) -> HistoryEntryRead:
    """Resolve a condition (``{"status": "resolved"}``, ended today unless ``ended_on`` says
    otherwise), make it active again, or set its expected end; it stays in the history and
    screening reads what is active on the day it screens."""
    row = service.update_history_entry(
        session=session,
        clinic_id=user.clinic_id,
        client_id=client_id,
        entry_id=entry_id,
        data=data,
        today=clinic_day(session, user.clinic_id, clock()),
        actor=user.id,
    )
    return HistoryEntryRead.model_validate(row)


@router.get("/{client_id}/medications", response_model=list[MedicationRead])
def list_medications(
    client_id: PathId, user: Practitioner, session: SessionDep, page: Paged
) -> list[MedicationRead]:
    rows = service.list_medications(
        session=session, clinic_id=user.clinic_id, client_id=client_id, actor=user.id
    )
    return page([MedicationRead.model_validate(row) for row in rows])


@router.post(
    "/{client_id}/medications", status_code=status.HTTP_201_CREATED, response_model=MedicationRead
)
def add_medication(
    client_id: PathId,
    data: MedicationCreate,
    user: Practitioner,
    session: SessionDep,
    clock: ClockDep,
) -> MedicationRead:
    """A medication taken now (no ``last_taken``) or stopped on ``last_taken`` (not after
    today: 422)."""
    row = service.add_medication(
        session=session,
        clinic_id=user.clinic_id,
        client_id=client_id,
        data=data,
        today=clinic_day(session, user.clinic_id, clock()),
        actor=user.id,
    )
    return MedicationRead.model_validate(row)


@router.patch("/{client_id}/medications/{medication_id}", response_model=MedicationRead)
def update_medication(
    client_id: PathId,
    medication_id: PathId,
    data: MedicationUpdate,
    user: Practitioner,
    session: SessionDep,
    clock: ClockDep,
) -> MedicationRead:
    """Record the day of the last dose of a medication the client has stopped."""
    row = service.update_medication(
        session=session,
        clinic_id=user.clinic_id,
        client_id=client_id,
        medication_id=medication_id,
        data=data,
        today=clinic_day(session, user.clinic_id, clock()),
        actor=user.id,
    )
    return MedicationRead.model_validate(row)


@router.get("/{client_id}/allergies", response_model=list[AllergyRead])
def list_allergies(
    client_id: PathId, user: Practitioner, session: SessionDep, page: Paged
) -> list[AllergyRead]:
    rows = service.list_allergies(
        session=session, clinic_id=user.clinic_id, client_id=client_id, actor=user.id
    )
    return page([AllergyRead.model_validate(row) for row in rows])


@router.post(
    "/{client_id}/allergies", status_code=status.HTTP_201_CREATED, response_model=AllergyRead
)
def add_allergy(
    client_id: PathId, data: AllergyCreate, user: Practitioner, session: SessionDep
) -> AllergyRead:
    row = service.add_allergy(
        session=session, clinic_id=user.clinic_id, client_id=client_id, data=data, actor=user.id
    )
    return AllergyRead.model_validate(row)
