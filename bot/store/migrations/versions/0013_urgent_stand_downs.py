"""A lead stands an urgent flag down with a reason (issue #26, item 5).

- `urgent_stand_downs`: who stood the flag down, when, why (verbatim), and the latest flag it covers
  (`through_flag_id`). A case is urgent while it has a danger report after its latest stand-down
  (bot.store.repository.urgent_now); the flags themselves are never changed.

Only adds: no existing row changes.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "urgent_stand_downs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("assessment_id", sa.Integer(), sa.ForeignKey("assessments.id"), nullable=False),
        sa.Column("through_flag_id", sa.Integer(), sa.ForeignKey("urgent_flags.id"), nullable=False),
        sa.Column("stood_down_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("stood_down_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_urgent_stand_downs_assessment_id", "urgent_stand_downs", ["assessment_id"])


def downgrade() -> None:
    op.drop_index("ix_urgent_stand_downs_assessment_id", table_name="urgent_stand_downs")
    op.drop_table("urgent_stand_downs")
