"""A real engine tracker store for tests: a SQLite file with the `events` table as Rasa 3.6's SQLTrackerStore
creates it, filled with events shaped as the engine writes them."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

# Rasa 3.6 SQLTrackerStore.SQLEvent, as SQLAlchemy creates it on SQLite.
EVENTS_TABLE = """
CREATE TABLE events (
    id INTEGER NOT NULL,
    sender_id VARCHAR(255) NOT NULL,
    type_name VARCHAR(255) NOT NULL,
    timestamp FLOAT,
    intent_name VARCHAR(255),
    action_name VARCHAR(255),
    data TEXT,
    PRIMARY KEY (id)
)
"""


def make_tracker(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as connection:
        connection.execute(EVENTS_TABLE)
        connection.execute("CREATE INDEX ix_events_sender_id ON events (sender_id)")
    return path


def add_events(path: Path, sender: str, events: list[tuple[str, datetime, dict[str, Any]]]) -> None:
    """(type_name, when, data) rows; `data` is the event's own fields, as Rasa serialises them."""
    with sqlite3.connect(path) as connection:
        for type_name, when, data in events:
            stamp = when.timestamp()
            body = {"event": type_name, "timestamp": stamp, **data}
            intent = (
                (data.get("parse_data") or {}).get("intent", {}).get("name") if type_name == "user" else None
            )
            action = data.get("name") if type_name == "action" else None
            connection.execute(
                "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (sender, type_name, stamp, intent, action, json.dumps(body)),
            )


def user(text: str, typed: str | None = None, intent: str = "answer") -> dict[str, Any]:
    """A user event: the engine keeps its stripped text; the gateway's untouched text rides in metadata."""
    metadata = {"typed_text": typed} if typed is not None else {}
    return {
        "text": text,
        "parse_data": {"intent": {"name": intent, "confidence": 0.98}, "entities": [], "text": text},
        "input_channel": "rest",
        "message_id": "m" + str(abs(hash(text)) % 10**8),
        "metadata": metadata,
    }


def bot(text: str, buttons: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {
        "text": text,
        "data": {
            "elements": None,
            "quick_replies": None,
            "buttons": buttons,
            "attachment": None,
            "image": None,
            "custom": None,
        },
        "metadata": {"utter_action": "action_conduct"},
    }


def action(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "policy": "RulePolicy",
        "confidence": 1.0,
        "action_text": None,
        "hide_rule_turn": False,
    }
