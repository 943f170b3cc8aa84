"""The engine's second opinion on danger reaches the product's reading (issue #11), with the real engine
(trained model), action server and store.

The engine's pipeline ends with a binary danger model of ours (engine/extensions/danger_second_opinion.py):
every parse carries `danger_second_opinion`, a calibrated probability of danger, beside the intent. The
action server reads it from the tracker (actions/conduct.py) and the product's rule (bot.dialogue.reading
.danger_reason) flags what it is sure of when the word lists and the intent classifier do not.

OPINION_ONLY is an account of a threat that only the second opinion flags on the current model (no word list
names it; model 9a3d37c5: report_danger 0.99 but no cue, opinion 0.984). The test reads the engine's own
record and fails naming what moved if a retrain moves it (the rules alone may come to flag it, or the
opinion fall under the line): then find another through the engine's /model/parse.
"""

from __future__ import annotations

import json
from typing import Any

from bot.dialogue.danger_followups import load_followups
from bot.dialogue.reading import MIN_DANGER_OPINION, danger_reason
from bot.domain.protocol import DANGER_OPINION
from tests.e2e.conftest import Product
from tests.e2e.test_fallback_mid_form import FREE_TEXT, at_question, stored
from tests.e2e.test_thin_path import last_text

CHECK = load_followups().check
OPINION_ONLY = "he says the people he owes are coming to the house to sort him out"
ORDINARY = "he's been quieter since the summer and spends most evenings gaming with his cousin"


def latest_parse(product: Product, sender: str) -> dict[str, Any]:
    """The engine's parse of the latest user message, from its own record."""
    users = [json.loads(data) for kind, data in product.engine_events(sender) if kind == "user"]
    return users[-1]["parse_data"]


def test_an_account_only_the_second_opinion_flags_gets_the_danger_check(product: Product) -> None:
    sender = at_question(product, FREE_TEXT)
    replies = product.say(sender, OPINION_ONLY)

    parse = latest_parse(product, sender)
    intent = parse["intent"]
    rules_alone = danger_reason(OPINION_ONLY, intent["name"], intent["confidence"])
    assert not rules_alone.flags, f"the rules alone now flag it ({rules_alone}): pick another account"
    assert parse[DANGER_OPINION] >= MIN_DANGER_OPINION, f"the opinion fell to {parse[DANGER_OPINION]}"
    said = last_text(replies)
    assert "call 999" in said and CHECK.text.split(".")[0] in said, replies


def test_an_ordinary_account_carries_a_low_opinion_and_is_kept_as_given(product: Product) -> None:
    sender = at_question(product, FREE_TEXT)
    replies = product.say(sender, ORDINARY)

    assert 0.0 <= latest_parse(product, sender)[DANGER_OPINION] < MIN_DANGER_OPINION
    assert "call 999" not in last_text(replies)
    answer = stored(product, sender, FREE_TEXT)
    assert answer is not None and answer["text"] == ORDINARY
