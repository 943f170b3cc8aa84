"""One chronology per child, and assignment to a named lead (issue #12, "from screening to support").

- `referrals.case_record_id`: the council's case-record ID for the child, typed by a lead (its format is
  checked by the review, from data); null while the referral is not linked. Indexed: the chronology reads
  every referral of a team that shares one.
- `referrals.assigned_to_id`, `referrals.assigned_at`: the lead the referral is assigned to, and when.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Batch mode: SQLite cannot add a foreign key to an existing table (as revisions 0017 and 0018).
    with op.batch_alter_table("referrals", recreate="auto") as batch:
        batch.add_column(sa.Column("case_record_id", sa.String(64), nullable=True))
        batch.add_column(sa.Column("assigned_to_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_foreign_key(
            op.f("fk_referrals_assigned_to_id_users"), "users", ["assigned_to_id"], ["id"]
        )
        batch.create_index(op.f("ix_referrals_case_record_id"), ["case_record_id"])
        batch.create_index(op.f("ix_referrals_assigned_to_id"), ["assigned_to_id"])


def downgrade() -> None:
    with op.batch_alter_table("referrals", recreate="auto") as batch:
        batch.drop_index(op.f("ix_referrals_assigned_to_id"))
        batch.drop_index(op.f("ix_referrals_case_record_id"))
        batch.drop_constraint(op.f("fk_referrals_assigned_to_id_users"), type_="foreignkey")
        batch.drop_column("assigned_at")
        batch.drop_column("assigned_to_id")
        batch.drop_column("case_record_id")
