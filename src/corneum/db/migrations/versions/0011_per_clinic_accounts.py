"""An e-mail address names one account per clinic, not one across all clinics: a person working
for two clinics of a chain has an account in each, and an administrator adding staff can no
longer learn that an address is in use at another clinic.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


KEEP_IDS = {"sqlite_autoincrement": True}
"""SQLite copies the table in batch mode: the copy keeps never reusing an id."""


def upgrade() -> None:
    with op.batch_alter_table("users", table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_constraint("uq_users_email", type_="unique")
        batch_op.create_unique_constraint("uq_users_clinic_id_email", ["clinic_id", "email"])
        batch_op.create_index(batch_op.f("ix_users_email"), ["email"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("users", table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_email"))
        batch_op.drop_constraint("uq_users_clinic_id_email", type_="unique")
        batch_op.create_unique_constraint("uq_users_email", ["email"])
