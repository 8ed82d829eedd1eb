"""The client's side (portal): a clinic's portal settings, each client's language, personal
links and portal sessions (tokens and codes as hashes only), and the audit log's client actor
(a client acting herself, through the portal).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "portal_settings",
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("sign_in_check", sa.String(length=16), nullable=False),
        sa.Column("cancel_notice_hours", sa.Integer(), nullable=False),
        sa.Column("link_days", sa.Integer(), nullable=False),
        sa.Column("clinic_phone", sa.String(length=50), nullable=True),
        sa.CheckConstraint(
            "sign_in_check IN ('code', 'date_of_birth')",
            name=op.f("ck_portal_settings_sign_in_check"),
        ),
        sa.CheckConstraint(
            "cancel_notice_hours BETWEEN 0 AND 720",
            name=op.f("ck_portal_settings_cancel_notice_hours"),
        ),
        sa.CheckConstraint("link_days BETWEEN 1 AND 30", name=op.f("ck_portal_settings_link_days")),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinics.id"], name=op.f("fk_portal_settings_clinic_id_clinics")
        ),
        sa.PrimaryKeyConstraint("clinic_id", name=op.f("pk_portal_settings")),
    )
    op.create_table(
        "client_preferences",
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.CheckConstraint("language IN ('en', 'ru')", name=op.f("ck_client_preferences_language")),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_client_preferences_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("client_id", name=op.f("pk_client_preferences")),
    )
    _links()
    _sessions()
    op.add_column("audit_events", sa.Column("actor_client_id", sa.Integer(), nullable=True))
    op.create_index(
        op.f("ix_audit_events_actor_client_id"), "audit_events", ["actor_client_id"], unique=False
    )


def _links() -> None:
    op.create_table(
        "portal_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("expires_at", WHEN, nullable=False),
        sa.Column("revoked_at", WHEN, nullable=True),
        sa.Column("code_sha256", sa.String(length=64), nullable=True),
        sa.Column("code_expires_at", WHEN, nullable=True),
        sa.Column("code_sent_at", WHEN, nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_portal_links_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_portal_links_created_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_links")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_portal_links_token_sha256")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_portal_links_client_id"), "portal_links", ["client_id"])


def _sessions() -> None:
    op.create_table(
        "portal_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("expires_at", WHEN, nullable=False),
        sa.Column("ended_at", WHEN, nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_portal_sessions_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["link_id"],
            ["portal_links.id"],
            name=op.f("fk_portal_sessions_link_id_portal_links"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_sessions")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_portal_sessions_token_sha256")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_portal_sessions_client_id"), "portal_sessions", ["client_id"])
    op.create_index(op.f("ix_portal_sessions_link_id"), "portal_sessions", ["link_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_audit_events_actor_client_id"), table_name="audit_events")
    # In place (SQLite 3.35+ drops a column itself): a copied table would lose the audit
    # log's triggers that refuse UPDATE and DELETE.
    op.drop_column("audit_events", "actor_client_id")
    op.drop_table("portal_sessions")
    op.drop_table("portal_links")
    op.drop_table("client_preferences")
    op.drop_table("portal_settings")
