"""Answers and chat messages sealed at rest (issue #31, first slice of encryption at rest).

- `answers.text` and `chat_messages.text` now hold `enc1:<key id>:<base64>` (bot.crypto.key_ring), sealed
  with the newest key of the process's data key ring (bot.store.encrypted_text), bound to table and column.
  The column type stays Text: only the values change. Upgrade seals every row; downgrade opens every row
  again (it needs the key that sealed it). Rows are read and written in batches by id, so a large store is
  never held in memory at once; the whole upgrade is still one transaction with the rest of the migrations.

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

from bot.store.encrypted_text import key_ring_in_use

revision = "0034"
down_revision = "0033"
branch_labels = None
depends_on = None

SEALED = (("answers", "text"), ("chat_messages", "text"))
BATCH = 500


def upgrade() -> None:
    ring = key_ring_in_use()
    for table, column in SEALED:
        _rewrite(table, column, lambda value, t=table, c=column: ring.seal(value, t, c))


def downgrade() -> None:
    ring = key_ring_in_use()
    for table, column in SEALED:
        _rewrite(table, column, lambda value, t=table, c=column: ring.open(value, t, c))


def _rewrite(table_name: str, column: str, change: Callable[[str], str]) -> None:
    connection = op.get_bind()
    table = sa.table(table_name, sa.column("id", sa.Integer()), sa.column(column, sa.Text()))
    last = 0
    while True:
        rows = connection.execute(
            sa.select(table.c.id, table.c[column]).where(table.c.id > last).order_by(table.c.id).limit(BATCH)
        ).all()
        if not rows:
            return
        connection.execute(
            table.update()
            .where(table.c.id == sa.bindparam("row_id"))
            .values({column: sa.bindparam("value")}),
            [{"row_id": row_id, "value": change(value)} for row_id, value in rows],
        )
        last = rows[-1][0]
