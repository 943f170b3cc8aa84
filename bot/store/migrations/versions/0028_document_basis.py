"""What a document a lead sends was based on (issue #12): the full assessment, a Request for Support (the
screening only), or a Request for Support while the full assessment is awaited.

- `referral_documents.basis`: `full`, `screening` or `awaiting_full`; null for documents made before this
  revision (they were all made from a submitted case, and say nothing about their basis). A document is
  generated again each time it is read, so its basis is kept with it: one made while the full assessment was
  awaited says so, and carries the screening answers only, even after the full assessment comes in.

The list is written out here, not read from bot.store.document_models, so that this revision means the same
whatever the vocabulary says later (as revisions 0012, 0017 and 0018 do).

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-09
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None

BASES = "'full', 'screening', 'awaiting_full'"


def upgrade() -> None:
    # SQLite cannot add a check to a table in place: batch mode copies it (as revisions 0017 and 0018).
    with op.batch_alter_table("referral_documents", recreate="auto") as batch:
        batch.add_column(sa.Column("basis", sa.String(length=16), nullable=True))
        batch.create_check_constraint(
            op.f("ck_referral_documents_basis"), f"basis IS NULL OR basis IN ({BASES})"
        )


def downgrade() -> None:
    with op.batch_alter_table("referral_documents", recreate="auto") as batch:
        batch.drop_constraint(op.f("ck_referral_documents_basis"), type_="check")
        batch.drop_column("basis")
