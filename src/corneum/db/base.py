"""The declarative base every table derives from.

Constraint names follow a fixed convention so that a migration can name what it alters or drops,
identically on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, get_args

from sqlalchemy import JSON, CheckConstraint, MetaData
from sqlalchemy.orm import DeclarativeBase

from corneum.db.types import UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

NO_ID_REUSE = {"sqlite_autoincrement": True}
"""Table option: SQLite must never hand out the id of a deleted row again, or an erased client's
audit trail would point at the next client to get that id (PostgreSQL sequences never reuse)."""


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON,
        list[str]: JSON,
    }


def one_of(column: str, allowed: Any) -> CheckConstraint:
    """A CHECK that ``column`` holds one of a ``Literal``'s values (``ck_<table>_<column>``)."""
    values = ", ".join(f"'{value}'" for value in get_args(allowed))
    return CheckConstraint(f"{column} IN ({values})", name=column)
