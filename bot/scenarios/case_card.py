"""What a scenario's case card shows (issue #13): its setting's name and its paragraphs, from the scenario's
data. The web's card page, the card reopened beside a practice run, and the Teams case card all read it
here, so the trainee reads the same card on every channel."""

from __future__ import annotations

from bot.scenarios.model import Scenario

SETTING_NAMES = {
    "school": "School",
    "college": "College",
    "home_visit": "Home visit",
    "health": "Health",
    "youth_work": "Youth work",
}


def card_paragraphs(scenario: Scenario) -> list[str]:
    """The card's paragraphs (blank-line separated in the YAML), each on one line."""
    return [" ".join(p.split()) for p in scenario.card.split("\n\n") if p.strip()]
