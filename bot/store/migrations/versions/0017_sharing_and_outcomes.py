"""What happened next on a case (issue #12): the information-sharing log, outcomes per pathway, case reviews,
and the "review due" notice purpose.

New tables only, plus a wider notifications.purpose check: no existing row changes meaning. The lists are
written out here, not read from bot.domain.vocabulary or bot/domain/pathways.yaml, so that this revision means
the same whatever the data says later (as revisions 0012 and 0015 do).

Revision ID: 0017
Revises: 0016 (written beside it, re-chained at merge: it touches none of 0016's tables)
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

PATHWAYS = (
    "'no_further_action', 'early_help', 's17_assessment', 's47_strategy', "
    "'prevent_referral', 'community_partner', 'open_case_update'"
)
OUTCOMES = (
    "'early_help_started', 'early_help_declined', 'early_help_ended', 'no_further_action', 'early_help', "
    "'child_in_need', 'child_protection', 'police_adopted_channel', 'police_not_adopted', "
    "'police_other_support', 'channel_support_offered', 'channel_support_accepted', "
    "'channel_support_declined', 'channel_support_ended', 'partner_support_started', "
    "'partner_support_ended', 'plan_updated'"
)
METHODS = "'email', 'secure_email', 'phone', 'meeting', 'referral_form', 'other'"
LAWFUL_BASES = "'art6_public_task', 'art9_sch1_para18', 'art10_sch1', 'consent'"
SOURCES = "'lead', 'outcome', 'decision'"
_PURPOSES_BEFORE = (
    "purpose IN ('urgent_flag', 'lead_unreached', "
    "'submitted_for_review', 'decision_recorded', 'feedback_given')"
)
_PURPOSES_AFTER = (
    "purpose IN ('urgent_flag', 'lead_unreached', "
    "'submitted_for_review', 'decision_recorded', 'feedback_given', 'review_due')"
)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"))


def upgrade() -> None:
    op.create_table(
        "sharing_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("shared_what", sa.Text(), nullable=False),
        sa.Column("recipient", sa.Text(), nullable=True),
        sa.Column("partner", sa.String(length=60), nullable=True),
        sa.Column("shared_on", sa.Date(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("lawful_basis", sa.String(length=32), nullable=False),
        sa.Column("decision_pathway_id", sa.Integer(), nullable=True),
        sa.Column("corrects_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(f"method IN ({METHODS})", name=op.f("ck_sharing_entries_method")),
        sa.CheckConstraint(f"lawful_basis IN ({LAWFUL_BASES})", name=op.f("ck_sharing_entries_lawful_basis")),
        sa.CheckConstraint(
            "recipient IS NOT NULL OR partner IS NOT NULL", name=op.f("ck_sharing_entries_with_whom")
        ),
        _fk("sharing_entries", "assessment_id", "assessments"),
        _fk("sharing_entries", "decision_pathway_id", "decision_pathways"),
        _fk("sharing_entries", "corrects_id", "sharing_entries"),
        _fk("sharing_entries", "recorded_by", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_entries")),
    )
    op.create_index(op.f("ix_sharing_entries_assessment_id"), "sharing_entries", ["assessment_id"])
    op.create_table(
        "pathway_outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("decision_pathway_id", sa.Integer(), nullable=False),
        sa.Column("pathway", sa.String(length=40), nullable=False),
        sa.Column("outcome", sa.String(length=40), nullable=False),
        sa.Column("outcome_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("corrects_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(f"pathway IN ({PATHWAYS})", name=op.f("ck_pathway_outcomes_pathway")),
        sa.CheckConstraint(f"outcome IN ({OUTCOMES})", name=op.f("ck_pathway_outcomes_outcome")),
        _fk("pathway_outcomes", "assessment_id", "assessments"),
        _fk("pathway_outcomes", "decision_pathway_id", "decision_pathways"),
        _fk("pathway_outcomes", "corrects_id", "pathway_outcomes"),
        _fk("pathway_outcomes", "recorded_by", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pathway_outcomes")),
    )
    op.create_index(op.f("ix_pathway_outcomes_assessment_id"), "pathway_outcomes", ["assessment_id"])
    op.create_table(
        "case_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("outcome_id", sa.Integer(), nullable=True),
        sa.Column("set_by", sa.Integer(), nullable=True),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("held_on", sa.Date(), nullable=True),
        sa.Column("held_by", sa.Integer(), nullable=True),
        sa.CheckConstraint(f"source IN ({SOURCES})", name=op.f("ck_case_reviews_source")),
        _fk("case_reviews", "assessment_id", "assessments"),
        _fk("case_reviews", "outcome_id", "pathway_outcomes"),
        _fk("case_reviews", "set_by", "users"),
        _fk("case_reviews", "held_by", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_reviews")),
        sa.UniqueConstraint("assessment_id", "due_on", name=op.f("uq_case_reviews_assessment_id")),
    )
    op.create_index(op.f("ix_case_reviews_assessment_id"), "case_reviews", ["assessment_id"])
    op.create_index(op.f("ix_case_reviews_due_on"), "case_reviews", ["due_on"])
    _replace_purpose_check(_PURPOSES_AFTER)


def downgrade() -> None:
    # Refused by the database while a "review due" notice is stored (the record of who was told): remove those
    # rows first, knowingly. The three tables go with what they hold.
    _replace_purpose_check(_PURPOSES_BEFORE)
    op.drop_index(op.f("ix_case_reviews_due_on"), table_name="case_reviews")
    op.drop_index(op.f("ix_case_reviews_assessment_id"), table_name="case_reviews")
    op.drop_table("case_reviews")
    op.drop_index(op.f("ix_pathway_outcomes_assessment_id"), table_name="pathway_outcomes")
    op.drop_table("pathway_outcomes")
    op.drop_index(op.f("ix_sharing_entries_assessment_id"), table_name="sharing_entries")
    op.drop_table("sharing_entries")


def _replace_purpose_check(condition: str) -> None:
    """As revision 0012: SQLite cannot alter a constraint, so batch mode copies the table."""
    with op.batch_alter_table("notifications", recreate="auto") as batch:
        batch.drop_constraint(op.f("ck_notifications_purpose"), type_="check")
        batch.create_check_constraint(op.f("ck_notifications_purpose"), condition)
