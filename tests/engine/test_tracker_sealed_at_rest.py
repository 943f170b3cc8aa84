"""The engine's tracker store seals what it writes (issue #31), run in the engine's own environment.

A conversation written before sealing (plain JSON) still reads and carries on; every event's data and every
checkpoint written with tracker keys is sealed, so the tracker file and its write-ahead log hold no typed
word; the store reads its own sealed rows back (latest session and full tracker); and the lead's transcript
opens them with the ring the app derives from its data keys."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

import pytest

from bot.crypto.key_ring import parse_key_ring
from bot.crypto.tracker_keys import tracker_keys_value
from bot.review.transcript import read_transcript
from bot.runtime.model import ENGINE_EXTENSIONS
from bot.settings import Settings
from tests.conftest import TEST_DATA_KEYS

pytestmark = pytest.mark.engine  # runs the engine environment's Python

CHECK = Path(__file__).with_name("engine_sealed_store_check.py")
SENTENCE = "Zebra-quartz 4417: her uncle keeps the van keys"


def run_check(tracker_db: Path) -> dict:
    python = Settings.from_env().engine_venv / "bin" / "python"
    result = subprocess.run(
        [str(python), str(CHECK), str(tracker_db), SENTENCE],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env={
            "PYTHONPATH": str(ENGINE_EXTENSIONS),
            "PYTHONWARNINGS": "ignore",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            "TF_CPP_MIN_LOG_LEVEL": "3",
            "BOT_TRACKER_KEYS": tracker_keys_value(parse_key_ring(TEST_DATA_KEYS)),
        },
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_tracker_is_sealed_at_rest_and_reads_back_verbatim(tmp_path: Path) -> None:
    tracker_db = tmp_path / "tracker.db"
    found = run_check(tracker_db)

    # The latest session is rebuilt from the checkpoint (the last message only); the full tracker has all.
    assert found["old_full"] == ["before", f"carried on: {SENTENCE}"]
    assert found["old_latest"][-1] == f"carried on: {SENTENCE}"
    assert found["new_full"] == [f"{SENTENCE} ({n})" for n in range(3)]
    assert found["new_latest"][-1] == f"{SENTENCE} (2)" and found["new_slot"] == f"{SENTENCE} (2)"

    for path in tmp_path.iterdir():
        assert SENTENCE.encode() not in path.read_bytes(), f"{path.name} holds the typed sentence"
    with sqlite3.connect(tracker_db) as db:
        events = db.execute("SELECT sender_id, data, type_name, intent_name FROM events").fetchall()
        checkpoints = db.execute("SELECT sender_id, events FROM tracker_checkpoints").fetchall()
    plain = [data for sender, data, _, _ in events if not data.startswith("enc1:")]
    assert len(plain) == 4 and all(sender == "c-old" for sender, data, _, _ in events if data in plain)
    assert all(events.startswith("enc1:") for _, events in checkpoints)
    # Rasa's query columns stay plain: it finds intents and event types without opening anything.
    assert {"user", "slot", "action"} <= {type_name for _, _, type_name, _ in events}
    assert "inform" in {intent for _, _, _, intent in events}

    said = [turn.text for turn in read_transcript(tracker_db, "c-new").turns if turn.speaker == "user"]
    assert said == [f"{SENTENCE} ({n})" for n in range(3)]
    old = [turn.text for turn in read_transcript(tracker_db, "c-old").turns if turn.speaker == "user"]
    assert old == ["before", f"carried on: {SENTENCE}"]
