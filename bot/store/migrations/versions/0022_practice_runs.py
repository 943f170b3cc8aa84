"""Practice runs start from a scenario (issue #13).

- `assessments.scenario_id`: the id of the rehearsal scenario a practice run was started from (a file name of
  bot/scenarios/library, without `.yaml`); null for a live run, and for a practice run started before
  scenarios (they keep their mode). A live run can never carry one (`ck_assessments_scenario_mode`).

The store does not read the library: which ids exist is the pages' check when a run starts, so a scenario
retired later leaves its runs readable.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # SQLite cannot add a constraint in place, so batch mode copies the table (as revisions 0012 and 0018).
    with op.batch_alter_table("assessments", recreate="auto") as batch:
        batch.add_column(sa.Column("scenario_id", sa.String(60), nullable=True))
        batch.create_check_constraint(
            op.f("ck_assessments_scenario_mode"), "scenario_id IS NULL OR mode = 'rehearsal'"
        )


def downgrade() -> None:
    with op.batch_alter_table("assessments", recreate="auto") as batch:
        batch.drop_constraint(op.f("ck_assessments_scenario_mode"), type_="check")
        batch.drop_column("scenario_id")
