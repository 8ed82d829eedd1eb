"""The care pathway's safety rules: conditions with a life, allergies by code, the area a plan
treats, the cautions a booking and a session carry, their acknowledgement, skipped stages.

Existing rows: history entries keep their status (no expected end, no area: everywhere);
allergies get no code (free text stays shown; the practitioner codes them again); a plan made
from a consultation takes that consultation's area, any other screens every area its procedure
treats; bookings and sessions carry no cautions (screening on the day still runs); sessions
carry no acknowledgement (one is asked before a first stage that has cautions); no stage is
skipped.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("medical_history", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expected_end_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("area", sa.String(length=64), nullable=True))
    with op.batch_alter_table("allergies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("code", sa.String(length=64), nullable=True))
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("note", sa.Text(), nullable=True))
    with op.batch_alter_table("treatment_plans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("area", sa.String(length=64), nullable=True))
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cautions", sa.JSON(), nullable=False, server_default="[]"))
    with op.batch_alter_table("treatment_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cautions", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("acknowledged_by", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("acknowledged_reasons", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("acknowledgement_note", sa.Text(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_treatment_sessions_acknowledged_by_users"),
            "users",
            ["acknowledged_by"],
            ["id"],
        )
    with op.batch_alter_table("session_stages", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("skipped", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("skip_reason", sa.Text(), nullable=True))
    _plans_take_their_consultations_area()


def _plans_take_their_consultations_area() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT p.id, c.profile FROM treatment_plans p "
            "JOIN consultations c ON c.id = p.consultation_id"
        )
    ).all()
    for plan_id, profile in rows:
        data = json.loads(profile) if isinstance(profile, str) else profile
        area = data.get("area") if isinstance(data, dict) else None
        if isinstance(area, str):
            connection.execute(
                sa.text("UPDATE treatment_plans SET area = :area WHERE id = :id"),
                {"area": area, "id": plan_id},
            )


def downgrade() -> None:
    with op.batch_alter_table("session_stages", schema=None) as batch_op:
        batch_op.drop_column("skip_reason")
        batch_op.drop_column("skipped")
    with op.batch_alter_table("treatment_sessions", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_treatment_sessions_acknowledged_by_users"), type_="foreignkey"
        )
        batch_op.drop_column("acknowledgement_note")
        batch_op.drop_column("acknowledged_reasons")
        batch_op.drop_column("acknowledged_at")
        batch_op.drop_column("acknowledged_by")
        batch_op.drop_column("cautions")
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.drop_column("cautions")
    with op.batch_alter_table("treatment_plans", schema=None) as batch_op:
        batch_op.drop_column("area")
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.drop_column("note")
    with op.batch_alter_table("allergies", schema=None) as batch_op:
        batch_op.drop_column("code")
    with op.batch_alter_table("medical_history", schema=None) as batch_op:
        batch_op.drop_column("area")
        batch_op.drop_column("expected_end_on")
