"""Patch tests before a course (the agent, product and lot, applied and read when and by whom,
the result), and the agent chosen for a product used in a session (its contact time runs the
stage's timer).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "patch_tests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("procedure_id", sa.String(length=64), nullable=False),
        sa.Column("agent", sa.String(length=200), nullable=True),
        sa.Column("product", sa.String(length=200), nullable=False),
        sa.Column("lot_number", sa.String(length=100), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("applied_by", sa.Integer(), nullable=True),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("read_by", sa.Integer(), nullable=True),
        sa.Column("result", sa.String(length=16), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "result IN ('no_reaction', 'reaction')", name=op.f("ck_patch_tests_result")
        ),
        sa.CheckConstraint(
            "read_at IS NULL OR read_at >= applied_at", name=op.f("ck_patch_tests_times")
        ),
        sa.CheckConstraint(
            "(result IS NULL) = (read_at IS NULL)", name=op.f("ck_patch_tests_reading")
        ),
        sa.ForeignKeyConstraint(
            ["applied_by"], ["users.id"], name=op.f("fk_patch_tests_applied_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_patch_tests_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["read_by"], ["users.id"], name=op.f("fk_patch_tests_read_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patch_tests")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("patch_tests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_patch_tests_client_id"), ["client_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_patch_tests_procedure_id"), ["procedure_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_patch_tests_lot_number"), ["lot_number"], unique=False)
    op.add_column("session_products", sa.Column("agent", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("session_products", schema=None) as batch_op:
        batch_op.drop_column("agent")
    with op.batch_alter_table("patch_tests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_patch_tests_lot_number"))
        batch_op.drop_index(batch_op.f("ix_patch_tests_procedure_id"))
        batch_op.drop_index(batch_op.f("ix_patch_tests_client_id"))
    op.drop_table("patch_tests")
