"""Every control, typed the way a practitioner types it, at a real question of every answer type (issue #11),
through the real engine (trained model), action server and store.

The controls: help / why we ask, explain differently, back, change an earlier answer, skip, not sure, pause,
stop, start again and "someone is in danger". The phrasings are our own, colloquial and with a typo or two,
not the training examples. Each is checked for its effect on what the practitioner sees and on what the
store holds: a control stores nothing (a skip stores only "skipped", with no text), "not sure" stores
status "unsure" with the words as typed. At a free-text question a short control-like message is neither
taken nor stored: the bot asks which was meant (bot.dialogue.clarify); a danger report there is kept,
verbatim, as the answer. Typed danger anywhere brings the 999 advice and "is anyone in danger now?".

One conversation per question type: after each control the test puts the conversation back at the question
(the way an operator's tool would, through the store) and asks for it again with "Carry on where I left off".
Every combination is checked even when one fails, and the failure lists each one with the bot's reply, so a
single run shows everything that needs fixing in the understanding.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from bot.dialogue.clarify import ASKED, KEEP_LABEL
from bot.dialogue.danger_followups import load_followups
from bot.dialogue.start_again import START_AGAIN_NO
from bot.questions import AnswerType
from tests.builders import move
from tests.e2e.conftest import Product, _service
from tests.e2e.screening import bank
from tests.e2e.test_thin_path import current, last_text

Replies = list[dict[str, Any]]
CHECK = load_followups().check


@dataclass(frozen=True)
class Typed:
    control: str
    text: str


@dataclass(frozen=True)
class Phrasings:
    """One way of typing each control; tests/e2e/test_controls_said_other_ways.py brings a second register."""

    help: Typed
    explain: Typed
    back: Typed
    change: Typed
    skip: Typed
    not_sure: Typed
    pause: Typed
    stop: Typed
    start_again: Typed
    danger: Typed


# Our own phrasings: British, colloquial, a typo or two; each short enough to be read as a control.
FIRST = Phrasings(
    help=Typed("help", "whys that any of ur business?"),
    explain=Typed("explain differently", "sorry can u put that another way, im not following"),
    back=Typed("back", "oops, take me back a step"),
    change=Typed("change an earlier answer", "hang on, need to chnage my previous answer"),
    skip=Typed("skip", "can we skp this one"),
    not_sure=Typed("not sure", "hmm genuinely dunno tbh"),
    pause=Typed("pause", "bell has gone, can i pick this up tmrw"),
    stop=Typed("stop", "right im calling it a day on this one"),
    start_again=Typed("start again", "can i redo the whole lot from the top pls"),
    danger=Typed("danger", "theres a lad outside the gates with a knife right now"),
)

# One real question of each answer type, none of them required and none with a dialogue effect.
QUESTIONS = {
    AnswerType.YES_NO_UNSURE: "device_secrecy",
    AnswerType.SINGLE_CHOICE: "relationship_to_young_person",
    AnswerType.MULTIPLE_CHOICE: "other_needs",
    AnswerType.DATE: "first_noticed_date",
    AnswerType.AGE: "young_person_age",
    AnswerType.FREE_TEXT: "household",
}
# The controls the free-text clarification names, and how it names them (by `Typed.control`).
CLARIFIED = {
    "help": "ask why we need to know",
    "explain differently": "ask why we need to know",
    "back": "go back to the last question",
    "change an earlier answer": "go back to the last question",
    "skip": "skip this question",
    "pause": "pause and come back later",
    "stop": "stop",
    "start again": "start again",
}


def clarifiable(said_as: Phrasings) -> list[Typed]:
    """The phrasings a free-text question asks about (every control but "not sure" and danger)."""
    return [
        said_as.help, said_as.explain, said_as.back, said_as.change, said_as.skip, said_as.pause,
        said_as.stop, said_as.start_again,
    ]  # fmt: skip


class Conversation:
    """One conversation held at one question, and the failures seen there (each with the bot's reply)."""

    def __init__(self, product: Product, question_id: str) -> None:
        self.product = product
        self.question = bank().question(question_id)
        self.sender = product.open_conversation()
        product.press(self.sender, "/start_assessment")
        self.failures: list[str] = []
        self.last = "the start"
        self.before: dict[str, Any] | None = None

    def back_at_the_question(self, after: str) -> None:
        """Put the conversation at the question again (from wherever a control left it) and ask it; if the
        bot does not ask it, that is a failure of the control before (`after`), and the next check still
        runs."""
        move(_service(self.product.settings), self.sender, self.question.id)
        replies = self.product.press(self.sender, "/resume")
        if self.question.text not in last_text(replies):
            self.failures.append(
                f"{self.question.answer_type.value} / after {after}: 'Carry on where I left off' did not ask "
                f"the question again\n    bot said: {last_text(replies)!r}"
            )

    def export(self) -> dict[str, Any]:
        # In-process, not `bot assessments export` in a subprocess: this test reads the record after every
        # control (about 150 reads), and the CLI's own export is tested elsewhere (tests/cli, test_thin_path).
        return self.product.read_case(self.sender)

    def stored(self) -> dict[str, Any] | None:
        return current(self.export()).get(self.question.id)

    def check(self, typed: Typed, checks: Callable[[Replies], list[str]]) -> Replies:
        """Type the control at the question; record what `checks` finds wrong, with the reply."""
        self.back_at_the_question(after=self.last)
        self.last = typed.control
        self.before = self.stored()  # what an earlier step stored stays; this control must add nothing
        replies = self.product.say(self.sender, typed.text)
        problems = checks(replies)
        if problems:
            self.failures.append(
                f"{self.question.answer_type.value} / {typed.control}: typed {typed.text!r}: "
                f"{'; '.join(problems)}\n    bot said: {last_text(replies)!r}"
            )
        return replies

    # What a control must leave in the store: nothing at this question (unless an earlier step put it there).

    def nothing_stored(self) -> list[str]:
        before, after = self.before, self.stored()
        return [] if after == before else [f"the store changed for the question: {before!r} -> {after!r}"]

    def at(self, question_id: str | None) -> list[str]:
        where = self.export()["assessment"]["current_question_id"]
        return [] if where == question_id else [f"the conversation is at {where!r}, not {question_id!r}"]


def said(replies: Replies, *wanted: str) -> list[str]:
    text = last_text(replies)
    return [f"the reply does not say {w!r}" for w in wanted if w not in text]


def offers(replies: Replies, payload: str) -> list[str]:
    payloads = [b["payload"] for r in replies for b in r.get("buttons") or []]
    return [] if payload in payloads else [f"no button {payload!r} offered"]


def previous_question_id(question_id: str) -> str:
    """The question "back" reaches from `question_id` in a conversation with no answers yet."""
    ids = [q for s in bank().sections for q in s.question_ids]
    at = ids.index(question_id)
    for earlier in reversed(ids[:at]):
        if not bank().question(earlier).show_if:
            return earlier
    raise AssertionError(f"nothing before {question_id}")


def parsed_type_controls(me: Conversation, said_as: Phrasings) -> None:
    """Choices, yes / no, a date, an age: a control is taken as such; nothing typed is stored."""
    here = me.question
    for typed in (said_as.help, said_as.explain):
        me.check(typed, lambda r: said(r, f"Why we ask: {here.why}") + me.nothing_stored() + me.at(here.id))

    earlier = bank().question(previous_question_id(here.id))
    for typed in (said_as.back, said_as.change):
        me.check(typed, lambda r: said(r, earlier.text) + me.nothing_stored() + me.at(earlier.id))

    def paused(r: Replies) -> list[str]:
        return said(r, "Paused.") + offers(r, "/resume") + me.nothing_stored()

    me.check(said_as.pause, paused)

    def stopped(r: Replies) -> list[str]:
        return said(r, "Stopped.") + offers(r, "/resume") + me.nothing_stored()

    me.check(said_as.stop, stopped)

    def start_again_asked(r: Replies) -> list[str]:
        # With nothing answered yet there is nothing to confirm: the bot says so and asks the first question.
        nothing_to_clear = "There are no answers to clear yet" in last_text(r)
        asked = [] if nothing_to_clear else said(r, "Start again from the first question?")
        return asked + me.nothing_stored()

    me.check(said_as.start_again, start_again_asked)
    me.product.press(me.sender, START_AGAIN_NO)

    danger_checked(me, said_as.danger)
    skip_checked(me, said_as.skip)
    unsure_checked(me, said_as.not_sure)


def skip_checked(me: Conversation, typed: Typed) -> None:
    """A typed skip at a question the bot reads: "skipped" stored, no text; the next question asked."""
    following = me.check(typed, lambda r: skipped(me))
    me.failures.extend(moved_on(me, following, typed))


def unsure_checked(me: Conversation, typed: Typed) -> None:
    """A typed "not sure", at any question: status "unsure" with the words as typed, and the next question."""

    def unsure(r: Replies) -> list[str]:
        stored = me.stored() or {}
        got = (stored.get("status"), stored.get("text"))
        return [] if got == ("unsure", typed.text) else [f"stored {got!r}, not ('unsure', typed)"]

    following = me.check(typed, unsure)
    me.failures.extend(moved_on(me, following, typed))


def skipped(me: Conversation) -> list[str]:
    stored = me.stored() or {}
    got = (stored.get("status"), stored.get("text"))
    return [] if got == ("skipped", "") else [f"stored {got!r}, not ('skipped', '')"]


def moved_on(me: Conversation, replies: Replies, typed: Typed) -> list[str]:
    """After a skip or "not sure" the next question is asked."""
    where = me.export()["assessment"]["current_question_id"]
    if where == me.question.id or where is None:
        return [f"{me.question.answer_type.value} / {typed.control}: did not move on (at {where!r})"]
    following = bank().question(where)
    if following.text not in last_text(replies):
        return [f"{me.question.answer_type.value} / {typed.control}: next question not asked: {replies!r}"]
    return []


def danger_checked(me: Conversation, typed: Typed, *, kept: bool = False) -> None:
    """Typed danger: the 999 advice and "is anyone in danger now?"; "No" stands it down. At a free-text
    question the words are the answer, kept verbatim; elsewhere nothing is stored."""

    def checks(r: Replies) -> list[str]:
        urgent = me.export()["assessment"]["urgent"]
        problems = said(r, "call 999", CHECK.text.split(".")[0])
        problems += [] if urgent else ["the assessment is not flagged urgent while the check is open"]
        if kept:
            stored = me.stored() or {}
            got = (stored.get("status"), stored.get("text"))
            problems += [] if got == ("answered", typed.text) else [f"stored {got!r}, not the words as typed"]
        else:
            problems += me.nothing_stored()
        return problems

    me.check(typed, checks)
    if not me.export()["assessment"]["urgent"]:
        return  # no check to answer: "No" typed now would be read at the question (the miss is recorded)
    stood_down = me.product.press(me.sender, CHECK.no)
    if CHECK.stood_down.split(".")[0] not in last_text(stood_down):
        me.failures.append(f"danger: 'No' to the check did not stand it down: {last_text(stood_down)!r}")


def clarify_checked(me: Conversation, typed: Typed) -> None:
    """At a free-text question a short control-like message is asked about ("save it as your answer, or
    did you mean to ...?"), with both as buttons; nothing stored, nowhere moved. The practitioner then
    answers with the control, as they would, and the control works."""
    wording = CLARIFIED[typed.control]

    def clarified(r: Replies) -> list[str]:
        problems = said(r, f"{ASKED} {wording}?")
        titles = [b["title"] for reply in r for b in reply.get("buttons") or []]
        problems += [] if KEEP_LABEL in titles else [f"no {KEEP_LABEL!r} button"]
        return problems + me.nothing_stored() + me.at(me.question.id)

    replies = me.check(typed, clarified)
    meant = [b["payload"] for r in replies for b in r.get("buttons") or [] if b["title"] != KEEP_LABEL]
    if meant:
        me.product.press(me.sender, meant[0])


def free_text_controls(me: Conversation, said_as: Phrasings) -> None:
    """Free text: a control-like message is asked about, never taken or stored; not sure and danger stored."""
    for typed in clarifiable(said_as):
        clarify_checked(me, typed)
    unsure_checked(me, said_as.not_sure)
    danger_checked(me, said_as.danger, kept=True)


def every_control(product: Product, answer_type: AnswerType, said_as: Phrasings) -> Conversation:
    """A conversation at this type's question with every control typed `said_as` there; its failures."""
    me = Conversation(product, QUESTIONS[answer_type])
    assert me.question.answer_type == answer_type
    if answer_type == AnswerType.FREE_TEXT:
        free_text_controls(me, said_as)
    else:
        parsed_type_controls(me, said_as)
    return me


def assert_no_failures(me: Conversation) -> None:
    print("\n".join(me.failures))  # every failing combination, in the captured output as well
    assert not me.failures, "\n".join(me.failures)


@pytest.mark.parametrize("answer_type", list(QUESTIONS), ids=lambda t: t.value)
def test_every_control_at_a_question_of_this_type(product: Product, answer_type: AnswerType) -> None:
    assert_no_failures(every_control(product, answer_type, FIRST))
