"""A lead asks for the full assessment after a Request for Support (issue #12, "from screening to support").

- `assessments.full_requested_at`: when a lead last asked; null otherwise. The assessment goes back to in
  progress and keeps its submitted stage (`screening`) as history until the full one is submitted.
- `referrals.status` and `referral_status_changes.to_status` admit `awaiting_full` (waiting for the
  practitioner); the lead's message is the reason of that status change.
- `notifications.purpose` admits `full_assessment_requested` (the practitioner's notice).

The lists are written out here, not read from bot.domain, so that this revision means the same whatever the
vocabularies say later (as revisions 0012 and 0017 do).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

_STATUSES_BEFORE = "'submitted', 'in_review', 'decided', 'closed'"
_STATUSES_AFTER = "'submitted', 'in_review', 'decided', 'closed', 'awaiting_full'"
_PURPOSES_BEFORE = (
    "'urgent_flag', 'lead_unreached', 'submitted_for_review', 'decision_recorded', 'feedback_given', "
    "'review_due'"
)
_PURPOSES_AFTER = f"{_PURPOSES_BEFORE}, 'full_assessment_requested'"


# Revision 0003 named these checks through the naming convention a second time, so their names in every
# database are doubled; this revision gives them the models' own names, and downgrading gives the old back.
_OLD_NAMES = {
    ("referrals", "status"): "ck_referrals_ck_referrals_status",
    (
        "referral_status_changes",
        "to_status",
    ): "ck_referral_status_changes_ck_referral_status_changes_to_status",
}


def upgrade() -> None:
    with op.batch_alter_table("assessments", recreate="auto") as batch:
        batch.add_column(sa.Column("full_requested_at", sa.DateTime(timezone=True), nullable=True))
    _replace_checks(_STATUSES_AFTER, _PURPOSES_AFTER, upgrading=True)


def downgrade() -> None:
    # Cases waiting for the practitioner go back to the queue: the older revisions know no such status.
    op.execute("UPDATE referrals SET status = 'submitted' WHERE status = 'awaiting_full'")
    op.execute("DELETE FROM referral_status_changes WHERE to_status = 'awaiting_full'")
    op.execute("DELETE FROM notifications WHERE purpose = 'full_assessment_requested'")
    _replace_checks(_STATUSES_BEFORE, _PURPOSES_BEFORE, upgrading=False)
    with op.batch_alter_table("assessments", recreate="auto") as batch:
        batch.drop_column("full_requested_at")


def _replace_checks(statuses: str, purposes: str, *, upgrading: bool) -> None:
    """SQLite cannot alter a constraint, so batch mode copies each table (as revisions 0012 and 0017)."""
    for (table, column), old_name in _OLD_NAMES.items():
        new_name = f"ck_{table}_{column}"
        drop, create = (old_name, new_name) if upgrading else (new_name, old_name)
        with op.batch_alter_table(table, recreate="auto") as batch:
            batch.drop_constraint(op.f(drop), type_="check")
            batch.create_check_constraint(op.f(create), f"{column} IN ({statuses})")
    with op.batch_alter_table("notifications", recreate="auto") as batch:
        batch.drop_constraint(op.f("ck_notifications_purpose"), type_="check")
        batch.create_check_constraint(op.f("ck_notifications_purpose"), f"purpose IN ({purposes})")
