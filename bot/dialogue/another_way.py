"""A question put another way, after two replies in a row that it could not read (issue #11).

The first reply a question cannot read gets the parser's own short refusal ("I couldn't read that as a
date..."). Saying the same thing again is no help to someone it did not help the first time, so from the
second reply in a row the question is explained another way instead: in the bank's `another_way` words where
the wording is the likely problem, with what a reply of its kind may look like (a numbered list of the
options, examples of dates or ages), and with the ways out offered as buttons: skip (where the question may
be skipped), not sure (where it is allowed) and why we ask.

The count of replies in a row is kept in the engine's `misfits` slot (domain.yml), so that it survives a
restart of the action server or of the engine: it is part of the conversation's state, not of the store's
record (nothing about the assessment changes) and not of one process's memory. It is about one question: it
restarts when the question is answered or skipped, or anything else is stored or moved; a control that
changes nothing in between ("why are you asking?") leaves it as it was. What the practitioner typed is
never dropped: every message stays in the engine's events, which are the lead's transcript.
"""

from __future__ import annotations

from typing import Any

from bot.dialogue.plan import Button, Say
from bot.domain.protocol import Payload
from bot.questions import AnswerType, Question
from bot.questions.model import UNSURE

SLOT = "misfits"
# The reply in a row, counting from 1, from which the question is put another way.
ANOTHER_WAY_FROM = 2

WHY_WE_ASK = Button("Why we ask", Payload.HELP)
# Examples of what is read, by the question's date_range: each is one the date reader accepts.
DATE_EXAMPLES = {
    "past": ("12 March", "last Tuesday", "about 3 weeks ago", "March 2024", "03/04/2024"),
    "future": ("12 March", "next Tuesday", "in 3 weeks", "10/12/2026"),
    "any": ("12 March", "last Tuesday", "about 3 weeks ago", "next Tuesday"),
}
DATE_RANGE_HINT = {
    "past": "It should be a day up to today.",
    "future": "It should be today or a day still to come.",
    "any": "",
}
AGE_EXAMPLES = ("14", "fourteen", "about 15")


def misfits_at(slot_value: object, question_id: str) -> int:
    """How many replies in a row the open question could not read, from the slot's value: 0 when the slot is
    empty, about another question, or not of our shape (nothing here can be trusted to be a number)."""
    if not isinstance(slot_value, dict) or slot_value.get("question") != question_id:
        return 0
    count = slot_value.get("count")
    return count if isinstance(count, int) and not isinstance(count, bool) and count > 0 else 0


def slot_after(slot_value: object, question_id: str | None, *, misfit: bool, changed: bool) -> dict[str, Any]:
    """The slot events' values after one message: counted up for another reply the open question could not
    read, cleared once anything was stored or moved, and untouched otherwise (a control that changed
    nothing). Empty when the slot stays as it is."""
    if misfit and question_id is not None:
        return {SLOT: {"question": question_id, "count": misfits_at(slot_value, question_id) + 1}}
    if changed and slot_value is not None:
        return {SLOT: None}
    return {}


def put_another_way(question: Question, *, kept_answer: bool = False) -> Say:
    """The question explained another way, with the ways out as buttons. `kept_answer`: the question was
    answered before (it is being revisited), so "skip" keeps that answer and says so."""
    parts = [
        "I still couldn't read that as an answer, so here is the question another way.",
        question.another_way or question.text,
        how_to_reply(question),
        "Everything you type stays in this conversation's record. If you'd rather not answer this now, or "
        "don't know, choose one of the buttons.",
    ]
    return Say(text="\n\n".join(parts), buttons=(*answer_buttons(question), *ways_out(question, kept_answer)))


def how_to_reply(question: Question) -> str:
    """What a reply may look like, by the kind of answer: the structure, not the wording."""
    unsure = " If you don't know, 'not sure' is an answer too." if question.allow_unsure else ""
    match question.answer_type:
        case AnswerType.SINGLE_CHOICE:
            return f"Reply with a number or the words of one option:\n{_numbered(question)}"
        case AnswerType.MULTIPLE_CHOICE:
            return (
                "Reply with a number or the words, for every option that fits (for example '1 and 3'):\n"
                f"{_numbered(question)}"
            )
        case AnswerType.YES_NO_UNSURE:
            return f"Reply 'yes' or 'no'.{unsure}"
        case AnswerType.DATE:
            examples = DATE_EXAMPLES[question.date_range or "past"]
            hint = DATE_RANGE_HINT[question.date_range or "past"]
            return (
                f"Reply with a date in any of these ways: {_quoted(examples)}. A rough date is fine. "
                f"{hint}{unsure}"
            ).replace("  ", " ")
        case AnswerType.AGE:
            examples = _quoted(AGE_EXAMPLES)
            return f"Reply with the young person's age in whole years, for example {examples}.{unsure}"
    return "Write your answer in your own words."


def answer_buttons(question: Question) -> tuple[Button, ...]:
    """The question's own options as buttons, as when it was asked; "not sure" is among the ways out."""
    return tuple(Button(c.label, c.label) for c in question.choices if c.value != UNSURE)


def ways_out(question: Question, kept_answer: bool = False) -> tuple[Button, ...]:
    """Skip only where the question may be skipped (a required one may not, unless its answer is kept), not
    sure only where it is allowed, and why we ask always."""
    buttons = []
    if kept_answer:
        buttons.append(Button("Keep my answer", Payload.SKIP))
    elif not question.required:
        buttons.append(Button("Skip", Payload.SKIP))
    if question.allow_unsure:
        unsure = question.choice(UNSURE)
        label = unsure.label if unsure else "Not sure"
        buttons.append(Button(label, label))
    buttons.append(WHY_WE_ASK)
    return tuple(buttons)


def _numbered(question: Question) -> str:
    options = [c for c in question.choices if c.value != UNSURE]
    return "\n".join(f"{n}. {choice.label}" for n, choice in enumerate(options, start=1))


def _quoted(examples: tuple[str, ...]) -> str:
    quoted = [f"'{example}'" for example in examples]
    return ", ".join(quoted[:-1]) + f" or {quoted[-1]}"
