"""Legal holds (issue #31): a case under a hold is never erased by `bot retention run`.

- `legal_holds`: one row per hold on an assessment, with who set it, when and why, and who lifted it, when
  and why; at most one unlifted hold per assessment (`uq_legal_holds_one_active`, a partial unique index).

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.store.models import UTCDateTime

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "legal_holds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("set_by", sa.Integer(), nullable=False),
        sa.Column("set_at", UTCDateTime(), nullable=False),
        sa.Column("lifted_reason", sa.Text(), nullable=True),
        sa.Column("lifted_by", sa.Integer(), nullable=True),
        sa.Column("lifted_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessment_id"], ["assessments.id"], name=op.f("fk_legal_holds_assessment_id_assessments")
        ),
        sa.ForeignKeyConstraint(["set_by"], ["users.id"], name=op.f("fk_legal_holds_set_by_users")),
        sa.ForeignKeyConstraint(["lifted_by"], ["users.id"], name=op.f("fk_legal_holds_lifted_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_holds")),
    )
    op.create_index(op.f("ix_legal_holds_assessment_id"), "legal_holds", ["assessment_id"])
    op.create_index(
        "uq_legal_holds_one_active",
        "legal_holds",
        ["assessment_id"],
        unique=True,
        sqlite_where=sa.text("lifted_at IS NULL"),
        postgresql_where=sa.text("lifted_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("uq_legal_holds_one_active", table_name="legal_holds")
    op.drop_index(op.f("ix_legal_holds_assessment_id"), table_name="legal_holds")
    op.drop_table("legal_holds")
