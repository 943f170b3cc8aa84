"""Trackers built from the small JSON fixtures in data/, and what a dispatcher said, for assertions.

Every fixture is a real engine state (a user event with a timestamp, the active loop, the last action); a
test changes only who is talking and what they sent, so each test reads as the one message it is about.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

DATA = Path(__file__).parent / "data"


def tracker_from(
    fixture: str,
    sender_id: str,
    text: str | None = None,
    *,
    intent: str | None = None,
    confidence: float = 0.95,
    typed_text: str | None = None,
) -> Tracker:
    """Load data/<fixture>.json as `sender_id`. `text` is the message as the engine passes it on (stripped);
    `typed_text` is the gateway's untouched copy in the metadata."""
    state = state_from(fixture, sender_id, text, intent=intent, confidence=confidence, typed_text=typed_text)
    return Tracker.from_dict(state)


def state_from(
    fixture: str,
    sender_id: str,
    text: str | None = None,
    *,
    intent: str | None = None,
    confidence: float = 0.95,
    typed_text: str | None = None,
) -> dict[str, Any]:
    """The tracker of `tracker_from` as the engine sends it to the action server (JSON)."""
    state: dict[str, Any] = json.loads((DATA / f"{fixture}.json").read_text(encoding="utf-8"))
    state["sender_id"] = sender_id
    message = state["latest_message"]
    if text is not None:
        message["text"] = text
        for event in state["events"]:
            if event["event"] == "user":
                event["text"] = text
            elif event["event"] == "slot" and event["name"] == "answer":
                event["value"] = state["slots"]["answer"] = text
    if intent is not None:
        message["intent"] = {"name": intent, "confidence": confidence}
    if typed_text is not None:
        message["metadata"] = {"typed_text": typed_text}
    return state


def said(dispatcher: CollectingDispatcher) -> list[str]:
    """Each message the action sent: the domain response's name, or the literal text."""
    return [message["response"] or message["text"] for message in dispatcher.messages]
