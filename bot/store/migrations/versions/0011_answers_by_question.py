"""An index of answers by question (issue 16): the reports count a few questions' answers across every case
of a period, which without it means reading every answer of every case.

Only adds an index: no row changes.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_answers_question_assessment", "answers", ["question_id", "assessment_id"])


def downgrade() -> None:
    op.drop_index("ix_answers_question_assessment", table_name="answers")
