"""The evidence pattern (issue #18): what was said or done, when, and how it is known, after every concern.

A lead cannot act on a bare "yes"; the bank declares once per question that its answer can raise a concern
(`evidence: true`, or a `vaf` tag on a choice question) and the loader writes the three follow-ups, the same
everywhere, shown for a concerning answer and for "not sure" (an uncertain weapon or contact is the one a
lead most needs described):
  what  free text, kept verbatim: `<parent>__what`, unless the bank already has a hand-written free-text
        follow-up shown only on this question's answer, which is kept (its own id and wording) as the "what";
  when  a date or a rough date kept as typed with its range, or "don't know": `<parent>__when`;
  how   the source prompts of bot.questions.sources: `<what>__source` when the hand-written "what" already
        asked for its source (so answers stored under that id still show), otherwise `<parent>__source`.
Ids are derived from the parent's, so they are stable across loads and bank edits elsewhere.
"""

from __future__ import annotations

from dataclasses import replace

from bot.questions.model import (
    CHOICE_TYPES,
    NO_CONTENT_VALUES,
    UNSURE,
    AnswerType,
    Choice,
    Condition,
    Question,
)
from bot.questions.sources import source_prompts

WHAT_SUFFIX = "__what"
WHEN_SUFFIX = "__when"


def raises_concern(question: Question) -> bool:
    """A yes/no or choice question whose answer can raise a concern: `evidence: true`, or a vaf tag."""
    return question.answer_type in CHOICE_TYPES and (question.evidence or question.vaf is not None)


def concern_values(question: Question) -> tuple[str, ...]:
    """The answers that raise the concern: "yes", or any choice that is not a "no", "none" or "not known"."""
    if question.answer_type == AnswerType.YES_NO_UNSURE:
        return ("yes",)
    return tuple(
        c.value
        for c in question.choices
        if c.concern and c.value not in NO_CONTENT_VALUES and c.value != UNSURE
    )


def adopted_what(parent: Question, later: list[Question]) -> Question | None:
    """The hand-written free-text follow-up that already asks what was said or done: the first one in the
    parent's section shown on nothing but the parent's answer."""
    for question in later:
        if question.section_id != parent.section_id:
            return None
        conditions = question.show_if
        if (
            question.answer_type == AnswerType.FREE_TEXT
            and len(conditions) == 1
            and conditions[0].question == parent.id
            and conditions[0].kind in ("equals", "answered")
        ):
            return question
    return None


def raised(parent: Question) -> Condition:
    return Condition(parent.id, "raised", concern_values(parent))


def as_what(parent: Question, adopted: Question) -> Question:
    """The hand-written follow-up as the pattern's "what": shown on "not sure" too; its source comes after
    the "when" (generated here, so its own `ask_source` no longer adds it)."""
    return replace(adopted, show_if=(raised(parent),), ask_source=False, evidence_of=parent.id)


def generated_what(parent: Question) -> Question:
    return Question(
        id=parent.id + WHAT_SUFFIX,
        section_id=parent.section_id,
        text="What was said or done? Their exact words or what you saw, if you can.",
        answer_type=AnswerType.FREE_TEXT,
        choices=(),
        why="Your lead judges the words and actions themselves, not a yes or a tick; they are kept exactly "
        "as you type them.",
        show_if=(raised(parent),),
        origin=parent.origin,
        evidence_of=parent.id,
        generated=True,
    )


def when_and_how(
    parent: Question, what: Question, sourced_by: Question, unsure_choice: Choice
) -> tuple[Question, ...]:
    """The "when" and the "how do you know" prompts that follow the "what". `sourced_by` names the source
    prompts' ids (the hand-written "what" that asked for its source, or the parent)."""
    when = Question(
        id=parent.id + WHEN_SUFFIX,
        section_id=parent.section_id,
        text="When was this? A date, or roughly, such as 'March 2024', 'last summer' or 'since Year 9', "
        "or 'don't know'.",
        answer_type=AnswerType.ROUGH_DATE,
        choices=(),
        why="Dates put what happened in order for your lead; a rough date is kept as you type it.",
        show_if=(raised(parent),),
        origin=parent.origin,
        evidence_of=parent.id,
        generated=True,
    )
    source, role = source_prompts(sourced_by, unsure_choice)
    source = replace(source, show_if=(raised(parent),), origin=parent.origin)
    return when, source, role


def with_evidence(questions: list[Question], unsure_choice: Choice) -> list[Question]:
    """One section's authored questions with the evidence pattern (and every other source prompt) in place."""
    adopted: dict[str, Question] = {}  # the hand-written "what" id -> its parent
    for n, question in enumerate(questions):
        if raises_concern(question):
            what = adopted_what(question, questions[n + 1 :])
            if what is not None and what.id not in adopted:
                adopted[what.id] = question
    parents_with_what = {parent.id for parent in adopted.values()}
    out: list[Question] = []
    for question in questions:
        parent = adopted.get(question.id)
        if parent is not None:
            what = as_what(parent, question)
            out.append(what)
            out.extend(when_and_how(parent, what, question if question.ask_source else parent, unsure_choice))
            continue
        out.append(question)
        if raises_concern(question) and question.id not in parents_with_what:
            what = generated_what(question)
            out.append(what)
            out.extend(when_and_how(question, what, question, unsure_choice))
        elif question.ask_source:
            out.extend(source_prompts(question, unsure_choice))
    return out
