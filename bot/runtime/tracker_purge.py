"""Deleting conversations from the engine's tracker store (issue #13: practice runs past their retention;
issue #31: the retention job's erasure).

The tracker store is Rasa's SQL store with our checkpoint table beside it (engine/extensions/
checkpoint_store.py): `events` holds every event of a conversation by sender id, `tracker_checkpoints` one
row per sender. Opened through bot.tracker.database, so the SQLite file and a PostgreSQL tracker
(BOT_TRACKER_URL) are erased alike; we never import Rasa.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import sqlalchemy as sa

from bot.tracker.database import TABLES, TrackerDatabase, begin_exclusive

CHUNK = 500  # sender ids per statement: under SQLite's limit on bound parameters


def delete_conversations(tracker_db: TrackerDatabase | Path, sender_ids: Iterable[str]) -> int:
    """Delete every row of these conversations in one transaction; returns how many events went. No SQLite
    file: nothing to delete."""
    tracker = TrackerDatabase.of(tracker_db)
    senders = list(sender_ids)
    if not senders or tracker is None or not tracker.present():
        return 0
    deleted = 0
    with tracker.writing() as connection:
        present = tracker.tables(connection)
        with begin_exclusive(tracker, connection):
            for table in TABLES:
                if table not in present:
                    continue
                for start in range(0, len(senders), CHUNK):
                    # S608: the table is one of TABLES, the values are bound parameters.
                    sql = f"DELETE FROM {table} WHERE sender_id IN :senders"  # noqa: S608
                    statement = sa.text(sql).bindparams(sa.bindparam("senders", expanding=True))
                    result = connection.execute(statement, {"senders": senders[start : start + CHUNK]})
                    deleted += result.rowcount if table == "events" else 0
    return deleted
