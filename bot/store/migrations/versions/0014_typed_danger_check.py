"""Danger read in typed text is checked with the practitioner before the leads are interrupted (issue #26).

- `urgent_flags.checking_until`: for a danger report read in what the practitioner typed (not the button, not
  the danger question), the time until which its lead notices wait for the practitioner's "is anyone in
  danger now?". Null for every other flag, and for every row written before this revision.
- `notifications.status` may be `withdrawn`: a notice still waiting when the practitioner answered "no" is
  never sent, and the row stays as the record of it.
- `urgent_stand_downs.stood_down_by` may be null: a practitioner's own "no" in a conversation with no account
  behind it (the engine driven by hand) names nobody.

Adds and widens only: no existing row changes meaning. The status list is written out here, not read from the
models, so that this revision means the same whatever the models say later.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

_STATUS_BEFORE = "status IN ('pending', 'sent', 'failed')"
_STATUS_AFTER = "status IN ('pending', 'sent', 'failed', 'withdrawn')"


def upgrade() -> None:
    op.add_column("urgent_flags", sa.Column("checking_until", sa.DateTime(timezone=True), nullable=True))
    _replace_status_check(_STATUS_AFTER)
    # SQLite cannot alter a column, so batch mode copies the table; PostgreSQL alters it in place.
    with op.batch_alter_table("urgent_stand_downs", recreate="auto") as batch:
        batch.alter_column("stood_down_by", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    # Refused by the database while a practitioner's stand-down without an account, or a withdrawn notice,
    # is stored (they are the record): remove those rows first, knowingly, if this must really be undone.
    with op.batch_alter_table("urgent_stand_downs", recreate="auto") as batch:
        batch.alter_column("stood_down_by", existing_type=sa.Integer(), nullable=False)
    _replace_status_check(_STATUS_BEFORE)
    with op.batch_alter_table("urgent_flags", recreate="auto") as batch:
        batch.drop_column("checking_until")


def _replace_status_check(condition: str) -> None:
    """Replace the check on notifications.status, named by the models' naming convention (revision 0008)."""
    with op.batch_alter_table("notifications", recreate="auto") as batch:
        batch.drop_constraint(op.f("ck_notifications_status"), type_="check")
        batch.create_check_constraint(op.f("ck_notifications_status"), condition)
