""" "Later" means pause (issue #11): a practitioner who wants to think, or to come back to a question, is
paused, not stopped, sent back or moved on; and "stop" still means stop. Through the real engine (trained
model), action server and store, at a question with options, where a typed control is taken as one.

Each phrasing is checked against the engine's own reading first (from its record of the message), so a
retrain that moves one fails here naming it. "let me think on it" read as stop (0.82) before these
phrasings were trained as pause.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Product
from tests.e2e.test_fallback_mid_form import CHOICE, at_question, last_intent, stored
from tests.e2e.test_thin_path import last_text

LATER = [
    "let me think on it",
    "let me get back to this one",
    "can I come back to this",
    "I'll have a think and come back",
    "let me come back to that one later maybe",
]


def buttons(replies: list[dict]) -> list[str]:
    return [b["payload"] for r in replies for b in r.get("buttons") or []]


@pytest.mark.parametrize("typed", LATER)
def test_later_is_read_as_pause_and_pauses(product: Product, typed: str) -> None:
    sender = at_question(product, CHOICE)
    replies = product.say(sender, typed)
    assert last_intent(product, sender) == "pause"
    assert "Paused." in last_text(replies), replies
    assert "/resume" in buttons(replies), replies
    assert stored(product, sender, CHOICE) is None


def test_stop_still_stops(product: Product) -> None:
    sender = at_question(product, CHOICE)
    replies = product.say(sender, "stop")
    assert last_intent(product, sender) == "stop"
    assert "Stopped." in last_text(replies), replies
