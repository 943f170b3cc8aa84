"""Let an answer revision be "withdrawn": what "start again" writes when the practitioner clears answers.

Only the CHECK on answers.status changes; no row is touched. SQLite cannot alter a constraint, so the table
is rebuilt in batch mode (a copy, inside the migration's transaction); PostgreSQL alters it in place.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

BEFORE = "status IN ('answered', 'skipped', 'unsure')"
AFTER = "status IN ('answered', 'skipped', 'unsure', 'withdrawn')"


def _replace_check(condition: str) -> None:
    # Named exactly as 0001 named it; the naming convention then gives the stored name, as it did there.
    with op.batch_alter_table("answers", recreate="auto") as batch:
        batch.drop_constraint("ck_answers_status", type_="check")
        batch.create_check_constraint("ck_answers_status", condition)


def upgrade() -> None:
    _replace_check(AFTER)


def downgrade() -> None:
    # Refuses (the CHECK fails) while withdrawn revisions exist, rather than silently losing them.
    _replace_check(BEFORE)
