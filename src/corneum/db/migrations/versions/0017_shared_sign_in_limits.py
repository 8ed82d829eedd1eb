"""Several server processes on one database: the sign-in limits per client address and for the
whole server move from each process's memory to a table they all share (used on PostgreSQL).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sign_in_buckets",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("tokens", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("next_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sign_in_buckets")),
    )
    with op.batch_alter_table("sign_in_buckets", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sign_in_buckets_updated_at"), ["updated_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("sign_in_buckets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_in_buckets_updated_at"))
    op.drop_table("sign_in_buckets")
