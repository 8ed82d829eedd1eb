"""Clients' further details (sex, preferred language, emergency contact, how they heard of the
clinic, marketing consent, notes) and the folded keys that search and the duplicate check read:
the names folded in any script, the e-mail folded, the phone's digits. Existing clients get
their keys here, computed as the service computes them.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-14
"""

import re
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEEP_IDS = {"sqlite_autoincrement": True}
"""SQLite rebuilds the table to add its checks: it must still never hand out an erased client's
id again."""
CHECKS = {
    "sex": "sex IN ('female', 'male', 'other')",
    "preferred_language": "preferred_language IN ('en', 'ru')",
    "referral_source": "referral_source IN ('recommendation', 'search', 'social_media', "
    "'advertising', 'walk_in', 'doctor', 'other')",
}
INDEXES = {
    "ix_clients_clinic_id_name_key": ["clinic_id", "name_key", "id"],
    "ix_clients_clinic_id_phone_digits": ["clinic_id", "phone_digits"],
    "ix_clients_clinic_id_email_key": ["clinic_id", "email_key"],
}


def folded(text: str) -> str:
    """As ``corneum.records.clients.keys.folded`` computed it when this migration was written
    (a migration keeps its own copy: it must give the same keys whatever the code becomes)."""
    normal = unicodedata.normalize("NFKC", text).casefold().replace("\u0451", "\u0435")
    return " ".join(normal.split())


def name_key(given_name: str, family_name: str) -> str:
    return folded(f"{family_name} {given_name}")


def digits(text: str) -> str:
    return re.sub(r"\D", "", unicodedata.normalize("NFKC", text))


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    with op.batch_alter_table("clients", table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(sa.Column("sex", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("preferred_language", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("emergency_contact", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("referral_source", sa.String(length=32), nullable=True))
        batch_op.add_column(
            sa.Column("marketing_consent", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("marketing_consent_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("notes", sa.Text(), nullable=True))
        key_type = sa.String(length=401, collation="C" if postgres else None)
        batch_op.add_column(sa.Column("name_key", key_type, server_default="", nullable=False))
        batch_op.add_column(sa.Column("email_key", sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column("phone_digits", sa.String(length=50), nullable=True))
        for name, condition in CHECKS.items():
            batch_op.create_check_constraint(batch_op.f(f"ck_clients_{name}"), condition)
    _fill_keys()
    with op.batch_alter_table("clients", table_kwargs=KEEP_IDS) as batch_op:
        batch_op.alter_column("name_key", server_default=None)
        for name, columns in INDEXES.items():
            batch_op.create_index(name, columns, unique=False)


def _fill_keys() -> None:
    clients = sa.table(
        "clients",
        sa.column("id", sa.Integer()),
        sa.column("given_name", sa.String()),
        sa.column("family_name", sa.String()),
        sa.column("email", sa.String()),
        sa.column("phone", sa.String()),
        sa.column("name_key", sa.String()),
        sa.column("email_key", sa.String()),
        sa.column("phone_digits", sa.String()),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(
            clients.c.id,
            clients.c.given_name,
            clients.c.family_name,
            clients.c.email,
            clients.c.phone,
        )
    ).all()
    for row in rows:
        connection.execute(
            clients.update()
            .where(clients.c.id == row.id)
            .values(
                name_key=name_key(row.given_name, row.family_name),
                email_key=folded(row.email) if row.email else None,
                phone_digits=digits(row.phone or "") or None,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("clients", table_kwargs=KEEP_IDS) as batch_op:
        for name in INDEXES:
            batch_op.drop_index(name)
        for name in CHECKS:
            batch_op.drop_constraint(batch_op.f(f"ck_clients_{name}"), type_="check")
        for column in (
            "phone_digits",
            "email_key",
            "name_key",
            "notes",
            "marketing_consent_at",
            "marketing_consent",
            "referral_source",
            "emergency_contact",
            "preferred_language",
            "sex",
        ):
            batch_op.drop_column(column)
