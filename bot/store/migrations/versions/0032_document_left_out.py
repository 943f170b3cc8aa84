"""Fields a lead leaves out of one document (issue #12), without a new version of the case's details.

- `referral_documents.left_out`: a JSON list of identifying-details field ids (`child_name`, `date_of_birth`,
  `address`, `school`, `carers`) that this document leaves out; the review service checks each id before it is
  written. Documents made before this revision left nothing out, so the column is `[]` for them.

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Batch mode, as revision 0028: SQLite copies the table where it cannot change it in place.
    with op.batch_alter_table("referral_documents", recreate="auto") as batch:
        batch.add_column(sa.Column("left_out", sa.JSON(), server_default=sa.text("'[]'"), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("referral_documents", recreate="auto") as batch:
        batch.drop_column("left_out")
