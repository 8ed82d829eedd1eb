"""Sign-in under attack: one locked row per e-mail address for its growing delay (replacing a
row per failed attempt, which parallel attempts could not count atomically), and the optional
second factor of each account (a TOTP secret, whether it is on, the last step used).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sign_in_limits",
        sa.Column("email_sha256", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("next_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("email_sha256", name=op.f("pk_sign_in_limits")),
    )
    with op.batch_alter_table("sign_in_limits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sign_in_limits_last_at"), ["last_at"], unique=False)
    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_attempts_email_sha256"))
        batch_op.drop_index(batch_op.f("ix_login_attempts_at"))
    op.drop_table("login_attempts")
    # Added in place (no copy of the users table, which others reference); existing accounts
    # have no second factor.
    op.add_column("users", sa.Column("totp_secret", sa.String(length=64), nullable=True))
    op.add_column(
        "users",
        sa.Column("totp_enabled", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("users", sa.Column("totp_last_step", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    op.drop_column("users", "totp_last_step")
    op.drop_column("users", "totp_enabled")
    op.drop_column("users", "totp_secret")
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email_sha256", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempts")),
    )
    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_attempts_at"), ["at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_login_attempts_email_sha256"), ["email_sha256"], unique=False
        )
    with op.batch_alter_table("sign_in_limits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_in_limits_last_at"))
    op.drop_table("sign_in_limits")
