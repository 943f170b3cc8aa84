"""The lead's review: referrals, their status history, decisions and decision actions.

Written out in full (not importing the models or the vocabulary) so that this revision keeps meaning the
same thing after either moves on. Only adds tables: nothing here touches the practitioner's record.

Revision ID: 0003
Revises: 0002 (chained after the Teams identities migration; nothing here depends on its tables)
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

STATUSES = "'submitted', 'in_review', 'decided', 'closed'"
PATHWAYS = (
    "'no_further_action', 'early_help', 's17_assessment', 's47_strategy', 'prevent_referral', "
    "'open_case_update'"
)
CONSENT = "'given', 'refused', 'not_sought'"


def _when(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "referrals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        _when("created_at"),
        _when("updated_at"),
        sa.CheckConstraint(f"status IN ({STATUSES})", name="ck_referrals_status"),
        sa.ForeignKeyConstraint(
            ["assessment_id"], ["assessments.id"], name="fk_referrals_assessment_id_assessments"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_referrals"),
        sa.UniqueConstraint("assessment_id", name="uq_referrals_assessment_id"),
    )
    op.create_index("ix_referrals_status", "referrals", ["status"])

    op.create_table(
        "referral_status_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=True),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("changed_by", sa.Integer(), nullable=True),
        _when("changed_at"),
        sa.CheckConstraint(f"to_status IN ({STATUSES})", name="ck_referral_status_changes_to_status"),
        sa.ForeignKeyConstraint(
            ["referral_id"], ["referrals.id"], name="fk_referral_status_changes_referral_id_referrals"
        ),
        sa.ForeignKeyConstraint(
            ["changed_by"], ["users.id"], name="fk_referral_status_changes_changed_by_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_referral_status_changes"),
    )
    op.create_index("ix_referral_status_changes_referral_id", "referral_status_changes", ["referral_id"])

    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=False),
        _when("decided_at"),
        sa.Column("pathway", sa.String(length=40), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("lawful_bases", sa.JSON(), nullable=False),
        sa.Column("consent", sa.String(length=16), nullable=False),
        sa.Column("consent_reason", sa.Text(), nullable=True),
        sa.Column("review_date", sa.Date(), nullable=True),
        sa.Column("feedback", sa.Text(), nullable=True),
        sa.Column("feedback_given_on", sa.Date(), nullable=True),
        sa.CheckConstraint(f"pathway IN ({PATHWAYS})", name="ck_decisions_pathway"),
        sa.CheckConstraint(f"consent IN ({CONSENT})", name="ck_decisions_consent"),
        sa.ForeignKeyConstraint(["referral_id"], ["referrals.id"], name="fk_decisions_referral_id_referrals"),
        sa.ForeignKeyConstraint(["decided_by"], ["users.id"], name="fk_decisions_decided_by_users"),
        sa.PrimaryKeyConstraint("id", name="pk_decisions"),
    )
    op.create_index("ix_decisions_referral_id", "decisions", ["referral_id"])

    op.create_table(
        "decision_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner", sa.Text(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decisions.id"], name="fk_decision_actions_decision_id_decisions"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_decision_actions"),
    )
    op.create_index("ix_decision_actions_decision_id", "decision_actions", ["decision_id"])


def downgrade() -> None:
    for table in ("decision_actions", "decisions", "referral_status_changes", "referrals"):
        op.drop_table(table)
