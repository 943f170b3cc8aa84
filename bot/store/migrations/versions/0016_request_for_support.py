"""A Request for Support: the stage an assessment was submitted at (issue #12, "from screening to support").

- `assessments.submitted_stage`: `screening` (the screening answers sent on their own as a Request for
  Support) or `full` (the whole assessment). Null while in progress. Every row submitted before this
  revision went through the whole assessment, so it gets `full`.

The stage list is written out here, not read from the models, so that this revision means the same whatever
the models say later.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

_CHECK = "submitted_stage IS NULL OR submitted_stage IN ('screening', 'full')"


def upgrade() -> None:
    with op.batch_alter_table("assessments", recreate="auto") as batch:
        batch.add_column(sa.Column("submitted_stage", sa.String(16), nullable=True))
        batch.create_check_constraint(op.f("ck_assessments_submitted_stage"), _CHECK)
    op.execute("UPDATE assessments SET submitted_stage = 'full' WHERE status = 'submitted'")


def downgrade() -> None:
    with op.batch_alter_table("assessments", recreate="auto") as batch:
        batch.drop_constraint(op.f("ck_assessments_submitted_stage"), type_="check")
        batch.drop_column("submitted_stage")
