"""A treatment session knows the booking it was started from.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("treatment_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("booking_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_treatment_sessions_booking_id_bookings"),
            "bookings",
            ["booking_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index(
            batch_op.f("ix_treatment_sessions_booking_id"), ["booking_id"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("treatment_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_treatment_sessions_booking_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_treatment_sessions_booking_id_bookings"), type_="foreignkey"
        )
        batch_op.drop_column("booking_id")
