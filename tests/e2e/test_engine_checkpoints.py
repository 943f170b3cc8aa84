"""The engine's checkpointed tracker store (engine/extensions/checkpoint_store.py), with the real engine.

What it must guarantee: every event is still stored (the lead's transcript reads them), the tracker the
engine rebuilds from a checkpoint is the same state as one rebuilt from every event, its size does not
grow with the conversation, and an engine session still expires after 60 idle minutes, offering to carry
on where the practitioner was.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

from bot.crypto.tracker_keys import CHECKPOINT_TABLE, EVENTS_TABLE
from bot.runtime.model import engine_env
from bot.settings import REPO_ROOT
from tests.e2e.conftest import Product
from tests.e2e.test_thin_path import choice_buttons, last_text, start

CHECK = Path(__file__).with_name("engine_tracker_check.py")
HOUR_AND_A_BIT = 61 * 60


def walk(product: Product, sender: str, replies: list, messages: int) -> list:
    """Answer with the first choice (never "Yes" to danger) or a sentence, `messages` times."""
    for number in range(messages):
        choices = choice_buttons(replies)
        titles = [b["title"] for b in choices]
        if choices:
            pick = choices[titles.index("No")] if "No" in titles else choices[0]
            replies = product.press(sender, pick["payload"])
        else:
            replies = product.say(sender, f"Sentence number {number}: she was quiet in class again.")
    return replies


def events_stored(tracker_db: Path, sender: str) -> int:
    with sqlite3.connect(tracker_db) as db:
        return db.execute("SELECT count(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()[0]


def test_rebuilt_trackers_match_and_stay_small_while_every_event_is_kept(product: Product) -> None:
    sender, replies = start(product)
    walk(product, sender, replies, 12)
    early = events_stored(product.settings.engine_tracker_db, sender)
    walk(product, sender, replies, 30)
    late = events_stored(product.settings.engine_tracker_db, sender)
    assert late > early + 100, "every event of every turn is stored"

    result = subprocess.run(
        [
            str(product.settings.engine_venv / "bin" / "python"),
            str(CHECK),
            str(product.settings.engine_tracker_db),
            str(REPO_ROOT / "domain.yml"),
        ],
        env=engine_env(product.settings),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    mine = report[sender]
    assert mine["same_state"], mine
    assert mine["expiry_from_latest_message"], mine
    assert mine["events_in_session"] >= late - 5
    assert mine["events_replayed"] < 30, f"the tracker the engine rebuilds stays small: {mine}"
    assert all(entry["same_state"] for entry in report.values()), report


def test_an_engine_session_still_expires_after_an_hour_and_offers_to_carry_on(product: Product) -> None:
    sender, replies = start(product)
    replies = walk(product, sender, replies, 4)
    where = last_text(replies)
    _age_conversation(product, sender, HOUR_AND_A_BIT)

    welcomed = product.say(sender, "hello")

    text = last_text(welcomed)
    assert "Welcome back. You were on" in text, welcomed
    assert any(b["payload"] == "/resume" for r in welcomed for b in r.get("buttons") or [])
    carried_on = product.press(sender, "/resume")
    assert where.split("\n\n")[1] in last_text(carried_on), "the same question is asked again"


def _age_conversation(product: Product, sender: str, seconds: int) -> None:
    """Move every stored time of one conversation back, as if the practitioner had walked away (the rows are
    sealed at rest: opened and sealed again with the app's tracker ring)."""
    keys = product.tracker_keys
    with sqlite3.connect(product.settings.engine_tracker_db) as db:
        rows = db.execute("SELECT id, data FROM events WHERE sender_id = ?", (sender,)).fetchall()
        for row_id, data in rows:
            event = json.loads(keys.open(data, EVENTS_TABLE, sender))
            event["timestamp"] -= seconds
            db.execute(
                "UPDATE events SET data = ?, timestamp = ? WHERE id = ?",
                (keys.seal(json.dumps(event), EVENTS_TABLE, sender), event["timestamp"], row_id),
            )
        [(events,)] = db.execute("SELECT events FROM tracker_checkpoints WHERE sender_id = ?", (sender,))
        opened = json.loads(keys.open(events, CHECKPOINT_TABLE, sender))
        aged = json.dumps([dict(event, timestamp=event["timestamp"] - seconds) for event in opened])
        db.execute(
            "UPDATE tracker_checkpoints SET events = ? WHERE sender_id = ?",
            (keys.seal(aged, CHECKPOINT_TABLE, sender), sender),
        )
