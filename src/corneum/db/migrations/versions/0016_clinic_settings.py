"""The clinic's settings (address, phone, booking horizon, reminder lead time), staff names and
colours, and the procedures a clinic offers.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-14
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("calendar_settings") as batch:
        batch.add_column(sa.Column("address", sa.String(length=300), nullable=True))
        batch.add_column(sa.Column("phone", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("horizon_days", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("reminder_hours", sa.Integer(), nullable=False, server_default="24")
        )
        batch.create_check_constraint(
            op.f("ck_calendar_settings_horizon_days"), "horizon_days BETWEEN 1 AND 3650"
        )
        batch.create_check_constraint(
            op.f("ck_calendar_settings_reminder_hours"), "reminder_hours BETWEEN 0 AND 168"
        )
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("full_name", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("colour", sa.String(length=7), nullable=True))
    op.create_table(
        "offerings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("procedure_id", sa.String(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("price", sa.Numeric(precision=10, scale=2), nullable=True),
        sa.Column("minutes", sa.Integer(), nullable=True),
        sa.CheckConstraint("price IS NULL OR price >= 0", name=op.f("ck_offerings_price")),
        sa.CheckConstraint("minutes IS NULL OR minutes > 0", name=op.f("ck_offerings_minutes")),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinics.id"], name=op.f("fk_offerings_clinic_id_clinics")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offerings")),
        sa.UniqueConstraint(
            "clinic_id", "procedure_id", name=op.f("uq_offerings_clinic_id_procedure_id")
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_offerings_clinic_id"), "offerings", ["clinic_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_offerings_clinic_id"), table_name="offerings")
    op.drop_table("offerings")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("colour")
        batch.drop_column("full_name")
    with op.batch_alter_table("calendar_settings") as batch:
        batch.drop_constraint(op.f("ck_calendar_settings_reminder_hours"), type_="check")
        batch.drop_constraint(op.f("ck_calendar_settings_horizon_days"), type_="check")
        batch.drop_column("reminder_hours")
        batch.drop_column("horizon_days")
        batch.drop_column("phone")
        batch.drop_column("address")
