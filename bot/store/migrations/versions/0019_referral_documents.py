"""The documents a lead sends (issue #12): identifying details stored apart, and a row per document made.

- `identifying_details`: the child's name, date of birth, address, school and parents' or carers' names and
  contacts, as a lead entered them at the time of sending. Never in the assessment's tables: the bot never
  asks for them, and they are merged into a document only when it is generated.
- `referral_documents`: which document (Prevent referral, children's social care referral, partner request)
  was made from which pathway of a decision, with which details (if any) and the sharing-log entry it made.

New tables only. The document kinds are written out here, not read from bot/review/documents, so that this
revision means the same whatever the data says later (as revisions 0012, 0017 and 0018 do).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

KINDS = "'prevent_referral', 'social_care_referral', 'partner_request'"


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"))


def upgrade() -> None:
    op.create_table(
        "identifying_details",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("child_name", sa.Text(), nullable=True),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("school", sa.Text(), nullable=True),
        sa.Column("carers", sa.Text(), nullable=True),
        sa.Column("entered_by", sa.Integer(), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        _fk("identifying_details", "assessment_id", "assessments"),
        _fk("identifying_details", "entered_by", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identifying_details")),
    )
    op.create_index(op.f("ix_identifying_details_assessment_id"), "identifying_details", ["assessment_id"])
    op.create_table(
        "referral_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("decision_pathway_id", sa.Integer(), nullable=False),
        sa.Column("partner", sa.String(length=60), nullable=True),
        sa.Column("details_id", sa.Integer(), nullable=True),
        sa.Column("sharing_entry_id", sa.Integer(), nullable=False),
        sa.Column("made_by", sa.Integer(), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(f"kind IN ({KINDS})", name=op.f("ck_referral_documents_kind")),
        _fk("referral_documents", "assessment_id", "assessments"),
        _fk("referral_documents", "decision_pathway_id", "decision_pathways"),
        _fk("referral_documents", "details_id", "identifying_details"),
        _fk("referral_documents", "sharing_entry_id", "sharing_entries"),
        _fk("referral_documents", "made_by", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_documents")),
    )
    op.create_index(op.f("ix_referral_documents_assessment_id"), "referral_documents", ["assessment_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_referral_documents_assessment_id"), table_name="referral_documents")
    op.drop_table("referral_documents")
    op.drop_index(op.f("ix_identifying_details_assessment_id"), table_name="identifying_details")
    op.drop_table("identifying_details")
