"""Initial schema: teams, users, conversations, chat log, assessments, urgent flags, answers, audit trail.

Written out in full (not importing the models) so that this revision keeps meaning the same thing after the
models move on.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _when(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "teams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        _when("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_teams"),
        sa.UniqueConstraint("name", name="uq_teams_name"),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _when("created_at"),
        sa.CheckConstraint("role IN ('practitioner', 'lead', 'trainer', 'admin')", name="ck_users_role"),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name="fk_users_team_id_teams"),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("username", name="uq_users_username"),
    )
    op.create_index("ix_users_team_id", "users", ["team_id"])

    op.create_table(
        "conversations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.String(length=100), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=32), nullable=False),
        _when("created_at"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_conversations_user_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_conversations"),
        sa.UniqueConstraint("sender_id", name="uq_conversations_sender_id"),
    )
    op.create_index("ix_conversations_user_id", "conversations", ["user_id"])

    op.create_table(
        "chat_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("buttons", sa.JSON(), nullable=False),
        _when("created_at"),
        sa.CheckConstraint("direction IN ('in', 'out')", name="ck_chat_messages_direction"),
        sa.ForeignKeyConstraint(
            ["conversation_id"], ["conversations.id"], name="fk_chat_messages_conversation_id_conversations"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_chat_messages"),
    )
    op.create_index("ix_chat_messages_conversation_id", "chat_messages", ["conversation_id"])

    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("practitioner_id", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("bank_version", sa.String(length=100), nullable=False),
        sa.Column("current_question_id", sa.String(length=100), nullable=True),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        _when("urgent_first_at", nullable=True),
        _when("created_at"),
        _when("updated_at"),
        _when("submitted_at", nullable=True),
        sa.CheckConstraint("mode IN ('live', 'rehearsal')", name="ck_assessments_mode"),
        sa.CheckConstraint("status IN ('in_progress', 'submitted')", name="ck_assessments_status"),
        sa.ForeignKeyConstraint(
            ["conversation_id"], ["conversations.id"], name="fk_assessments_conversation_id_conversations"
        ),
        sa.ForeignKeyConstraint(
            ["practitioner_id"], ["users.id"], name="fk_assessments_practitioner_id_users"
        ),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name="fk_assessments_team_id_teams"),
        sa.PrimaryKeyConstraint("id", name="pk_assessments"),
        sa.UniqueConstraint("conversation_id", name="uq_assessments_conversation_id"),
        sa.UniqueConstraint("reference", name="uq_assessments_reference"),
    )
    op.create_index("ix_assessments_mode_status", "assessments", ["mode", "status"])
    op.create_index("ix_assessments_practitioner_id", "assessments", ["practitioner_id"])
    op.create_index("ix_assessments_team_id", "assessments", ["team_id"])

    op.create_table(
        "urgent_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        _when("flagged_at"),
        sa.ForeignKeyConstraint(
            ["assessment_id"], ["assessments.id"], name="fk_urgent_flags_assessment_id_assessments"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_urgent_flags"),
    )
    op.create_index("ix_urgent_flags_assessment_id", "urgent_flags", ["assessment_id"])

    op.create_table(
        "answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=100), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("wording", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("value", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("fact_date", sa.Date(), nullable=True),
        _when("recorded_at"),
        sa.CheckConstraint("status IN ('answered', 'skipped', 'unsure')", name="ck_answers_status"),
        sa.CheckConstraint("revision >= 1", name="ck_answers_revision_positive"),
        sa.ForeignKeyConstraint(
            ["assessment_id"], ["assessments.id"], name="fk_answers_assessment_id_assessments"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_answers"),
        sa.UniqueConstraint("assessment_id", "question_id", "revision", name="uq_answers_revision"),
    )
    op.create_index("ix_answers_assessment_id", "answers", ["assessment_id"])

    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        _when("at"),
        sa.Column("actor_kind", sa.String(length=16), nullable=False),
        sa.Column("actor_id", sa.String(length=100), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("conversation_id", sa.String(length=100), nullable=True),
        sa.Column("assessment_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.CheckConstraint("actor_kind IN ('user', 'service', 'cli')", name="ck_audit_events_actor_kind"),
        sa.PrimaryKeyConstraint("id", name="pk_audit_events"),
    )
    op.create_index("ix_audit_events_at", "audit_events", ["at"])
    op.create_index("ix_audit_events_assessment_id", "audit_events", ["assessment_id"])


def downgrade() -> None:
    for table in (
        "audit_events",
        "answers",
        "urgent_flags",
        "assessments",
        "chat_messages",
        "conversations",
        "users",
        "teams",
    ):
        op.drop_table(table)
