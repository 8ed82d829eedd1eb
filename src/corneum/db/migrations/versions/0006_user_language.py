"""Each account's language for the web app.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Added in place with its CHECK as a column constraint: SQLite accepts that in ADD COLUMN,
    # so the users table (which other tables reference) need not be copied. Existing
    # accounts get English, the language they have been seeing.
    op.add_column(
        "users",
        sa.Column(
            "language",
            sa.String(length=8),
            sa.CheckConstraint("language IN ('en', 'ru')", name=op.f("ck_users_language")),
            nullable=False,
            server_default="en",
        ),
    )


def downgrade() -> None:
    # The CHECK is the column's own until a later migration copies the table (0011 does, and
    # SQLite then writes it as a table constraint); dropping it by name first works either way.
    with op.batch_alter_table("users", table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.drop_constraint(op.f("ck_users_language"), type_="check")
        batch_op.drop_column("language")
