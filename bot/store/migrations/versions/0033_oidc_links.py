"""Organisation accounts linked by their subject, not a name that can change (issue #32).

- `oidc_links`: one row per (issuer, subject) an OpenID Connect provider names a person by, and the account
  it signs in as; unique on issuer and subject, and on account and issuer (one link per account per
  provider). Made at a person's first sign-in (matched once by the username claim) or by an admin.

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0033"
down_revision = "0032"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "oidc_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=512), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(issuer) > 0", name=op.f("ck_oidc_links_issuer_present")),
        sa.CheckConstraint("length(subject) > 0", name=op.f("ck_oidc_links_subject_present")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_oidc_links_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oidc_links")),
        sa.UniqueConstraint("issuer", "subject", name=op.f("uq_oidc_links_issuer_subject")),
        sa.UniqueConstraint("user_id", "issuer", name=op.f("uq_oidc_links_user_id_issuer")),
    )
    op.create_index(op.f("ix_oidc_links_user_id"), "oidc_links", ["user_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_oidc_links_user_id"), table_name="oidc_links")
    op.drop_table("oidc_links")
