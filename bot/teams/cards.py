"""Adaptive Cards for choices, and reading back what a pressed button submitted.

A button submits only its index and how many messages the conversation held when the card was sent
(`{"choice": 2, "seen": 14}`); the payload is looked up on the server from the bot's latest message, as the
web page does, so a forged submit can at most pick one of the options on offer. The count makes a button
on an old card fail clearly instead of answering the current question with an old option.
Schema 1.5 is the newest Teams renders on every client.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
CARD_VERSION = "1.5"
START_ACTION = "start"
START_TITLE = "Start a screening"
MAX_CHOICES = 100


@dataclass(frozen=True)
class ChoiceSubmit:
    choice: int
    seen: int


@dataclass(frozen=True)
class StartSubmit:
    pass


class BadSubmit(ValueError):
    """A submitted value that none of our cards would send."""


def card(text: str, actions: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """An attachment holding a card: `text` above one Action.Submit per (title, data)."""
    body = [{"type": "TextBlock", "text": text, "wrap": True}] if text else []
    return {
        "contentType": CARD_CONTENT_TYPE,
        "content": {
            "type": "AdaptiveCard",
            "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
            "version": CARD_VERSION,
            "body": body,
            "actions": [{"type": "Action.Submit", "title": title, "data": data} for title, data in actions],
        },
    }


def choice_card(text: str, buttons: list[dict[str, str]], seen: int) -> dict[str, Any]:
    return card(text, [(b["title"], {"choice": i, "seen": seen}) for i, b in enumerate(buttons)])


def start_card(text: str) -> dict[str, Any]:
    return card(text, [(START_TITLE, {"action": START_ACTION})])


def read_submit(value: Any) -> ChoiceSubmit | StartSubmit:
    if not isinstance(value, dict):
        raise BadSubmit("not one of our cards")
    if value.get("action") == START_ACTION:
        return StartSubmit()
    choice, seen = value.get("choice"), value.get("seen")
    if not (_count(choice) and _count(seen)) or choice >= MAX_CHOICES:
        raise BadSubmit("not one of our cards")
    return ChoiceSubmit(choice, seen)


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
