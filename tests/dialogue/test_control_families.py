"""Control cue families (issue #11): each family recognises wordings no phrase list names, and leaves
accounts, answers and free text alone. Examples are written for this test, not taken from any set."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.dialogue.control_families import ControlFamiliesError, load_families, parse_families
from bot.dialogue.reading import read_message
from bot.questions.answers import parse_answer
from bot.questions.loader import load_bank
from bot.questions.phrases import REPLY_VERBS, match_key, negates_knowing

FAMILY_CASES = {
    "help": [
        "why on earth is that relevant",
        "what is the purpose here",
        "who gets to look at my answers",
        "is any of this confidential",
        "does it really matter",
        "what will you do with this answer",
        "could you say that a simpler way",
        "the wording of this is confusing",
        "what is meant by that",
        "i could use some help",
    ],
    "back": [
        "i need to amend what i entered",
        "can i update the answer i gave",
        "that was a typo earlier",
        "i clicked the wrong one before",
        "prev one",
        "it should be no not yes for the question before",
        "i typed the wrong year, it was 2019 not 2020",
    ],
    "skip": ["i'd prefer not to go into that", "move on please", "not comfortable with that one"],
    "pause": ["will carry on later", "got to go now", "bear with me", "on a break, back soon"],
    "stop": ["abandon the whole thing", "i give up on this", "terminate please"],
    "start_again": ["start over from scratch", "can i reset it", "back to the beginning please"],
}


@pytest.mark.parametrize(
    ("control", "text"), [(control, text) for control, texts in FAMILY_CASES.items() for text in texts]
)
def test_each_family_reads_wordings_no_phrase_names(control: str, text: str) -> None:
    assert load_families().control_for(text) == control


@pytest.mark.parametrize(
    ("text", "control"),
    [
        ("go back to the start", "start_again"),  # the start, not the question before
        ("can i come back to this later", "pause"),  # coming back is a pause, not "back"
        ("i need to go back and fix an answer", "back"),  # going, but back to an answer
        ("wait a sec, back one", "back"),  # a moment to go back, not a pause
        ("stop for now", "pause"),
        ("let me get back to this one", "pause"),  # getting back to it later, not the question before
    ],
)
def test_the_more_specific_family_wins(text: str, control: str) -> None:
    assert load_families().control_for(text) == control


@pytest.mark.parametrize(
    "text",
    [
        "he skipped school last week",  # an account: "skipped" about someone
        "she stopped going to football",
        "next month",  # at a date question, an answer
        "skip it, she is 14",  # a number: the answer may be in it
        "not sure",  # the answer "not sure", no control
        "yes",
        "a while back, around when the weather turned",  # "back" as a time: an answer at a date question
        "years back, before he moved school",
        "hang on a sec, stop",  # too close to call between a pause and a stop: not a family's to decide
        "hold on, stop",
        'he said "it\'s not fair" and left',  # reported speech: "its ... not ... said" is no correction
        "she said it was not her fault",
    ],
)
def test_accounts_and_answers_match_no_family(text: str) -> None:
    assert load_families().control_for(text) is None


def test_a_family_decides_only_where_the_question_parses_its_answer() -> None:
    text = "what difference does my answer make here"
    # At an options question the classifier's wrong guess loses to the family.
    assert read_message(text, "stop", 0.62, free_text=False, parsed_question=True).control == "help"
    # At free text nothing is taken on a family alone (bot.dialogue.clarify may ask about it).
    assert read_message(text, "stop", 0.3, free_text=True).kind == "answer"


def test_a_skip_with_a_promise_to_come_back_is_a_skip() -> None:
    text = "pass on this one, i can come back to it"  # a skip's words and a pause's (and "back")
    # Skipping now comes first: the pause's "come back to it" says when, not what to do now.
    assert load_families().control_for(text) == "skip"
    assert read_message(text, "pause", 0.7, free_text=False, parsed_question=True).control == "skip"


def test_a_sure_classifier_decides_between_two_families() -> None:
    text = "lost here, can i go back one"  # a help's words (confusion) and a back's
    assert {"back", "help"} <= set(load_families().matching(text))
    # The classifier sure of help: help, whatever the order of the families.
    assert read_message(text, "help", 0.97, free_text=False, parsed_question=True).control == "help"
    # Less sure, or guessing a control the message has no family of: the first family, as before.
    assert read_message(text, "help", 0.7, free_text=False, parsed_question=True).control == "back"
    assert read_message(text, "stop", 0.97, free_text=False, parsed_question=True).control == "back"
    # Starting again is the most specific family: no guess overrides it.
    text = "back to the very start please"
    assert read_message(text, "go_back", 0.97, free_text=False, parsed_question=True).control == "start_again"


def test_a_long_message_is_not_read_by_family() -> None:
    text = "why " + " ".join(["word"] * 25)
    assert read_message(text, None, 0.0, free_text=False, parsed_question=True).kind == "answer"


def test_danger_is_read_before_any_family() -> None:
    text = "stop, he has a knife and says he will use it now"
    assert read_message(text, "report_danger", 0.95, free_text=False, parsed_question=True).kind == "danger"


@pytest.mark.parametrize(
    "text",
    ["nobody has mentioned it, so no idea", "we havent been told yet", "i wouldnt know that one",
     "unclear from the file", "would need to check with the school"],
)  # fmt: skip
def test_not_sure_family_reads_a_negation_of_knowing(text: str) -> None:
    bank = load_bank()
    parsed = parse_answer(bank.question("discussed_with_lead"), text, today=dt.date(2025, 1, 6))
    assert negates_knowing(match_key(text)) and getattr(parsed, "status", None) == "unsure"


@pytest.mark.parametrize(
    "text",
    ["no idea what this is asking", "not sure, skip it", "dont know why you need this",
     "he knows everything about it", "dont know " + "word " * 20],
)  # fmt: skip
def test_not_sure_family_leaves_requests_and_accounts(text: str) -> None:
    assert not negates_knowing(match_key(text))


def test_the_file_is_checked() -> None:
    with pytest.raises(ControlFamiliesError):
        parse_families({"classes": {}, "families": {"dance": [["x"]]}, "about_someone_ok": []})
    with pytest.raises(ControlFamiliesError):
        parse_families({"classes": {"a": ["Not Matched"]}, "families": {}, "about_someone_ok": []})
    with pytest.raises(ControlFamiliesError):
        parse_families({"classes": {"a": ["x"]}, "families": {"help": [["!a"]]}, "about_someone_ok": []})


def test_the_verbs_of_replying_are_one_list_for_both_readers() -> None:
    families = load_families()
    assert {f"{verb} back" for verb in REPLY_VERBS} <= families.words_of("reply_back")
    # "phoned back" was the "not sure" reader's alone; now neither a going back nor a pause.
    assert families.control_for("still waiting for the school, they phoned back at three") is None


def test_the_words_about_someone_are_the_families_own() -> None:
    families = load_families()
    told_of = families.words_of("someone_told_of")
    assert {"he", "she", "they"} <= told_of
    assert not told_of & families.words_of("someone_named")
