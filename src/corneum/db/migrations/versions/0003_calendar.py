"""The clinic calendar: settings, working hours, rooms, devices and their maintenance, bookings
with what they hold and their history, and the outbox of reminders.

On PostgreSQL an exclusion constraint over ``booking_holds`` makes the database itself refuse two
active holds of one resource that overlap in time, whatever the application checked.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


NO_DOUBLE_HOLDS = """
ALTER TABLE booking_holds ADD CONSTRAINT ex_booking_holds_no_overlap
EXCLUDE USING gist (
    resource_kind WITH =,
    resource_id WITH =,
    tstzrange(starts_at, ends_at) WITH &&
) WHERE (active)
"""
"""Half-open ranges ``[start, end)``: one hold may end exactly when the next begins."""


def upgrade() -> None:
    op.create_table(
        "calendar_settings",
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("step_minutes", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "step_minutes BETWEEN 1 AND 240", name=op.f("ck_calendar_settings_step_minutes")
        ),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinics.id"], name=op.f("fk_calendar_settings_clinic_id_clinics")
        ),
        sa.PrimaryKeyConstraint("clinic_id", name=op.f("pk_calendar_settings")),
    )
    op.create_table(
        "devices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinics.id"], name=op.f("fk_devices_clinic_id_clinics")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_devices")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_devices_clinic_id"), ["clinic_id"], unique=False)

    op.create_table(
        "rooms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinics.id"], name=op.f("fk_rooms_clinic_id_clinics")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rooms")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("rooms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rooms_clinic_id"), ["clinic_id"], unique=False)

    op.create_table(
        "days_off",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_days_off_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_days_off")),
        sa.UniqueConstraint("user_id", "day", name=op.f("uq_days_off_user_id_day")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("days_off", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_days_off_user_id"), ["user_id"], unique=False)

    op.create_table(
        "device_maintenance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_device_maintenance_span")),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["devices.id"],
            name=op.f("fk_device_maintenance_device_id_devices"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_maintenance")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("device_maintenance", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_device_maintenance_device_id"), ["device_id"], unique=False
        )

    op.create_table(
        "working_hours",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("starts", sa.Time(), nullable=False),
        sa.Column("ends", sa.Time(), nullable=False),
        sa.CheckConstraint("ends > starts", name=op.f("ck_working_hours_span")),
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name=op.f("ck_working_hours_weekday")),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_working_hours_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_working_hours")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("working_hours", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_working_hours_user_id"), ["user_id"], unique=False)

    op.create_table(
        "bookings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("procedure_id", sa.String(length=64), nullable=False),
        sa.Column("practitioner_id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('booked', 'cancelled', 'done')", name=op.f("ck_bookings_status")
        ),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_bookings_span")),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_bookings_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinics.id"], name=op.f("fk_bookings_clinic_id_clinics")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_bookings_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["treatment_plans.id"],
            name=op.f("fk_bookings_plan_id_treatment_plans"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["practitioner_id"], ["users.id"], name=op.f("fk_bookings_practitioner_id_users")
        ),
        sa.ForeignKeyConstraint(["room_id"], ["rooms.id"], name=op.f("fk_bookings_room_id_rooms")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bookings")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bookings_client_id"), ["client_id"], unique=False)
        batch_op.create_index(
            "ix_bookings_clinic_id_starts_at", ["clinic_id", "starts_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_bookings_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_bookings_practitioner_id"), ["practitioner_id"], unique=False
        )

    op.create_table(
        "booking_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("old_starts_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("old_ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("new_starts_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("new_ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("old_practitioner_id", sa.Integer(), nullable=True),
        sa.Column("new_practitioner_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "action IN ('create', 'cancel', 'reschedule')", name=op.f("ck_booking_events_action")
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_booking_events_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["bookings.id"],
            name=op.f("fk_booking_events_booking_id_bookings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking_events")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("booking_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_booking_events_booking_id"), ["booking_id"], unique=False
        )

    op.create_table(
        "booking_holds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("resource_kind", sa.String(length=16), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "resource_kind IN ('practitioner', 'room', 'device')",
            name=op.f("ck_booking_holds_resource_kind"),
        ),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_booking_holds_span")),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["bookings.id"],
            name=op.f("fk_booking_holds_booking_id_bookings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking_holds")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("booking_holds", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_booking_holds_booking_id"), ["booking_id"], unique=False
        )
        batch_op.create_index(
            "ix_booking_holds_resource", ["resource_kind", "resource_id", "starts_at"], unique=False
        )

    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute(NO_DOUBLE_HOLDS)

    op.create_table(
        "outbox_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=True),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["bookings.id"],
            name=op.f("fk_outbox_messages_booking_id_bookings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinics.id"], name=op.f("fk_outbox_messages_clinic_id_clinics")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_messages")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outbox_messages_booking_id"), ["booking_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_outbox_messages_clinic_id"), ["clinic_id"], unique=False
        )
        batch_op.create_index(
            "ix_outbox_messages_pending", ["sent_at", "next_attempt_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_messages_pending")
        batch_op.drop_index(batch_op.f("ix_outbox_messages_clinic_id"))
        batch_op.drop_index(batch_op.f("ix_outbox_messages_booking_id"))

    op.drop_table("outbox_messages")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE booking_holds DROP CONSTRAINT ex_booking_holds_no_overlap")
    with op.batch_alter_table("booking_holds", schema=None) as batch_op:
        batch_op.drop_index("ix_booking_holds_resource")
        batch_op.drop_index(batch_op.f("ix_booking_holds_booking_id"))

    op.drop_table("booking_holds")
    with op.batch_alter_table("booking_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_booking_events_booking_id"))

    op.drop_table("booking_events")
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bookings_practitioner_id"))
        batch_op.drop_index(batch_op.f("ix_bookings_plan_id"))
        batch_op.drop_index("ix_bookings_clinic_id_starts_at")
        batch_op.drop_index(batch_op.f("ix_bookings_client_id"))

    op.drop_table("bookings")
    with op.batch_alter_table("working_hours", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_working_hours_user_id"))

    op.drop_table("working_hours")
    with op.batch_alter_table("device_maintenance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_device_maintenance_device_id"))

    op.drop_table("device_maintenance")
    with op.batch_alter_table("days_off", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_days_off_user_id"))

    op.drop_table("days_off")
    with op.batch_alter_table("rooms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rooms_clinic_id"))

    op.drop_table("rooms")
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_devices_clinic_id"))

    op.drop_table("devices")
    op.drop_table("calendar_settings")
