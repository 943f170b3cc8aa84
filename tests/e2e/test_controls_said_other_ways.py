"""Every control said a second way, in another register, at a real question of every answer type (issue #11),
through the real engine (trained model), action server and store.

tests/e2e/test_controls_at_each_question_type.py types one phrasing per control; this file types a second,
in another register (text-speak, a reason attached, a typo), with the same checks on what the practitioner
sees and what the store holds. It adds what today's readings were built for:

- skip and "not sure" said several more ways at every question type (unsure_phrases.yaml, `skip_words` in
  control_cues.yaml): a skip stores only "skipped", "not sure" stores status "unsure" with the words typed;
  at a free-text question a skip is asked about, "not sure" is stored;
- a control-like message of 10 to 16 words at a free-text question: asked about, nothing stored
  (bot.dialogue.clarify, MAX_WORDS_WITH_CUE);
- a past time ("last week") at a single-choice question: an answer the question cannot read, never "go
  back": the question is asked again where it was, nothing stored (names_a_past_when);
- typed danger with no weapon named: the 999 advice and the check, whatever the question
  (bot.dialogue.reading, danger_reason).

The phrasings are our own, not the training examples. Every combination is checked even when one fails, and
the failure lists each with the bot's reply.
"""

from __future__ import annotations

import pytest

from bot.questions import AnswerType
from tests.e2e.conftest import Product
from tests.e2e.screening import bank
from tests.e2e.test_controls_at_each_question_type import (
    QUESTIONS,
    Conversation,
    Phrasings,
    Replies,
    Typed,
    assert_no_failures,
    clarify_checked,
    danger_checked,
    every_control,
    previous_question_id,
    said,
    skip_checked,
    unsure_checked,
)

# A second register: text-speak, a reason attached, a typo; at most twelve words, the most a control may
# have where the question offers options (bot.dialogue.reading, MAX_CONTROL_WORDS_AT_OPTIONS).
SECOND = Phrasings(
    help=Typed("help", "what do u need that info for?"),
    explain=Typed("explain differently", "say that in plainer english pls, i dont follow"),
    back=Typed("back", "wait i put the wrong thing on the last one, go back"),
    change=Typed("change an earlier answer", "made a mistake on the previous one, need to correct it"),
    skip=Typed("skip", "id rather not say tbh, next"),
    not_sure=Typed("not sure", "no idea to be honest"),
    pause=Typed("pause", "got a parent at reception, can we carry this on later?"),
    # "wrong form for what i need, im gonna stop here" was read as pause (0.49; go back 0.27, stop 0.17):
    # "stop here" is also how people say pause ("can we stop here and carry on later"), and both keep every
    # answer, so it is left to the note as ambiguous rather than tested as stop.
    stop=Typed("stop", "not needed after all, scrap the whole thing pls"),
    start_again=Typed("start again", "messed it all up, can i begin again from scratch"),
    # No weapon named: a threat in reported speech, with a time.
    danger=Typed(
        "danger", "his dads come to reception drunk, shouting that hell batter him when he gets home"
    ),
)
# Skip and "not sure" said more ways still, at every question type.
MORE_SKIPS = (
    Typed("skip", "ill pass on that one for now ta"),
    Typed("skip", "skipp it pls, dont know"),
)
MORE_UNSURE = (
    Typed("not sure", "cant say for certain"),
    Typed("not sure", "honestly havent got a clue"),
)
# Danger with no weapon named: the classifier and a cue, a harm ("jump him") or a threat with a time.
MORE_DANGER = (
    Typed("danger", "two lads are waiting outside to jump him when school finishes"),
    Typed("danger", "some older boys say theyre coming for him at the gates after school"),
)
# Control-like messages of 10 to 16 words at a free-text question: a reason given with the request.
LONG_AT_FREE_TEXT = (
    Typed("pause", "sorry I need to dash to a meeting, can we pick this up again tomorrow"),
    Typed("back", "hang on, I typed the wrong date in the last question, can I go back"),
    Typed("skip", "I'd prefer to leave this blank for the moment if thats ok, skip"),
)
# Times already past, typed at a single-choice question: never "go back".
PAST_TIMES = (
    Typed("a past time", "last week"),
    Typed("a past time", "a fortnight back"),
)


@pytest.mark.parametrize("answer_type", list(QUESTIONS), ids=lambda t: t.value)
def test_every_control_said_another_way_at_a_question_of_this_type(
    product: Product, answer_type: AnswerType
) -> None:
    assert_no_failures(every_control(product, answer_type, SECOND))


@pytest.mark.parametrize("answer_type", list(QUESTIONS), ids=lambda t: t.value)
def test_skip_not_sure_and_danger_said_more_ways_at_a_question_of_this_type(
    product: Product, answer_type: AnswerType
) -> None:
    """The further skips first, in a conversation of their own: once the question holds an answer, a skip is
    "Keep my answer" (it keeps what is there, which is right, but would not show the skip was read). At a
    free-text question a skip is asked about, elsewhere taken; "not sure" is stored everywhere."""
    me = Conversation(product, QUESTIONS[answer_type])
    for typed in MORE_SKIPS:
        if answer_type == AnswerType.FREE_TEXT:
            clarify_checked(me, typed)
        else:
            skip_checked(me, typed)
    for typed in MORE_UNSURE:
        unsure_checked(me, typed)
    for typed in MORE_DANGER:
        danger_checked(me, typed, kept=answer_type == AnswerType.FREE_TEXT)
    assert_no_failures(me)


def test_a_long_control_like_message_at_free_text_is_asked_about(product: Product) -> None:
    """Ten to sixteen words asking for a control, with a reason: asked about, nothing stored, not moved."""
    me = Conversation(product, QUESTIONS[AnswerType.FREE_TEXT])
    for typed in LONG_AT_FREE_TEXT:
        assert 10 <= len(typed.text.split()) <= 16
        clarify_checked(me, typed)
    assert_no_failures(me)


def test_a_past_time_at_a_single_choice_question_is_never_go_back(product: Product) -> None:
    """ "last week" at a question of options: it answers none of them, so the question is asked again, where
    it was; the conversation is not moved back and nothing is stored."""
    me = Conversation(product, QUESTIONS[AnswerType.SINGLE_CHOICE])
    here = me.question
    earlier = bank().question(previous_question_id(here.id))

    def asked_again_here(r: Replies) -> list[str]:
        went_back = [f"went back: the reply asks {earlier.text!r}"] if earlier.text in said_text(r) else []
        return said(r, here.text) + went_back + me.nothing_stored() + me.at(here.id)

    for typed in PAST_TIMES:
        me.check(typed, asked_again_here)
    assert_no_failures(me)


def said_text(replies: Replies) -> str:
    return "\n".join(r.get("text") or "" for r in replies)
