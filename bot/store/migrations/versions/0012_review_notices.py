"""Review notices (issue #26): leads hear of a new submission, practitioners of a lead's decision or feedback.

Only widens the notifications.purpose check: no existing row changes meaning. The lists are written out here,
not read from bot.domain.vocabulary, so that this revision means the same whatever the vocabulary says later.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_BEFORE = "purpose IN ('urgent_flag', 'lead_unreached')"
_AFTER = (
    "purpose IN ('urgent_flag', 'lead_unreached', "
    "'submitted_for_review', 'decision_recorded', 'feedback_given')"
)


def upgrade() -> None:
    _replace_purpose_check(_AFTER)


def downgrade() -> None:
    # Refused by the database while any review notice is stored (the rows are the record of who was told):
    # remove those rows first, knowingly, if this revision must really be undone.
    _replace_purpose_check(_BEFORE)


def _replace_purpose_check(condition: str) -> None:
    """Replace the check on notifications.purpose, named by the models' naming convention (revision 0008).
    SQLite cannot alter a constraint, so batch mode copies the table; PostgreSQL alters it in place."""
    with op.batch_alter_table("notifications", recreate="auto") as batch:
        batch.drop_constraint(op.f("ck_notifications_purpose"), type_="check")
        batch.create_check_constraint(op.f("ck_notifications_purpose"), condition)
