"""`bot keys rotate` for the engine's tracker store (issue #31): every event's data and every checkpoint not
sealed under the newest tracker key is sealed again under it, in batches, as bot.store.key_rotation does for
the store.

The tracker keys are derived from the data keys (bot.crypto.tracker_keys), so adding a data key adds the
tracker key with the same id: after a restart the engine seals new rows with it, and this carries the old
rows over. Rows written before the engine sealed anything (plain JSON) are sealed too. Each batch is one
`BEGIN IMMEDIATE` transaction, so the engine's own writes wait for it and a row is under its old key or the
newest, never half-written; an interrupted run is simply run again: nothing records progress but the rows.
The embedded SQLite tracker only, read with the standard library like tracker_purge.py; a tracker on
PostgreSQL (BOT_TRACKER_URL) is not rotated by this yet.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from bot.crypto.key_ring import PREFIX, KeyRing
from bot.crypto.tracker_keys import CHECKPOINT_TABLE, EVENTS_TABLE

# (table, its row key, its sealed column): the two tables engine/extensions/checkpoint_store.py writes.
SEALED = ((EVENTS_TABLE, "id", "data"), (CHECKPOINT_TABLE, "sender_id", "events"))


@dataclass(frozen=True)
class TrackerRotation:
    resealed: dict[str, int]  # `table.column` -> rows sealed again
    batches: int
    finished: bool


def rotate_tracker(
    tracker_db: Path, ring: KeyRing, batch: int = 500, max_batches: int | None = None
) -> TrackerRotation:
    """Seal again under `ring`'s newest key every tracker row under an older one or none; stop after
    `max_batches` batches if given (the tests' interruption). No tracker file: nothing to do."""
    if batch < 1:
        raise ValueError("the batch size must be at least 1")
    resealed = {f"{table}.{col}": 0 for table, _, col in SEALED}
    batches = 0
    if not tracker_db.is_file():
        return TrackerRotation(resealed, 0, True)
    with closing(sqlite3.connect(tracker_db, timeout=30, isolation_level=None)) as connection:
        present = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        for table, key, col in SEALED:
            while table in present:
                if max_batches is not None and batches >= max_batches:
                    return TrackerRotation(resealed, batches, False)
                done = _reseal_batch(connection, ring, table, key, col, batch)
                if not done:
                    break
                batches += 1
                resealed[f"{table}.{col}"] += done
    return TrackerRotation(resealed, batches, True)


def count_not_newest(tracker_db: Path, ring: KeyRing) -> int:
    """Tracker rows not yet under the newest key (plain ones included)."""
    if not tracker_db.is_file():
        return 0
    with closing(sqlite3.connect(f"{tracker_db.resolve().as_uri()}?mode=ro", uri=True)) as connection:
        present = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        return sum(
            # S608: table and column come from SEALED, the prefix is a bound parameter.
            connection.execute(
                f"SELECT count(*) FROM {table} WHERE substr({col}, 1, ?) != ?",  # noqa: S608
                (len(_newest(ring)), _newest(ring)),
            ).fetchone()[0]
            for table, _, col in SEALED
            if table in present
        )


def _reseal_batch(
    connection: sqlite3.Connection, ring: KeyRing, table: str, key: str, col: str, batch: int
) -> int:
    newest = _newest(ring)
    connection.execute("BEGIN IMMEDIATE")
    try:
        # S608: table and columns come from SEALED; values are bound parameters.
        rows = connection.execute(
            f"SELECT {key}, sender_id, {col} FROM {table} WHERE substr({col}, 1, ?) != ? LIMIT ?",  # noqa: S608
            (len(newest), newest, batch),
        ).fetchall()
        for row_key, sender_id, value in rows:
            plain = ring.open(value, table, sender_id) if value.startswith(PREFIX) else value
            connection.execute(
                f"UPDATE {table} SET {col} = ? WHERE {key} = ?",  # noqa: S608
                (ring.seal(plain, table, sender_id), row_key),
            )
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return len(rows)


def _newest(ring: KeyRing) -> str:
    return f"{PREFIX}{ring.newest_id}:"
