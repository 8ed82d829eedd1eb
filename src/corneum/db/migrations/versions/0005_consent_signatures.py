"""Consent signatures drawn on the tablet (or typed), kept with the consent, and the procedure
a consent is for.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("procedure_id", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("signature_method", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("signature_svg", sa.Text(), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_consents_signature_method"), "signature_method IN ('drawn', 'typed')"
        )


def downgrade() -> None:
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_consents_signature_method"), type_="check")
        batch_op.drop_column("signature_svg")
        batch_op.drop_column("signature_method")
        batch_op.drop_column("procedure_id")
