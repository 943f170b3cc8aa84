"""The audit trail as a hash chain (issue #31).

- `audit_events.prev_hash`, `audit_events.hash`: each event carries the previous event's hash and its own
  (bot/domain/audit_chain.py). Existing events are chained here, in id order, from the genesis hash.

The trail is insert-only by triggers (revision 0004), so filling the new columns needs them out of the way
for the length of this transaction: disabled on PostgreSQL, dropped and made again on SQLite (whose batch
mode copies the table, and a copy has no triggers anyway). Nothing else can write meanwhile: the whole
upgrade is one transaction.

The hash format is imported rather than written out here, unlike the tables of other revisions: the chain
is only meaningful if it is computed exactly as `bot audit verify` checks it, and a change of format would
need a new revision re-chaining the trail.

Revision ID: 0025
Revises: 0023
Create Date: 2026-12-07
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from bot.domain.audit_chain import GENESIS, HASHED_FIELDS, event_hash
from bot.store.models import UTCDateTime

revision = "0025"
down_revision = "0023"
branch_labels = None
depends_on = None

BATCH = 1000
MESSAGE = "audit events are insert-only"  # as revision 0004
SQLITE_VERBS = ("UPDATE", "DELETE")

_events = sa.Table(
    "audit_events",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", UTCDateTime()),
    sa.Column("actor_kind", sa.String(16)),
    sa.Column("actor_id", sa.String(100)),
    sa.Column("action", sa.String(64)),
    sa.Column("conversation_id", sa.String(100)),
    sa.Column("assessment_id", sa.Integer),
    sa.Column("user_id", sa.Integer),
    sa.Column("detail", sa.JSON),
    sa.Column("prev_hash", sa.String(64)),
    sa.Column("hash", sa.String(64)),
)


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    _lift_guard(postgresql)
    with op.batch_alter_table("audit_events", recreate="auto") as batch:
        batch.add_column(sa.Column("prev_hash", sa.String(64), nullable=True))
        batch.add_column(sa.Column("hash", sa.String(64), nullable=True))
    _chain_existing_events()
    with op.batch_alter_table("audit_events", recreate="auto") as batch:
        batch.alter_column("prev_hash", existing_type=sa.String(64), nullable=False)
        batch.alter_column("hash", existing_type=sa.String(64), nullable=False)
    _restore_guard(postgresql)


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    _lift_guard(postgresql)
    with op.batch_alter_table("audit_events", recreate="auto") as batch:
        batch.drop_column("hash")
        batch.drop_column("prev_hash")
    _restore_guard(postgresql)


def _chain_existing_events() -> None:
    connection = op.get_bind()
    previous, last_id = GENESIS, 0
    while True:
        rows = connection.execute(
            sa.select(_events).where(_events.c.id > last_id).order_by(_events.c.id).limit(BATCH)
        ).all()
        if not rows:
            return
        updates: list[dict[str, Any]] = []
        for row in rows:
            fields = {name: getattr(row, name) for name in HASHED_FIELDS}
            digest = event_hash(previous, fields)
            updates.append({"row_id": row.id, "new_prev": previous, "new_hash": digest})
            previous, last_id = digest, row.id
        connection.execute(
            _events.update()
            .where(_events.c.id == sa.bindparam("row_id"))
            .values(prev_hash=sa.bindparam("new_prev"), hash=sa.bindparam("new_hash")),
            updates,
        )


def _lift_guard(postgresql: bool) -> None:
    if postgresql:
        op.execute("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change")
        return
    for verb in SQLITE_VERBS:
        op.execute(f"DROP TRIGGER audit_events_no_{verb.lower()}")


def _restore_guard(postgresql: bool) -> None:
    if postgresql:
        op.execute("ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_change")
        return
    for verb in SQLITE_VERBS:
        op.execute(
            f"CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )
