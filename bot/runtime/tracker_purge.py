"""Deleting conversations from the engine's tracker store (issue #13: practice runs past their retention).

The tracker store is Rasa's SQL store with our checkpoint table beside it (engine/extensions/
checkpoint_store.py): `events` holds every event of a conversation by sender id, `tracker_checkpoints` one
row per sender. Read and written here with the standard library, as the transcript reader does, since we
never import Rasa.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path

TABLES = ("events", "tracker_checkpoints")


def delete_conversations(tracker_db: Path, sender_ids: Iterable[str]) -> int:
    """Delete every row of these conversations; returns how many events went. No file: nothing to delete."""
    senders = list(sender_ids)
    if not senders or not tracker_db.exists():
        return 0
    deleted = 0
    with closing(sqlite3.connect(tracker_db, timeout=30)) as connection, connection:
        present = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        for table in TABLES:
            if table not in present:
                continue
            for start in range(0, len(senders), 500):  # SQLite's limit on bound parameters
                chunk = senders[start : start + 500]
                marks = ",".join("?" * len(chunk))
                # S608: the table is one of TABLES, the values are bound parameters.
                sql = f"DELETE FROM {table} WHERE sender_id IN ({marks})"  # noqa: S608
                cursor = connection.execute(sql, chunk)
                deleted += cursor.rowcount if table == "events" else 0
    return deleted
