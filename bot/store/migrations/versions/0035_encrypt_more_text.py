"""The rest of the free text people type, sealed at rest (issue #31, second slice of encryption at rest).

- Every column of `SEALED` below now holds `enc1:<key id>:<base64>` like 0034's: urgent messages, a lead's
  responses and stand-down reasons, reasons for status changes, decisions' rationale, consent reasons and
  feedback, pathways' wording and actions, evidence-tag notes, the sharing log and outcome notes, the
  identifying details (name, address, school, carers), trainers' feedback, practice moves', legal holds' and
  account changes' reasons, answers' `source`, and the case-record ID.
- The case-record ID is looked up by value (a lead's linked cases), so `referrals.case_record_lookup` keeps
  its keyed digest (HMAC-SHA256 under a key derived from the newest data key: bot.crypto.key_ring) with the
  index the ID had; the ID itself becomes Text, since its ciphertext is longer than 64 characters.
- Left plain, on purpose: the date of birth (a Date, compared as one), `answers.value` (the reports group
  closed answers by it; which rows are free text depends on the question bank, which a migration must not
  read) and question wordings (the bank's text, not anyone's words).

Upgrade seals every row in batches by id; downgrade opens them again (it needs the keys that sealed them).

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

from bot.store.encrypted_text import key_ring_in_use

revision = "0035"
down_revision = "0034"
branch_labels = None
depends_on = None

SEALED = (
    ("answers", "source"),
    ("urgent_flags", "message"),
    ("urgent_responses", "note"),
    ("urgent_stand_downs", "reason"),
    ("referrals", "case_record_id"),
    ("referral_status_changes", "reason"),
    ("decisions", "rationale"),
    ("decisions", "consent_reason"),
    ("decisions", "feedback"),
    ("decision_pathways", "rationale"),
    ("decision_pathways", "shared"),
    ("decision_pathways", "owner"),
    ("decision_actions", "description"),
    ("decision_actions", "owner"),
    ("evidence_tags", "note"),
    ("sharing_entries", "shared_what"),
    ("sharing_entries", "recipient"),
    ("pathway_outcomes", "note"),
    ("identifying_details", "child_name"),
    ("identifying_details", "address"),
    ("identifying_details", "school"),
    ("identifying_details", "carers"),
    ("practice_feedback", "text"),
    ("practice_moves", "reason"),
    ("legal_holds", "reason"),
    ("legal_holds", "lifted_reason"),
    ("account_changes", "reason"),
)
LOOKUP = ("referrals", "case_record_id", "case_record_lookup")
BATCH = 500


def upgrade() -> None:
    with op.batch_alter_table("referrals") as batch:
        batch.drop_index(op.f("ix_referrals_case_record_id"))
        batch.alter_column(
            "case_record_id", type_=sa.Text(), existing_type=sa.String(64), existing_nullable=True
        )
        batch.add_column(sa.Column("case_record_lookup", sa.String(64), nullable=True))
        batch.create_index(op.f("ix_referrals_case_record_lookup"), ["case_record_lookup"])
    ring = key_ring_in_use()
    for table, column in SEALED:
        lookup = LOOKUP[2] if (table, column) == LOOKUP[:2] else None
        _rewrite(
            table,
            column,
            lambda value, t=table, c=column: ring.seal(value, t, c),
            (lookup, lambda value, t=table, c=column: ring.digest(value, t, c)) if lookup else None,
        )


def downgrade() -> None:
    ring = key_ring_in_use()
    for table, column in SEALED:
        _rewrite(table, column, lambda value, t=table, c=column: ring.open(value, t, c), None)
    with op.batch_alter_table("referrals") as batch:
        batch.drop_index(op.f("ix_referrals_case_record_lookup"))
        batch.drop_column("case_record_lookup")
        batch.alter_column(
            "case_record_id", type_=sa.String(64), existing_type=sa.Text(), existing_nullable=True
        )
        batch.create_index(op.f("ix_referrals_case_record_id"), ["case_record_id"])


def _rewrite(
    table_name: str,
    column: str,
    change: Callable[[str], str],
    lookup: tuple[str, Callable[[str], str]] | None,
) -> None:
    """Change every non-null value of one column, in batches by id; with `lookup`, also write the digest of
    each plain value into that column (upgrade only: the values read are still plain)."""
    connection = op.get_bind()
    extra = [sa.column(lookup[0], sa.Text())] if lookup else []
    table = sa.table(table_name, sa.column("id", sa.Integer()), sa.column(column, sa.Text()), *extra)
    values = {column: sa.bindparam("value"), **({lookup[0]: sa.bindparam("digest")} if lookup else {})}
    last = 0
    while True:
        rows = connection.execute(
            sa.select(table.c.id, table.c[column])
            .where(table.c.id > last, table.c[column].is_not(None))
            .order_by(table.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        connection.execute(
            table.update().where(table.c.id == sa.bindparam("row_id")).values(values),
            [
                {"row_id": row_id, "value": change(value), **({"digest": lookup[1](value)} if lookup else {})}
                for row_id, value in rows
            ],
        )
        last = rows[-1][0]
