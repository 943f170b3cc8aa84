"""A control said with a word of violence or self-harm goes to the typed-danger check (issue #11).

"end it now" may be a practitioner ending the chat or someone ending their life; the words cannot tell which,
and a missed danger costs more than a question. So such a message is read as danger whatever the classifier
says, and the bot asks "is anyone in immediate danger now?" (bot.store.danger_check), where a clear "no"
stands it down. A control in a hurry with no such word ("stop right now", "cancel asap") stays a control.
Pure plans over the shipped bank; the check itself, through the engine, is
tests/e2e/test_typed_danger_check.py.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.dialogue.control_shaped import is_control_shaped, is_control_with_harm
from bot.dialogue.danger_followups import load_followups
from bot.dialogue.plans import plan_control, plan_danger, read_reply
from bot.dialogue.reading import read_message
from bot.domain.positions import FollowingUpDanger
from bot.questions import QuestionBank
from tests.dialogue.records import record

TODAY = date(2025, 3, 13)
OPTIONS = frozenset({"yes", "no", "not sure"})
CHECK = load_followups().check

# Our own phrasings: a control's words with a word of violence or self-harm.
WITH_HARM = [
    "end it now",
    "just end it please",
    "kill this assessment now",
    "kill the chat right now",
    "im ending it now",
    "stop i want to die",
    "quit now, kill me",
    "cancel it all i want to end it all",
    "stop, it hurts",
    "shoot, end it now",  # the oath is an oath; "end it" is still said
]
# Controls in a hurry, with no such word: they stay controls.
PLAIN = ["stop right now", "cancel asap", "end this now please", "shoot, stop now", "abort it immediately"]
# The classifier's guesses on such messages, each of which has been seen for controls in a hurry.
CLASSIFIER = [("stop", 0.97), ("report_danger", 0.9), ("pause", 0.7), (None, 0.0)]


@pytest.mark.parametrize("text", WITH_HARM)
def test_a_control_with_a_word_of_harm_is_not_a_plain_control(text: str) -> None:
    assert is_control_with_harm(text)
    assert not is_control_shaped(text)


@pytest.mark.parametrize("text", PLAIN)
def test_a_plain_control_in_a_hurry_has_no_word_of_harm(text: str) -> None:
    assert is_control_shaped(text)
    assert not is_control_with_harm(text)


@pytest.mark.parametrize("text", WITH_HARM)
@pytest.mark.parametrize(("intent", "confidence"), CLASSIFIER)
@pytest.mark.parametrize("free_text", [True, False])
def test_it_is_read_as_danger_whatever_the_classifier_says(
    text: str, intent: str | None, confidence: float, free_text: bool
) -> None:
    assert read_message(text, intent, confidence, free_text=free_text).kind == "danger"


@pytest.mark.parametrize("text", PLAIN)
def test_a_plain_control_in_a_hurry_stays_a_control_even_if_the_classifier_says_danger(text: str) -> None:
    assert read_message(text, "stop", 0.95, choice_words=OPTIONS).control == "stop"
    assert read_message(text, "report_danger", 0.95, choice_words=OPTIONS).kind != "danger"


@pytest.mark.parametrize(
    "text",
    [
        "he said he'd end it if they moved him, stop",  # an account: left to the ordinary reading
        "the chat keeps freezing, it's killing me",  # no control in it
        "kill",  # a word of harm alone is no control: left to the classifier and the cues
    ],
)
def test_a_message_that_is_not_made_of_control_words_is_left_to_the_ordinary_reading(text: str) -> None:
    assert not is_control_with_harm(text)


# A choice question and a free-text question.
@pytest.mark.parametrize("here", ["practitioner_role", "concern_summary"])
def test_the_practitioner_is_asked_whether_anyone_is_in_danger(bank: QuestionBank, here: str) -> None:
    text = "kill this assessment now"
    at = record(here)

    assert read_reply(bank, at, text, "stop", 0.97, today=TODAY).kind == "danger"
    plan = plan_danger(bank, at, text, today=TODAY)

    assert plan.urgent_typed is True  # the leads' notices wait for the practitioner's answer
    assert plan.finish is None  # the conversation is not stopped
    assert plan.say[0].text == CHECK.guidance  # 999 first
    assert isinstance(plan.move_to, FollowingUpDanger) and plan.move_to.step_id == CHECK.id


def test_a_plain_stop_in_a_hurry_still_stops(bank: QuestionBank) -> None:
    at = record("practitioner_role")

    reading = read_reply(bank, at, "stop right now", "stop", 0.92, today=TODAY)

    assert (reading.kind, reading.control) == ("control", "stop")
    assert read_reply(bank, at, "stop right now", "report_danger", 0.92, today=TODAY).kind != "danger"
    assert plan_control(bank, at, "stop").finish == "stopped"
