"""What "Save it as my answer" keeps (issue #11): the exact words "which did you mean?" asked about, carried
in the engine's `asked_about` slot from the asking to the save, never worked out again; the slot is emptied
by any other message, and a conversation without it falls back to working the message out again."""

from __future__ import annotations

from datetime import date

import pytest

from bot.dialogue.clarify import SLOT, ask_which, asked_text, kept_answer, slot_after
from bot.dialogue.plan import Plan, Say
from bot.domain.positions import AtQuestion
from bot.questions import QuestionBank
from tests.dialogue.records import record

TODAY = date(2026, 12, 6)
FREE_TEXT = "concern_summary"
# Spacing, punctuation and a line break, all kept.
TYPED = "  I'll finish this off after my meeting...  ok?\n"


def test_asking_fills_the_slot_with_the_text_and_its_question() -> None:
    plan = ask_which("pause", TYPED)

    assert slot_after(None, FREE_TEXT, plan, done=True) == {SLOT: {"question": FREE_TEXT, "text": TYPED}}


def test_the_slot_gives_back_the_words_verbatim_at_the_same_question(bank: QuestionBank) -> None:
    value = slot_after(None, FREE_TEXT, ask_which("pause", TYPED), done=True)[SLOT]

    assert asked_text(bank, record(AtQuestion(FREE_TEXT)), value) == TYPED


def test_the_slot_keeps_words_that_nothing_would_ask_about_again(bank: QuestionBank) -> None:
    """The regression behind the revert: the decision to ask was made on evidence the engine's record no
    longer holds (the classifier's second guess), so working it out again finds nothing; the slot still
    has the words."""
    typed = "on a call right now, sorry"  # a pause cue, asked about only with "pause" second in the ranking
    value = {"question": FREE_TEXT, "text": typed}
    here = record(AtQuestion(FREE_TEXT))

    assert kept_answer(bank, here, typed, "nlu_fallback", 0.3) is None  # no ranking kept: not re-derived
    assert asked_text(bank, here, value) == typed


@pytest.mark.parametrize(
    "value",
    [
        None,  # an old conversation, or the slot emptied by another message
        {"question": "concern_timeline", "text": TYPED},  # asked at another question
        {"question": FREE_TEXT, "text": "   "},  # nothing to keep
        {"question": FREE_TEXT},
        {"question": FREE_TEXT, "text": 12},
        "I'll finish this off",  # not of our shape
    ],
)
def test_an_empty_foreign_or_odd_slot_gives_nothing(bank: QuestionBank, value: object) -> None:
    assert asked_text(bank, record(AtQuestion(FREE_TEXT)), value) is None


def test_not_at_a_question_the_slot_gives_nothing(bank: QuestionBank) -> None:
    assert asked_text(bank, record(None), {"question": FREE_TEXT, "text": TYPED}) is None


def test_any_other_message_empties_the_slot() -> None:
    value = {"question": FREE_TEXT, "text": TYPED}
    other = Plan(say=(Say(text="Why we ask..."),))

    assert slot_after(value, FREE_TEXT, other, done=True) == {SLOT: None}
    assert slot_after(None, FREE_TEXT, other, done=True) == {}  # already empty: no event


def test_a_plan_the_store_refused_leaves_the_slot_for_another_try() -> None:
    value = {"question": FREE_TEXT, "text": TYPED}

    assert slot_after(value, FREE_TEXT, Plan(say=(Say(text="saved"),)), done=False) == {}


def test_the_classic_fallback_still_keeps_a_first_guess_control(bank: QuestionBank) -> None:
    """No slot (a conversation from before it): the message before, read again, is still kept."""
    here = record(AtQuestion(FREE_TEXT))

    assert kept_answer(bank, here, TYPED, "pause", 0.93) == TYPED
    account = "He has been withdrawn since the summer and stopped seeing friends"
    assert kept_answer(bank, here, account, "stop", 0.7) is None
