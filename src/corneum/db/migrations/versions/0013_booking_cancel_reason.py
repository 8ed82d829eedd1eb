"""A booking's cancel reason gets its own column; it was kept only in the audit log, and the
booking page read it back out of the whole log. Reasons already given are copied over.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REASONS = (
    "client_request",
    "client_unwell",
    "practitioner_unavailable",
    "equipment_unavailable",
    "clinical_decision",
    "other",
)


def upgrade() -> None:
    # In place, its CHECK a column constraint (SQLite accepts that in ADD COLUMN), so the
    # bookings table, which others reference, is not copied.
    allowed = ", ".join(f"'{r}'" for r in REASONS)
    op.add_column(
        "bookings",
        sa.Column(
            "cancel_reason",
            sa.String(length=32),
            sa.CheckConstraint(
                f"cancel_reason IN ({allowed})", name=op.f("ck_bookings_cancel_reason")
            ),
            nullable=True,
        ),
    )
    _copy_reasons_from_the_audit_log()


def _copy_reasons_from_the_audit_log() -> None:
    bind = op.get_bind()
    audit = sa.table(
        "audit_events",
        sa.column("id", sa.Integer),
        sa.column("resource_type", sa.String),
        sa.column("resource_id", sa.String),
        sa.column("action", sa.String),
        sa.column("detail", sa.JSON),
    )
    bookings = sa.table("bookings", sa.column("id", sa.Integer), sa.column("cancel_reason"))
    rows = bind.execute(
        sa.select(audit.c.resource_id, audit.c.detail)
        .where(audit.c.resource_type == "booking", audit.c.action == "update")
        .order_by(audit.c.id)
    )
    first: dict[int, str] = {}
    for resource_id, detail in rows:
        data = json.loads(detail) if isinstance(detail, str) else detail
        reason = (data or {}).get("reason")
        if (data or {}).get("change") == "cancel_reason" and reason in REASONS:
            first.setdefault(int(resource_id), reason)
    for booking_id, reason in first.items():
        bind.execute(
            sa.update(bookings).where(bookings.c.id == booking_id).values(cancel_reason=reason)
        )


def downgrade() -> None:
    with op.batch_alter_table("bookings", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.drop_constraint(op.f("ck_bookings_cancel_reason"), type_="check")
        batch.drop_column("cancel_reason")
