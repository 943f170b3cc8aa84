"""The danger classifier is never taught that a place, religion, ideology or community is a sign of danger
(guardrail 4: ideology-neutral; issue #11). A `report_danger` training line that names one - "flying to
<a named country> next week and she's scared" - teaches the model that the name itself pulls towards the
alarm, so a practitioner's ordinary mention of that place or faith would be read as danger more often than
another's.
The words are the bank's own list of what the bot's wording must never name (neutral_wording.yaml); a danger
line says what is happening ("taken abroad to be married", "her dad's home country"), never where or who by
background. Found in today's training data after a writer added a line naming a country.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.questions.wording_checks import WORDING_PATH, Wording

DATA = Path(__file__).resolve().parents[2] / "data" / "nlu"


def _lines(intent: str) -> list[tuple[str, str]]:
    found = []
    for path in sorted(DATA.glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if block.get("intent") == intent:
                for line in str(block.get("examples", "")).splitlines():
                    text = line.strip().removeprefix("- ").strip()
                    if text and not text.startswith("#"):
                        found.append((path.name, text))
    return found


def _every_line() -> list[tuple[str, str]]:
    intents = {
        block["intent"]
        for path in sorted(DATA.glob("*.yml"))
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", [])
        if block.get("intent")
    }
    return [line for intent in sorted(intents) for line in _lines(intent)]


def test_no_training_line_of_any_intent_names_a_place_religion_ideology_or_community() -> None:
    """Not in ordinary answers either: a name taught as "inform" is still a feature the classifier weighs,
    so a message naming it would be read differently from the same message naming none."""
    wording = Wording.load(WORDING_PATH, [])
    assert wording is not None
    lines = _every_line()
    named = [(where, text, wording.names(text)) for where, text in lines if wording.names(text)]
    assert not named, "training lines that name a place, religion, ideology or community: " + "; ".join(
        f"{where}: {text!r} names {word!r}" for where, text, word in named
    )


def test_no_danger_training_line_names_a_place_religion_ideology_or_community() -> None:
    problems: list = []
    wording = Wording.load(WORDING_PATH, problems)
    assert wording is not None and not problems, problems
    lines = _lines("report_danger")
    assert len(lines) > 300  # the danger lines were found at all
    named = [(where, text, wording.names(text)) for where, text in lines if wording.names(text)]
    assert not named, "danger lines that name a place, religion, ideology or community: " + "; ".join(
        f"{where}: {text!r} names {word!r}" for where, text, word in named
    )


def test_the_check_would_find_one() -> None:
    wording = Wording.load(WORDING_PATH, [])
    assert wording is not None
    assert wording.names("she says the family are flying to pakistan next week") == "pakistan"
    assert wording.names("she's being taken abroad to be married") is None
