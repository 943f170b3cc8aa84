"""A lead's VAF dimension tags on individual evidence items (one answer revision of a submitted assessment).

Written out in full (not importing the models or the vocabulary) so that this revision keeps meaning the
same thing after either moves on. Only adds a table: nothing here touches the practitioner's record.

A tag is never deleted: removing one sets removed_by/removed_at, so the history of what a lead tagged and
untagged stays. At most one *active* tag per answer revision and dimension (a partial unique index), which
is what makes adding the same tag twice a no-op rather than a duplicate.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

DIMENSIONS = "'engagement', 'intent', 'capability'"
ACTIVE = sa.text("removed_at IS NULL")


def _when(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "evidence_tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=100), nullable=False),
        sa.Column("answer_revision", sa.Integer(), nullable=False),
        sa.Column("dimension", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("tagged_by", sa.Integer(), nullable=False),
        _when("tagged_at"),
        sa.Column("removed_by", sa.Integer(), nullable=True),
        _when("removed_at", nullable=True),
        sa.CheckConstraint(f"dimension IN ({DIMENSIONS})", name="ck_evidence_tags_dimension"),
        sa.CheckConstraint(
            "(removed_by IS NULL AND removed_at IS NULL) "
            "OR (removed_by IS NOT NULL AND removed_at IS NOT NULL)",
            name="ck_evidence_tags_removal_complete",
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id", "question_id", "answer_revision"],
            ["answers.assessment_id", "answers.question_id", "answers.revision"],
            name="fk_evidence_tags_assessment_id_answers",
        ),
        sa.ForeignKeyConstraint(["tagged_by"], ["users.id"], name="fk_evidence_tags_tagged_by_users"),
        sa.ForeignKeyConstraint(["removed_by"], ["users.id"], name="fk_evidence_tags_removed_by_users"),
        sa.PrimaryKeyConstraint("id", name="pk_evidence_tags"),
    )
    op.create_index("ix_evidence_tags_assessment_id", "evidence_tags", ["assessment_id"])
    op.create_index(
        "uq_evidence_tags_active",
        "evidence_tags",
        ["assessment_id", "question_id", "answer_revision", "dimension"],
        unique=True,
        sqlite_where=ACTIVE,
        postgresql_where=ACTIVE,
    )


def downgrade() -> None:
    op.drop_index("uq_evidence_tags_active", table_name="evidence_tags")
    op.drop_index("ix_evidence_tags_assessment_id", table_name="evidence_tags")
    op.drop_table("evidence_tags")
