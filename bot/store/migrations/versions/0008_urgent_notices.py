"""Urgent flags reach a lead at once, and a practitioner keeps many assessments (issue 9).

- `notifications`: the outbox of urgent notices (email, Teams), written with the flag, delivered by a worker.
- `urgent_responses`: what a lead did about an urgent flag, in their words.
- `urgent_flags.question_id`, `.wording`: the danger follow-up answers (what is happening, 999, where, who
  with) kept beside the report, verbatim.
- `users.email`: where urgent notices go.
- `assessments.linked_from_id`: a submitted assessment is read-only; a later addition is a new, linked one.
- `assessments.lead_unreached_at`: when no lead could be notified in time and the practitioner was told.
- `teams_identities.service_url`, `.conversation_ref`, `.bot_id`: where to message a linked person first.

Only adds: no existing row changes meaning.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("email", sa.String(254), nullable=True))
    with op.batch_alter_table("assessments") as batch:
        batch.add_column(sa.Column("linked_from_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("lead_unreached_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_foreign_key(
            "fk_assessments_linked_from_id_assessments", "assessments", ["linked_from_id"], ["id"]
        )
    with op.batch_alter_table("urgent_flags") as batch:
        batch.add_column(sa.Column("question_id", sa.String(100), nullable=True))
        batch.add_column(sa.Column("wording", sa.Text(), nullable=True))
    with op.batch_alter_table("teams_identities") as batch:
        batch.add_column(sa.Column("service_url", sa.String(2048), nullable=True))
        batch.add_column(sa.Column("conversation_ref", sa.String(1024), nullable=True))
        batch.add_column(sa.Column("bot_id", sa.String(1024), nullable=True))
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("assessment_id", sa.Integer(), sa.ForeignKey("assessments.id"), nullable=False),
        sa.Column("urgent_flag_id", sa.Integer(), sa.ForeignKey("urgent_flags.id"), nullable=True),
        sa.Column("recipient_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("purpose", sa.String(32), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("purpose IN ('urgent_flag', 'lead_unreached')", name="purpose"),
        sa.CheckConstraint("channel IN ('email', 'teams')", name="channel"),
        sa.CheckConstraint("status IN ('pending', 'sent', 'failed')", name="status"),
    )
    op.create_index("ix_notifications_assessment_id", "notifications", ["assessment_id"])
    op.create_index("ix_notifications_due", "notifications", ["status", "next_attempt_at"])
    op.create_table(
        "urgent_responses",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("assessment_id", sa.Integer(), sa.ForeignKey("assessments.id"), nullable=False),
        sa.Column("responded_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_urgent_responses_assessment_id", "urgent_responses", ["assessment_id"])


def downgrade() -> None:
    op.drop_index("ix_urgent_responses_assessment_id", table_name="urgent_responses")
    op.drop_table("urgent_responses")
    op.drop_index("ix_notifications_due", table_name="notifications")
    op.drop_index("ix_notifications_assessment_id", table_name="notifications")
    op.drop_table("notifications")
    with op.batch_alter_table("teams_identities") as batch:
        batch.drop_column("bot_id")
        batch.drop_column("conversation_ref")
        batch.drop_column("service_url")
    with op.batch_alter_table("urgent_flags") as batch:
        batch.drop_column("wording")
        batch.drop_column("question_id")
    with op.batch_alter_table("assessments") as batch:
        batch.drop_constraint("fk_assessments_linked_from_id_assessments", type_="foreignkey")
        batch.drop_column("lead_unreached_at")
        batch.drop_column("linked_from_id")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("email")
