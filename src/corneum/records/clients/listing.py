"""Finding a clinic's clients: the list (recent first or by name), search by any part of a name
in any script, by phone digits in any format or by e-mail, and the clients a new or changed
record may duplicate. Every answer is audited with the ids it shows, never what was typed.

Search compares the folded keys the service keeps (:mod:`corneum.records.clients.keys`), so it
finds the same clients on SQLite and PostgreSQL. The web list pages by keyset (the id of the row
a page starts after or ends before), so a deep page costs what the first does; the API keeps
its offset paging over the same search.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, UnaryExpression, and_, func, or_, select
from sqlalchemy.orm import QueryableAttribute, Session

from corneum.records.audit import service as audit
from corneum.records.clients.keys import NATIONAL_DIGITS, digits, folded, name_key
from corneum.records.clients.tables import Client
from corneum.records.paging import Page, paginate

ClientOrder = Literal["recent", "name"]
"""The list's orders: the clients added last first, or by family then given name."""
PHONE_LIKE = re.compile(r"^[+\d\s().\-/]*\d[\d\s().\-/]*$")
"""A query of digits and a phone number's punctuation only is a phone number."""
MAX_DUPLICATES = 10


@dataclass(frozen=True, slots=True)
class ClientsPage:
    """One page of the list and whether there are pages before and after it."""

    items: list[Client]
    total: int
    """How many clients match, across every page."""
    more_before: bool
    more_after: bool


def _escaped(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _contains(column: QueryableAttribute[Any], part: str) -> ColumnElement[bool]:
    return column.like(f"%{_escaped(part)}%", escape="\\")


def phone_matches(typed: str, *, whole: bool) -> ColumnElement[bool]:
    """Clients whose phone holds the digits of ``typed``: its last ten when it has that many
    (so "8 912 ..." finds "+7 912 ..."), else the digits anywhere in the number (``whole``:
    the number is exactly those digits)."""
    wanted = digits(typed)
    if len(wanted) >= NATIONAL_DIGITS:
        tail = wanted[-NATIONAL_DIGITS:]
        return Client.phone_digits.like(f"%{tail}", escape="\\")
    if whole:
        return Client.phone_digits == wanted
    return _contains(Client.phone_digits, wanted)


def query_matches(query: str) -> list[ColumnElement[bool]]:
    """What a client must match for ``query``: a phone number by its digits; otherwise each
    word, folded, somewhere in the names or the e-mail address."""
    # No name holds a NUL (the schemas refuse it), and PostgreSQL cannot compare one: a word
    # break, whatever interface the query came through.
    typed = query.replace("\x00", " ").strip()
    if not typed:
        return []
    if PHONE_LIKE.match(typed):
        return [phone_matches(typed, whole=False)]
    return [
        or_(_contains(Client.name_key, word), _contains(Client.email_key, word))
        for word in folded(typed).split()
    ]


def _matching(clinic_id: int, query: str) -> Select[Client]:
    return select(Client).where(Client.clinic_id == clinic_id, *query_matches(query))


def _ordering(order: ClientOrder, *, backwards: bool) -> list[UnaryExpression[Any]]:
    if order == "recent":
        return [Client.id.asc() if backwards else Client.id.desc()]
    if backwards:
        return [Client.name_key.desc(), Client.id.desc()]
    return [Client.name_key.asc(), Client.id.asc()]


def _beyond(order: ClientOrder, anchor: Client, *, backwards: bool) -> ColumnElement[bool]:
    """The rows that come after ``anchor`` in ``order`` (before it, ``backwards``)."""
    if order == "recent":
        return Client.id > anchor.id if backwards else Client.id < anchor.id
    if backwards:
        return or_(
            Client.name_key < anchor.name_key,
            and_(Client.name_key == anchor.name_key, Client.id < anchor.id),
        )
    return or_(
        Client.name_key > anchor.name_key,
        and_(Client.name_key == anchor.name_key, Client.id > anchor.id),
    )


def browse_clients(
    *,
    session: Session,
    clinic_id: int,
    actor: int | None,
    query: str = "",
    order: ClientOrder = "recent",
    after: int | None = None,
    before: int | None = None,
    limit: int = 25,
) -> ClientsPage:
    """One page of the clinic's clients matching ``query`` (all of them when empty), in
    ``order``: the page after the client ``after`` or before the client ``before`` (ids of rows
    a page showed; one that is gone or not the clinic's starts from the first page)."""
    statement = _matching(clinic_id, query)
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    backwards = before is not None
    anchor = session.get(Client, before if backwards else after) if (before or after) else None
    if anchor is not None and anchor.clinic_id == clinic_id:
        statement = statement.where(_beyond(order, anchor, backwards=backwards))
    else:
        anchor, backwards = None, False
    ordered = statement.order_by(*_ordering(order, backwards=backwards)).limit(limit + 1)
    rows = list(session.scalars(ordered))
    more = len(rows) > limit
    rows = rows[:limit]
    if backwards:
        rows.reverse()
    _audit_shown(session, clinic_id, actor, rows, "search" if query.strip() else None)
    return ClientsPage(
        items=rows,
        total=total,
        more_before=more if backwards else anchor is not None,
        more_after=anchor is not None if backwards else more,
    )


def list_clients(
    *,
    session: Session,
    clinic_id: int,
    actor: int | None,
    query: str = "",
    order: ClientOrder = "name",
    offset: int = 0,
    limit: int = 50,
) -> Page[Client]:
    """One page of the clinic's clients matching ``query``, by offset (the API's paging);
    the audit row lists the ids shown."""
    statement = _matching(clinic_id, query).order_by(*_ordering(order, backwards=False))
    page = paginate(session, statement, offset=offset, limit=limit)
    _audit_shown(session, clinic_id, actor, page.items, "search" if query.strip() else None)
    return page


def possible_duplicates(
    *,
    session: Session,
    clinic_id: int,
    given_name: str,
    family_name: str,
    date_of_birth: date | None,
    email: str | None,
    phone: str | None,
    excluding: int | None,
    actor: int | None,
) -> list[Client]:
    """The clinic's clients who may be the same person: the same names and date of birth,
    the same phone number (its digits) or the same e-mail address; ``excluding`` the client
    being edited."""
    same: list[ColumnElement[bool]] = []
    if date_of_birth is not None:
        same.append(
            and_(
                Client.name_key == name_key(given_name, family_name),
                Client.date_of_birth == date_of_birth,
            )
        )
    if phone and digits(phone):
        same.append(phone_matches(phone, whole=True))
    if email:
        same.append(Client.email_key == folded(email))
    if not same:
        return []
    statement = select(Client).where(Client.clinic_id == clinic_id, or_(*same))
    if excluding is not None:
        statement = statement.where(Client.id != excluding)
    rows = list(session.scalars(statement.order_by(Client.id).limit(MAX_DUPLICATES)))
    if rows:
        _audit_shown(session, clinic_id, actor, rows, "duplicates")
    return rows


def _audit_shown(
    session: Session, clinic_id: int, actor: int | None, rows: list[Client], purpose: str | None
) -> None:
    detail: dict[str, object] = {"client_ids": [client.id for client in rows]}
    if purpose is not None:
        detail["purpose"] = purpose
    audit.record(
        session=session,
        actor_id=actor,
        action="read",
        resource="client",
        resource_id=None,
        client_id=None,
        clinic_id=clinic_id,
        detail=detail,
    )
