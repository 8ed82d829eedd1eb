"""The initial records: clinics, accounts, clients and their history, consultations, plans,
sessions, consents, outcomes and the audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "clinics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinics")),
        sa.UniqueConstraint("name", name=op.f("uq_clinics_name")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "clients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("given_name", sa.String(length=200), nullable=False),
        sa.Column("family_name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=50), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("skin_type", sa.String(length=64), nullable=True),
        sa.Column("phototype", sa.Integer(), nullable=True),
        sa.Column("risk_factors", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("phototype BETWEEN 1 AND 6", name=op.f("ck_clients_phototype")),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinics.id"], name=op.f("fk_clients_clinic_id_clinics")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clients")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_clients_clinic_id"), "clients", ["clinic_id"], unique=False)
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("qualifications", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "role IN ('admin', 'practitioner', 'reception')", name=op.f("ck_users_role")
        ),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinics.id"], name=op.f("fk_users_clinic_id_clinics")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_users_clinic_id"), "users", ["clinic_id"], unique=False)
    op.create_table(
        "allergies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("allergen", sa.String(length=200), nullable=False),
        sa.Column("reaction", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_allergies_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allergies")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_allergies_client_id"), "allergies", ["client_id"], unique=False)
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("resource_type", sa.String(length=64), nullable=False),
        sa.Column("resource_id", sa.String(length=64), nullable=True),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("clinic_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "action IN ('read', 'create', 'update', 'delete', 'export', 'erase', 'login', "
            "'login_failed', 'logout')",
            name=op.f("ck_audit_events_action"),
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_audit_events_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinics.id"], name=op.f("fk_audit_events_clinic_id_clinics")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_audit_events_actor_id"), "audit_events", ["actor_id"], unique=False)
    op.create_index(op.f("ix_audit_events_at"), "audit_events", ["at"], unique=False)
    op.create_index(op.f("ix_audit_events_client_id"), "audit_events", ["client_id"], unique=False)
    op.create_index(op.f("ix_audit_events_clinic_id"), "audit_events", ["clinic_id"], unique=False)
    create_append_only_guard()
    op.create_table(
        "consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("text_version", sa.String(length=64), nullable=False),
        sa.Column("text_sha256", sa.String(length=64), nullable=False),
        sa.Column("signer_name", sa.String(length=200), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_consents_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.id"], name=op.f("fk_consents_recorded_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_consents_client_id"), "consents", ["client_id"], unique=False)
    op.create_table(
        "consultations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("profile", sa.JSON(), nullable=False),
        sa.Column("assessment", sa.JSON(), nullable=False),
        sa.Column("kb_version", sa.String(length=64), nullable=False),
        sa.Column("kb_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_consultations_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_consultations_created_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultations")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_consultations_client_id"), "consultations", ["client_id"], unique=False
    )
    op.create_table(
        "medical_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("condition_code", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('active', 'resolved')", name=op.f("ck_medical_history_status")
        ),
        sa.CheckConstraint(
            "ended_on IS NULL OR started_on IS NULL OR ended_on >= started_on",
            name=op.f("ck_medical_history_dates"),
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_medical_history_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_medical_history")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_medical_history_client_id"), "medical_history", ["client_id"], unique=False
    )
    op.create_table(
        "medications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("last_taken", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_medications_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_medications")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_medications_client_id"), "medications", ["client_id"], unique=False)
    op.create_table(
        "treatment_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=True),
        sa.Column("procedure_id", sa.String(length=64), nullable=False),
        sa.Column("sessions_planned", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('planned', 'active', 'completed', 'cancelled')",
            name=op.f("ck_treatment_plans_status"),
        ),
        sa.CheckConstraint(
            "sessions_planned >= 1", name=op.f("ck_treatment_plans_sessions_planned")
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_treatment_plans_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_treatment_plans_consultation_id_consultations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_treatment_plans_created_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_treatment_plans")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_treatment_plans_client_id"), "treatment_plans", ["client_id"], unique=False
    )
    op.create_index(
        op.f("ix_treatment_plans_consultation_id"),
        "treatment_plans",
        ["consultation_id"],
        unique=False,
    )
    op.create_table(
        "treatment_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("practitioner_id", sa.Integer(), nullable=False),
        sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('scheduled', 'in_progress', 'completed', 'cancelled', 'no_show')",
            name=op.f("ck_treatment_sessions_status"),
        ),
        sa.CheckConstraint(
            "ended_at IS NULL OR started_at IS NULL OR ended_at >= started_at",
            name=op.f("ck_treatment_sessions_times"),
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_treatment_sessions_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["treatment_plans.id"],
            name=op.f("fk_treatment_sessions_plan_id_treatment_plans"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["practitioner_id"],
            ["users.id"],
            name=op.f("fk_treatment_sessions_practitioner_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_treatment_sessions")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_treatment_sessions_client_id"), "treatment_sessions", ["client_id"], unique=False
    )
    op.create_index(
        op.f("ix_treatment_sessions_plan_id"), "treatment_sessions", ["plan_id"], unique=False
    )
    op.create_index(
        op.f("ix_treatment_sessions_practitioner_id"),
        "treatment_sessions",
        ["practitioner_id"],
        unique=False,
    )
    op.create_table(
        "adverse_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=100), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("action_taken", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "severity IN ('mild', 'moderate', 'severe')", name=op.f("ck_adverse_events_severity")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["treatment_sessions.id"],
            name=op.f("fk_adverse_events_session_id_treatment_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_adverse_events")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_adverse_events_session_id"), "adverse_events", ["session_id"], unique=False
    )
    op.create_table(
        "outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("open_comedones", sa.Integer(), nullable=True),
        sa.Column("closed_comedones", sa.Integer(), nullable=True),
        sa.Column("papules", sa.Integer(), nullable=True),
        sa.Column("pustules", sa.Integer(), nullable=True),
        sa.Column("nodules", sa.Integer(), nullable=True),
        sa.Column("grade_scale", sa.String(length=32), nullable=True),
        sa.Column("grade_value", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(grade_scale IS NULL) = (grade_value IS NULL)", name=op.f("ck_outcomes_grade")
        ),
        sa.CheckConstraint("closed_comedones >= 0", name=op.f("ck_outcomes_closed_comedones")),
        sa.CheckConstraint("nodules >= 0", name=op.f("ck_outcomes_nodules")),
        sa.CheckConstraint("open_comedones >= 0", name=op.f("ck_outcomes_open_comedones")),
        sa.CheckConstraint("papules >= 0", name=op.f("ck_outcomes_papules")),
        sa.CheckConstraint("pustules >= 0", name=op.f("ck_outcomes_pustules")),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.id"], name=op.f("fk_outcomes_recorded_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["treatment_sessions.id"],
            name=op.f("fk_outcomes_session_id_treatment_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcomes")),
        sa.UniqueConstraint("session_id", name=op.f("uq_outcomes_session_id")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "session_observations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("observed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["treatment_sessions.id"],
            name=op.f("fk_session_observations_session_id_treatment_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_observations")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_session_observations_session_id"),
        "session_observations",
        ["session_id"],
        unique=False,
    )
    op.create_table(
        "session_products",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("lot_number", sa.String(length=100), nullable=False),
        sa.Column("stage_index", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["treatment_sessions.id"],
            name=op.f("fk_session_products_session_id_treatment_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_products")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_session_products_lot_number"), "session_products", ["lot_number"], unique=False
    )
    op.create_index(
        op.f("ix_session_products_session_id"), "session_products", ["session_id"], unique=False
    )
    op.create_table(
        "session_stages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("stage_index", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "ended_at IS NULL OR started_at IS NULL OR ended_at >= started_at",
            name=op.f("ck_session_stages_times"),
        ),
        sa.CheckConstraint("stage_index >= 0", name=op.f("ck_session_stages_stage_index")),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["treatment_sessions.id"],
            name=op.f("fk_session_stages_session_id_treatment_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_stages")),
        sa.UniqueConstraint(
            "session_id", "stage_index", name=op.f("uq_session_stages_session_id_stage_index")
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_session_stages_session_id"), "session_stages", ["session_id"], unique=False
    )


def downgrade() -> None:
    drop_append_only_guard()
    op.drop_table("session_stages")
    op.drop_table("session_products")
    op.drop_table("session_observations")
    op.drop_table("outcomes")
    op.drop_table("adverse_events")
    op.drop_table("treatment_sessions")
    op.drop_table("treatment_plans")
    op.drop_table("medications")
    op.drop_table("medical_history")
    op.drop_table("consultations")
    op.drop_table("consents")
    op.drop_table("audit_events")
    op.drop_table("allergies")
    op.drop_table("users")
    op.drop_table("clients")
    op.drop_table("clinics")


# The audit log is append-only, in the database itself: no UPDATE, DELETE (or TRUNCATE) gets past
# these triggers, whatever the application does.
SQLITE_GUARD = """
CREATE TRIGGER audit_events_no_{verb} BEFORE {verb} ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END
"""
POSTGRESQL_GUARD = (
    """
    CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$
    """,
    """
    CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()
    """,
    """
    CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()
    """,
)


def create_append_only_guard() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(SQLITE_GUARD.format(verb=verb))
    else:
        for statement in POSTGRESQL_GUARD:
            op.execute(statement)


def drop_append_only_guard() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"DROP TRIGGER audit_events_no_{verb}")
    else:
        op.execute("DROP TRIGGER audit_events_no_truncate ON audit_events")
        op.execute("DROP TRIGGER audit_events_no_change ON audit_events")
        op.execute("DROP FUNCTION audit_events_append_only()")
