"""A multiple choice question in Teams: one multi-select ChoiceSet and "Continue", read back as one answer."""

from __future__ import annotations

import pytest

from bot.teams import cards

BUTTONS = [
    {"title": "Online", "payload": "Online"},
    {"title": "Friends", "payload": "Friends"},
    {"title": "Not sure", "payload": "Not sure"},
    {"title": "Back", "payload": "/go_back"},
    {"title": "Someone is in danger now", "payload": "/report_danger"},
]


def test_the_options_are_a_multi_select_choice_set_with_continue() -> None:
    content = cards.choice_card("Choose all that apply", BUTTONS, 7, "A-23456C", many=(0, 1, 2))["content"]
    (choice_set,) = [item for item in content["body"] if item["type"] == "Input.ChoiceSet"]
    assert choice_set["isMultiSelect"] is True and choice_set["id"] == cards.CHOSEN_INPUT
    assert choice_set["choices"] == [
        {"title": "Online", "value": "0"},
        {"title": "Friends", "value": "1"},
        {"title": "Not sure", "value": "2"},
    ]
    titles = [action["title"] for action in content["actions"]]
    assert titles == ["Continue", "Back", cards.HOME_TITLE, cards.DANGER_TITLE]
    continue_, *others = content["actions"]
    assert continue_["data"] == {"action": "many", "seen": 7, "reference": "A-23456C"}
    assert all(action["associatedInputs"] == "none" for action in others)


def test_a_card_without_multiple_choice_is_unchanged() -> None:
    content = cards.choice_card("Pick one", BUTTONS, 7, "A-23456C")["content"]
    assert not [item for item in content["body"] if item["type"] == "Input.ChoiceSet"]
    assert [a["title"] for a in content["actions"]][:3] == ["Online", "Friends", "Not sure"]


def test_what_teams_submits_is_read_as_the_ticked_options() -> None:
    # Teams merges the input's comma-separated values into the action's data.
    submitted = {"action": "many", "seen": 7, "reference": "A-23456C", "chosen": "0,1"}
    assert cards.read_submit(submitted) == cards.ManySubmit((0, 1), 7, "A-23456C")
    assert cards.read_submit({"action": "many", "seen": 7}) == cards.ManySubmit((), 7, None)


@pytest.mark.parametrize("chosen", ["0,x", "-1", "100", 5, "0," * 300])
def test_a_forged_selection_is_refused(chosen: object) -> None:
    with pytest.raises(cards.BadSubmit):
        cards.read_submit({"action": "many", "seen": 7, "chosen": chosen})
