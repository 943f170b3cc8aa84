"""`bot run` refuses an engine that fell back to keeping conversations in memory.

Rasa only warns when it cannot import the tracker store named in endpoints.yml, then keeps every
conversation in memory: a restart would lose the engine's side of every transcript. The check looks for the
table our store creates when it starts.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import yaml

from bot.runtime.model import ENGINE_EXTENSIONS
from bot.runtime.processes import ServiceFailed, check_tracker_store
from bot.settings import REPO_ROOT


def test_an_engine_without_our_tracker_store_is_refused(tmp_path: Path) -> None:
    tracker_db = tmp_path / "tracker.db"
    with sqlite3.connect(tracker_db) as db:
        db.execute("CREATE TABLE events (id INTEGER PRIMARY KEY)")

    with pytest.raises(ServiceFailed, match="not using the checkpointed tracker store"):
        check_tracker_store(tracker_db, tmp_path / "engine.log")
    with pytest.raises(ServiceFailed):
        check_tracker_store(tmp_path / "never-created.db", tmp_path / "engine.log")

    with sqlite3.connect(tracker_db) as db:
        db.execute("CREATE TABLE tracker_checkpoints (sender_id TEXT PRIMARY KEY)")
    check_tracker_store(tracker_db, tmp_path / "engine.log")


def test_endpoints_name_a_tracker_store_that_is_on_the_engine_path() -> None:
    endpoints = yaml.safe_load((REPO_ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    module, _, name = endpoints["tracker_store"]["type"].rpartition(".")
    source = (ENGINE_EXTENSIONS / f"{module}.py").read_text(encoding="utf-8")
    assert f"class {name}(SQLTrackerStore)" in source
