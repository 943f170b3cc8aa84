"""Messages held for their author after their sign-in session ended (issue 17).

- `held_messages`: text a practitioner sent after being signed out, encrypted (AES-GCM, key derived from the
  session secret, bound to the author and the assessment), kept until they sign in again and it is back in
  their text box, or until it expires. Never an answer.

Only adds: no existing row changes meaning. Written out in full (not importing the models) so that this
revision keeps meaning the same thing after the models move on.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "held_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("ciphertext", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_held_messages_user_id_users"),
        sa.ForeignKeyConstraint(
            ["assessment_id"], ["assessments.id"], name="fk_held_messages_assessment_id_assessments"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_held_messages"),
        sa.UniqueConstraint("user_id", "assessment_id", name="uq_held_messages_user_id"),
    )
    op.create_index("ix_held_messages_assessment_id", "held_messages", ["assessment_id"])
    op.create_index("ix_held_messages_expires_at", "held_messages", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_held_messages_expires_at", table_name="held_messages")
    op.drop_index("ix_held_messages_assessment_id", table_name="held_messages")
    op.drop_table("held_messages")
