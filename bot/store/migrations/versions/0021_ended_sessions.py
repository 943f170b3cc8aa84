"""Signed-out sessions kept across restarts, and the browser drafts' key replaced at sign-out (issue #30).

- `ended_sessions`: the SHA-256 of a signed-out (or deactivated) session's id, when and why; rows older than
  the absolute session lifetime are deleted by the app.
- `browser_draft_keys`: each account's current salt for the key of its encrypted drafts in the browser.

New tables only. Written out in full (not importing the models) so that this revision keeps meaning the same
thing after the models move on.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ended_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("why", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_ended_sessions_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ended_sessions")),
        sa.UniqueConstraint("id_hash", name=op.f("uq_ended_sessions_id_hash")),
    )
    op.create_index(op.f("ix_ended_sessions_ended_at"), "ended_sessions", ["ended_at"])
    op.create_table(
        "browser_draft_keys",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("salt", sa.LargeBinary(), nullable=False),
        sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_browser_draft_keys_user_id_users")),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_browser_draft_keys")),
    )


def downgrade() -> None:
    op.drop_table("browser_draft_keys")
    op.drop_index(op.f("ix_ended_sessions_ended_at"), table_name="ended_sessions")
    op.drop_table("ended_sessions")
