"""A lead told when a referral is assigned to them (issue #12, "from screening to support").

- `notifications.purpose` admits `case_assigned` (the assigned lead's notice: the reference and a link only).

The lists are written out here, not read from bot.domain, so that this revision means the same whatever the
vocabularies say later (as revisions 0017 and 0018 do).

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

_PURPOSES_BEFORE = (
    "'urgent_flag', 'lead_unreached', 'submitted_for_review', 'decision_recorded', 'feedback_given', "
    "'review_due', 'full_assessment_requested'"
)
_PURPOSES_AFTER = f"{_PURPOSES_BEFORE}, 'case_assigned'"


def upgrade() -> None:
    _replace_check(_PURPOSES_AFTER)


def downgrade() -> None:
    op.execute("DELETE FROM notifications WHERE purpose = 'case_assigned'")
    _replace_check(_PURPOSES_BEFORE)


def _replace_check(purposes: str) -> None:
    # SQLite cannot alter a constraint, so batch mode copies the table (as revision 0018).
    with op.batch_alter_table("notifications", recreate="auto") as batch:
        batch.drop_constraint(op.f("ck_notifications_purpose"), type_="check")
        batch.create_check_constraint(op.f("ck_notifications_purpose"), f"purpose IN ({purposes})")
