"""Account changes an admin made, with the reason for each (issue #32).

- `account_changes`: one row per change to an account (role, team, deactivated, reactivated, password reset,
  Teams identity linked or unlinked): the account, the audit action, the admin's reason verbatim, who made it
  and when. The audit event of the change names the row.

Revision ID: 0030
Revises: 0028 (to be re-pointed at 0029 when that lands)
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "account_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("made_by", sa.String(length=100), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_account_changes_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_changes")),
    )
    op.create_index(op.f("ix_account_changes_user_id"), "account_changes", ["user_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_account_changes_user_id"), table_name="account_changes")
    op.drop_table("account_changes")
