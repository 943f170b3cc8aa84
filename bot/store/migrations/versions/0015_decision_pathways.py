"""A decision may combine pathways (issue #12): one `decision_pathways` row per pathway chosen, each with its
own rationale (verbatim), what is shared, an owner, and for community partner support the partner's key.

Every existing decision's single pathway and rationale is copied into the new table (position 1; shared and
owner were not asked then, so they stay null). `decisions.pathway` and `decisions.rationale` stay, readable,
for the rows written before this revision; they become nullable and new decisions leave them empty.

The pathway list is written out here, not read from bot/domain/pathways.yaml, so that this revision means the
same whatever the data file says later (as revision 0003 did for the first list).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

PATHWAYS = (
    "'no_further_action', 'early_help', 's17_assessment', 's47_strategy', "
    "'prevent_referral', 'community_partner', 'open_case_update'"
)


def upgrade() -> None:
    op.create_table(
        "decision_pathways",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("pathway", sa.String(length=40), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("shared", sa.Text(), nullable=True),
        sa.Column("owner", sa.Text(), nullable=True),
        sa.Column("partner", sa.String(length=60), nullable=True),
        sa.CheckConstraint(f"pathway IN ({PATHWAYS})", name=op.f("ck_decision_pathways_pathway")),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decisions.id"], name=op.f("fk_decision_pathways_decision_id_decisions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_pathways")),
        sa.UniqueConstraint("decision_id", "pathway", name=op.f("uq_decision_pathways_decision_id")),
    )
    op.create_index(op.f("ix_decision_pathways_decision_id"), "decision_pathways", ["decision_id"])
    op.execute(
        "INSERT INTO decision_pathways (decision_id, position, pathway, rationale) "
        "SELECT id, 1, pathway, rationale FROM decisions WHERE pathway IS NOT NULL"
    )
    # SQLite cannot alter a column, so batch mode copies the table; PostgreSQL alters it in place.
    with op.batch_alter_table("decisions", recreate="auto") as batch:
        batch.alter_column("pathway", existing_type=sa.String(length=40), nullable=True)
        batch.alter_column("rationale", existing_type=sa.Text(), nullable=True)


def downgrade() -> None:
    # Each decision keeps its first pathway. Refused by the database (the old check) while a decision's first
    # pathway is community partner support: remove or change those rows first, knowingly.
    op.execute(
        "UPDATE decisions SET pathway = (SELECT p.pathway FROM decision_pathways p "
        "WHERE p.decision_id = decisions.id ORDER BY p.position LIMIT 1), "
        "rationale = (SELECT p.rationale FROM decision_pathways p "
        "WHERE p.decision_id = decisions.id ORDER BY p.position LIMIT 1) WHERE pathway IS NULL"
    )
    with op.batch_alter_table("decisions", recreate="auto") as batch:
        batch.alter_column("pathway", existing_type=sa.String(length=40), nullable=False)
        batch.alter_column("rationale", existing_type=sa.Text(), nullable=False)
    op.drop_index(op.f("ix_decision_pathways_decision_id"), table_name="decision_pathways")
    op.drop_table("decision_pathways")
