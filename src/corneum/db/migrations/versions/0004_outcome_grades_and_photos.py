"""Outcomes: a grade per scale and area, and before/after photos' metadata (the images live on
disk, outside the database).

The single ``grade_scale``/``grade_value`` pair of an outcome becomes rows of
``outcome_grades``. The one scale graded before, IGA, grades the face by definition, so those
grades move over as IGA face; a grade on any other scale (no area known) is kept as a line of the
outcome's note rather than guessed into an area.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

IGA_HIGHEST = 4
LEGACY = sa.table(
    "outcomes",
    sa.column("id", sa.Integer()),
    sa.column("grade_scale", sa.String()),
    sa.column("grade_value", sa.Integer()),
    sa.column("note", sa.Text()),
)
GRADES = sa.table(
    "outcome_grades",
    sa.column("id", sa.Integer()),
    sa.column("outcome_id", sa.Integer()),
    sa.column("scale", sa.String()),
    sa.column("area", sa.String()),
    sa.column("value", sa.Integer()),
)


def upgrade() -> None:
    connection = op.get_bind()
    legacy = connection.execute(
        sa.select(LEGACY).where(LEGACY.c.grade_scale.is_not(None)).order_by(LEGACY.c.id)
    ).all()
    moved = [row for row in legacy if _is_iga(row.grade_scale, row.grade_value)]
    for row in legacy:
        if not _is_iga(row.grade_scale, row.grade_value):
            line = f"Grade recorded before per-area grading: {row.grade_scale} {row.grade_value}"
            note = f"{row.note}\n{line}" if row.note else line
            connection.execute(LEGACY.update().where(LEGACY.c.id == row.id).values(note=note))
    # Before the grades table exists: on SQLite the batch copies and drops ``outcomes``, and
    # with foreign keys on, dropping it would cascade into rows that refer to it.
    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_outcomes_grade"), type_="check")
        batch_op.drop_column("grade_value")
        batch_op.drop_column("grade_scale")
    _create_grades()
    _create_photos()
    if moved:
        op.bulk_insert(
            GRADES,
            [
                {"outcome_id": row.id, "scale": "iga", "area": "face", "value": row.grade_value}
                for row in moved
            ],
        )


def _is_iga(scale: str, value: int) -> bool:
    return scale == "iga" and 0 <= value <= IGA_HIGHEST


def _create_grades() -> None:
    op.create_table(
        "outcome_grades",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outcome_id", sa.Integer(), nullable=False),
        sa.Column("scale", sa.String(length=32), nullable=False),
        sa.Column("area", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.CheckConstraint("value >= 0", name=op.f("ck_outcome_grades_value")),
        sa.ForeignKeyConstraint(
            ["outcome_id"],
            ["outcomes.id"],
            name=op.f("fk_outcome_grades_outcome_id_outcomes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcome_grades")),
        sa.UniqueConstraint(
            "outcome_id", "scale", "area", name=op.f("uq_outcome_grades_outcome_id_scale_area")
        ),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("outcome_grades", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outcome_grades_outcome_id"), ["outcome_id"], unique=False
        )


def _create_photos() -> None:
    op.create_table(
        "outcome_photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("area", sa.String(length=32), nullable=False),
        sa.Column("moment", sa.String(length=8), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("content_type", sa.String(length=16), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "content_type IN ('image/jpeg', 'image/png')",
            name=op.f("ck_outcome_photos_content_type"),
        ),
        sa.CheckConstraint("moment IN ('before', 'after')", name=op.f("ck_outcome_photos_moment")),
        sa.CheckConstraint("size_bytes > 0", name=op.f("ck_outcome_photos_size_bytes")),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["treatment_sessions.id"],
            name=op.f("fk_outcome_photos_session_id_treatment_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by"], ["users.id"], name=op.f("fk_outcome_photos_uploaded_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcome_photos")),
        sa.UniqueConstraint("file_name", name=op.f("uq_outcome_photos_file_name")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("outcome_photos", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outcome_photos_session_id"), ["session_id"], unique=False
        )


def downgrade() -> None:
    # One grade per outcome goes back (the lowest-numbered); photos' rows go, their files stay.
    # The grades are read and their table dropped before ``outcomes`` is copied (see upgrade).
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(GRADES.c.outcome_id, GRADES.c.scale, GRADES.c.value).order_by(GRADES.c.id.desc())
    ).all()
    kept = {row.outcome_id: row for row in rows}  # the last one written is the lowest id
    op.drop_table("outcome_photos")
    op.drop_table("outcome_grades")
    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("grade_scale", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("grade_value", sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            batch_op.f("ck_outcomes_grade"), "(grade_scale IS NULL) = (grade_value IS NULL)"
        )
    for outcome_id, row in kept.items():
        connection.execute(
            LEGACY.update()
            .where(LEGACY.c.id == outcome_id)
            .values(grade_scale=row.scale, grade_value=row.value)
        )
