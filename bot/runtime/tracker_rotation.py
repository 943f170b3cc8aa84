"""`bot keys rotate` for the engine's tracker store (issue #31): every event's data and every checkpoint not
sealed under the newest tracker key is sealed again under it, in batches, as bot.store.key_rotation does for
the store.

The tracker keys are derived from the data keys (bot.crypto.tracker_keys), so adding a data key adds the
tracker key with the same id: after a restart the engine seals new rows with it, and this carries the old
rows over. Rows written before the engine sealed anything (plain JSON) are sealed too. Each batch is one
transaction the engine's own writes wait for (SQLite's `BEGIN IMMEDIATE`; on PostgreSQL the batch's rows
locked FOR UPDATE: bot.tracker.database), so a row is under its old key or the newest, never half-written,
and a checkpoint the engine rewrites meanwhile is never put back to its older value; an interrupted run is
simply run again: nothing records progress but the rows. The SQLite file and a PostgreSQL tracker
(BOT_TRACKER_URL, issue #34) alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bot.crypto.key_ring import PREFIX, KeyRing
from bot.crypto.tracker_keys import CHECKPOINT_TABLE, EVENTS_TABLE
from bot.tracker.database import TrackerDatabase, begin_exclusive

# (table, its row key, its sealed column): the two tables engine/extensions/checkpoint_store.py writes.
SEALED = ((EVENTS_TABLE, "id", "data"), (CHECKPOINT_TABLE, "sender_id", "events"))


@dataclass(frozen=True)
class TrackerRotation:
    resealed: dict[str, int]  # `table.column` -> rows sealed again
    batches: int
    finished: bool


def rotate_tracker(
    tracker_db: TrackerDatabase | Path, ring: KeyRing, batch: int = 500, max_batches: int | None = None
) -> TrackerRotation:
    """Seal again under `ring`'s newest key every tracker row under an older one or none; stop after
    `max_batches` batches if given (the tests' interruption). No tracker file: nothing to do."""
    if batch < 1:
        raise ValueError("the batch size must be at least 1")
    tracker = TrackerDatabase.of(tracker_db)
    resealed = {f"{table}.{col}": 0 for table, _, col in SEALED}
    batches = 0
    if tracker is None or not tracker.present():
        return TrackerRotation(resealed, 0, True)
    with tracker.writing() as connection:
        present = tracker.tables(connection)
        for table, key, col in SEALED:
            while table in present:
                if max_batches is not None and batches >= max_batches:
                    return TrackerRotation(resealed, batches, False)
                done = _reseal_batch(tracker, connection, ring, (table, key, col), batch)
                if not done:
                    break
                batches += 1
                resealed[f"{table}.{col}"] += done
    return TrackerRotation(resealed, batches, True)


def count_not_newest(tracker_db: TrackerDatabase | Path, ring: KeyRing) -> int:
    """Tracker rows not yet under the newest key (plain ones included)."""
    tracker = TrackerDatabase.of(tracker_db)
    if tracker is None or not tracker.present():
        return 0
    newest = _newest(ring)
    with tracker.reading() as connection:
        present = tracker.tables(connection)
        return sum(
            # S608: table and column come from SEALED, the prefix is a bound parameter.
            connection.execute(
                sa.text(f"SELECT count(*) FROM {table} WHERE substr({col}, 1, :n) != :newest"),  # noqa: S608
                {"n": len(newest), "newest": newest},
            ).scalar_one()
            for table, _, col in SEALED
            if table in present
        )


def _reseal_batch(
    tracker: TrackerDatabase, connection: Connection, ring: KeyRing, sealed: tuple[str, str, str], batch: int
) -> int:
    table, key, col = sealed
    newest = _newest(ring)
    with begin_exclusive(tracker, connection) as lock:
        # S608: table and columns come from SEALED; values are bound parameters.
        rows = connection.execute(
            sa.text(
                f"SELECT {key}, sender_id, {col} FROM {table} WHERE substr({col}, 1, :n) != :newest"  # noqa: S608
                f" ORDER BY {key} LIMIT :batch{lock}"
            ),
            {"n": len(newest), "newest": newest, "batch": batch},
        ).all()
        for row_key, sender_id, value in rows:
            plain = ring.open(value, table, sender_id) if value.startswith(PREFIX) else value
            connection.execute(
                sa.text(f"UPDATE {table} SET {col} = :value WHERE {key} = :key"),  # noqa: S608
                {"value": ring.seal(plain, table, sender_id), "key": row_key},
            )
    return len(rows)


def _newest(ring: KeyRing) -> str:
    return f"{PREFIX}{ring.newest_id}:"
