"""The reception desk: a booking checked in, missed (no-show) or cancelled late, recorded with
who and when; and the stored waitlist of clients waiting for a place.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEEP_IDS = {"sqlite_autoincrement": True}
"""SQLite copies the table in batch mode: the copy keeps never reusing an id."""
STATUSES = ("booked", "arrived", "cancelled", "late_cancelled", "no_show", "done")
ACTIONS = ("create", "cancel", "reschedule", "check_in", "no_show", "late_cancel")


def _in(column: str, values: Sequence[str]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    with op.batch_alter_table("bookings", table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(sa.Column("arrived_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("arrived_by", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("missed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("missed_by", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_bookings_arrived_by_users"), "users", ["arrived_by"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_bookings_missed_by_users"), "users", ["missed_by"], ["id"]
        )
        batch_op.drop_constraint(batch_op.f("ck_bookings_status"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_bookings_status"), _in("status", STATUSES))
    with op.batch_alter_table("booking_events", table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_booking_events_action"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_booking_events_action"), _in("action", ACTIONS)
        )
    _create_waitlist()


def _create_waitlist() -> None:
    op.create_table(
        "waitlist_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("procedure_id", sa.String(length=64), nullable=False),
        sa.Column("earliest", sa.Date(), nullable=False),
        sa.Column("latest", sa.Date(), nullable=False),
        sa.Column("practitioner_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_by", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('waiting', 'booked', 'removed')", name=op.f("ck_waitlist_entries_status")
        ),
        sa.CheckConstraint("latest >= earliest", name=op.f("ck_waitlist_entries_window")),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_waitlist_entries_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinics.id"], name=op.f("fk_waitlist_entries_clinic_id_clinics")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["treatment_plans.id"],
            name=op.f("fk_waitlist_entries_plan_id_treatment_plans"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["practitioner_id"],
            ["users.id"],
            name=op.f("fk_waitlist_entries_practitioner_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["bookings.id"],
            name=op.f("fk_waitlist_entries_booking_id_bookings"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_waitlist_entries_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["closed_by"], ["users.id"], name=op.f("fk_waitlist_entries_closed_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waitlist_entries")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("waitlist_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_waitlist_entries_client_id"), ["client_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_waitlist_entries_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(
            "ix_waitlist_entries_clinic_status", ["clinic_id", "status"], unique=False
        )


def downgrade() -> None:
    op.drop_table("waitlist_entries")
    with op.batch_alter_table("booking_events", table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_booking_events_action"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_booking_events_action"), _in("action", ACTIONS[:3])
        )
    with op.batch_alter_table("bookings", table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_bookings_status"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_bookings_status"), _in("status", ("booked", "cancelled", "done"))
        )
        batch_op.drop_constraint(batch_op.f("fk_bookings_missed_by_users"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_bookings_arrived_by_users"), type_="foreignkey")
        batch_op.drop_column("missed_by")
        batch_op.drop_column("missed_at")
        batch_op.drop_column("arrived_by")
        batch_op.drop_column("arrived_at")
