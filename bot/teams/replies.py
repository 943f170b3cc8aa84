"""The two shapes of a message the bot sends back in Teams: plain text, or one Adaptive Card."""

from __future__ import annotations

from typing import Any

Reply = dict[str, Any]


def text_reply(text: str) -> Reply:
    return {"text": text, "textFormat": "plain"}


def card_reply(attachment: dict[str, Any]) -> Reply:
    return {"attachments": [attachment]}
