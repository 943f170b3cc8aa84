"""An index shaped like the case list: one team's submitted cases in one mode, newest (or oldest) first.

Every lead and trainer list asks for `team_id = ? AND mode IN (?) AND status = 'submitted'` ordered by
`submitted_at, id` (bot/review/scope.py and queries.py). Without this index both databases fetch every
matching case, join it and sort it to show 25: with 10,000 assessments (bench/review_pages.py), 3,358
rows for the North lead. With it, PostgreSQL reads the first page straight off the index backwards and
stops after 25 rows (query execution 10.7 ms -> 0.7 ms; the whole list query 20 -> 6 ms), and SQLite, which
uses it for every list query and for the count, drops from 14 to 5 ms (first page), 27 to 11 ms (page 100)
and 18 to 7 ms (status filter). Only adds an index: no row is touched.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

NAME = "ix_assessments_case_list"


def upgrade() -> None:
    op.create_index(NAME, "assessments", ["team_id", "mode", "status", "submitted_at", "id"])


def downgrade() -> None:
    op.drop_index(NAME, table_name="assessments")
