"""Teams identities: (tenant id, Azure AD object id) -> users.id, one account per Teams identity.

Written out in full (not importing the models) so that this revision keeps meaning the same thing after the
models move on.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "teams_identities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.String(length=36), nullable=False),
        sa.Column("aad_object_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_teams_identities_user_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_teams_identities"),
        sa.UniqueConstraint("tenant_id", "aad_object_id", name="uq_teams_identities_tenant_id"),
    )
    op.create_index("ix_teams_identities_user_id", "teams_identities", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_teams_identities_user_id", table_name="teams_identities")
    op.drop_table("teams_identities")
