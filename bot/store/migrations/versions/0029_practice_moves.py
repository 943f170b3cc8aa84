"""A practice run about a real child moves to live (issue #13).

- `practice_moves`: one row per run moved, written with the assessment's change to `mode = 'live'` and
  `scenario_id = NULL`: who moved it, when, the reason typed (verbatim), and the scenario it came from. At
  most one per assessment: live never becomes practice again, so a run is moved once.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "practice_moves",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("moved_by", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("scenario_id", sa.String(60), nullable=True),
        sa.Column("moved_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"], ["assessments.id"], name=op.f("fk_practice_moves_assessment_id_assessments")
        ),
        sa.ForeignKeyConstraint(["moved_by"], ["users.id"], name=op.f("fk_practice_moves_moved_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_moves")),
        sa.UniqueConstraint("assessment_id", name=op.f("uq_practice_moves_assessment_id")),
    )


def downgrade() -> None:
    op.drop_table("practice_moves")
