"""A trainer's feedback note to the trainee on a submitted practice run (issue #13).

- `practice_feedback`: one row per note: the run (`assessment_id`), the trainer who wrote it, the text
  verbatim, and when. Notes are never edited; a run's notes are deleted with the run when it is purged.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "practice_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("trainer_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"], ["assessments.id"], name=op.f("fk_practice_feedback_assessment_id_assessments")
        ),
        sa.ForeignKeyConstraint(
            ["trainer_id"], ["users.id"], name=op.f("fk_practice_feedback_trainer_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_feedback")),
    )
    op.create_index(op.f("ix_practice_feedback_assessment_id"), "practice_feedback", ["assessment_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_practice_feedback_assessment_id"), table_name="practice_feedback")
    op.drop_table("practice_feedback")
