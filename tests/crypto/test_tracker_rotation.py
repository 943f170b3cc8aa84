"""`bot keys rotate` for the engine's tracker (issue #31): after a new data key is added, every event and
checkpoint (plain ones from before sealing included) is sealed again under the newest tracker key, in batches;
a run stopped half way and run again finishes the job, and every row reads back byte for byte with the old
key gone from the ring, in the engine's own code."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from bot.crypto.key_ring import parse_key_ring
from bot.crypto.tracker_keys import CHECKPOINT_TABLE, EVENTS_TABLE, tracker_key_ring, tracker_keys_value
from bot.runtime.tracker_rotation import count_not_newest, rotate_tracker
from tests.engine.engine_tracker_seal import tracker_seal

OLD = "old1:" + "11" * 32
NEW = "new2:" + "22" * 32


def event(sender: str, number: int) -> str:
    return json.dumps({"event": "user", "text": f"{sender} said «{number}»\n  "})


def tracker(path: Path) -> dict[tuple[str, str], str]:
    """A tracker as the engine writes it: 3 conversations under the old key, one from before sealing."""
    engine = tracker_seal.parse_keys(tracker_keys_value(parse_key_ring(OLD)))
    expected = {}
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT, data TEXT)")
        db.execute(
            "CREATE TABLE tracker_checkpoints (sender_id TEXT PRIMARY KEY, last_event_id INT, events TEXT)"
        )
        for sender in ("c-1", "c-2", "c-3", "c-plain"):
            for number in range(5):
                plain = event(sender, number)
                data = plain if sender == "c-plain" else engine.seal(plain, EVENTS_TABLE, sender)
                row = db.execute(
                    "INSERT INTO events (sender_id, type_name, data) VALUES (?, 'user', ?)", (sender, data)
                )
                expected[(EVENTS_TABLE, str(row.lastrowid))] = plain
            checkpoint = json.dumps([json.loads(event(sender, 4))])
            sealed = checkpoint if sender == "c-plain" else engine.seal(checkpoint, CHECKPOINT_TABLE, sender)
            db.execute("INSERT INTO tracker_checkpoints VALUES (?, 5, ?)", (sender, sealed))
            expected[(CHECKPOINT_TABLE, sender)] = checkpoint
    return expected


def read_back(path: Path, ring_value: str) -> dict[tuple[str, str], str]:
    engine = tracker_seal.parse_keys(ring_value)
    with sqlite3.connect(path) as db:
        events = db.execute("SELECT id, sender_id, data FROM events").fetchall()
        checkpoints = db.execute("SELECT sender_id, events FROM tracker_checkpoints").fetchall()
    assert all(data.startswith("enc1:new2:") for _, _, data in events)
    assert all(data.startswith("enc1:new2:") for _, data in checkpoints)
    return {(EVENTS_TABLE, str(i)): engine.open(d, EVENTS_TABLE, s) for i, s, d in events} | {
        (CHECKPOINT_TABLE, s): engine.open(d, CHECKPOINT_TABLE, s) for s, d in checkpoints
    }


def test_an_interrupted_rotation_resumes_and_every_row_reads_back_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "tracker.db"
    expected = tracker(path)
    ring = tracker_key_ring(parse_key_ring(f"{OLD},{NEW}"))
    assert count_not_newest(path, ring) == 24

    stopped = rotate_tracker(path, ring, batch=4, max_batches=3)
    assert (stopped.finished, stopped.batches, sum(stopped.resealed.values())) == (False, 3, 12)
    assert count_not_newest(path, ring) == 12

    resumed = rotate_tracker(path, ring, batch=4)
    assert resumed.finished and sum(resumed.resealed.values()) == 12
    assert count_not_newest(path, ring) == 0
    assert rotate_tracker(path, ring).resealed == {"events.data": 0, "tracker_checkpoints.events": 0}

    only_new = tracker_keys_value(parse_key_ring(NEW))
    assert read_back(path, only_new) == expected


def test_a_row_under_a_key_not_in_the_ring_stops_the_batch_and_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "tracker.db"
    tracker(path)
    with sqlite3.connect(path) as db:
        before = db.execute("SELECT data FROM events ORDER BY id").fetchall()
    with pytest.raises(ValueError, match="'old1', which is not in the key ring"):
        rotate_tracker(path, tracker_key_ring(parse_key_ring(NEW)), batch=50)
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT data FROM events ORDER BY id").fetchall() == before
    assert rotate_tracker(tmp_path / "absent.db", tracker_key_ring(parse_key_ring(NEW))).finished
