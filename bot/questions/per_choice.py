"""Follow-ups asked once for each choice ticked (issue #18): the whole family's other needs, one by one.

One box for "what do you know about each of them?" loses which family member each need concerns, what is
known, since when and which service is involved, and gives them one source between them. So the bank
declares a template once (`per_choice: other_needs` on a question whose text holds `{choice}`), and the
loader writes, for each choice of that earlier question (not "none" or "not sure"):
  who      the template itself, `{choice}` replaced by the choice's label: `<template>__<choice>`;
  what     free text, kept verbatim: `<template>__<choice>__what` (and its "how do you know" prompts when
           the template says `ask_source: true`);
  since    a date or a rough date kept as typed with its range, or "don't know": `...__when`;
  service  which service is involved, free text: `...__service`.
Each is shown only when that choice was ticked, so a walk that ticks nothing asks none of them. Ids are
derived from the template's and the choice's, so they are stable across loads and bank edits elsewhere.
The template is not asked itself: it is only the wording and the choices of "who".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from bot.questions.model import NO_CONTENT_VALUES, UNSURE, AnswerType, Choice, Condition, Question

PLACEHOLDER = "{choice}"
WHAT_SUFFIX = "__what"
WHEN_SUFFIX = "__when"
SERVICE_SUFFIX = "__service"
TAKES_PER_CHOICE = (AnswerType.SINGLE_CHOICE, AnswerType.MULTIPLE_CHOICE)


def followed_choices(target: Question) -> tuple[Choice, ...]:
    """The choices of `target` that get their own follow-ups: every one that names something."""
    return tuple(c for c in target.choices if c.value not in NO_CONTENT_VALUES and c.value != UNSURE)


def per_choice_problem(template: Question, earlier: Mapping[str, Question]) -> str | None:
    """Why `template` cannot be expanded, for the bank's file:line message; None when it can."""
    target = earlier.get(template.per_choice or "")
    if target is None:
        return f"{template.per_choice!r} must name an earlier question"
    if target.answer_type not in TAKES_PER_CHOICE:
        return f"{target.id!r} is {target.answer_type}: per_choice needs a single or multiple choice question"
    if template.answer_type not in TAKES_PER_CHOICE:
        return "the template asks who: it must be a single or multiple choice question"
    if PLACEHOLDER not in template.text:
        return f"the text must say which choice it asks about: write {PLACEHOLDER} where its label goes"
    return None


def expand(template: Question, target: Question) -> list[Question]:
    """The follow-ups of every choice of `target`, in the choices' order."""
    out: list[Question] = []
    for choice in followed_choices(target):
        out.extend(_for_choice(template, target, choice))
    return out


def _for_choice(template: Question, target: Question, choice: Choice) -> list[Question]:
    ticked = (Condition(target.id, "includes", (choice.value,)),)
    label = choice.label
    who = replace(
        template,
        id=f"{template.id}__{choice.value}",
        text=template.text.replace(PLACEHOLDER, label),
        show_if=ticked,
        ask_source=False,
        per_choice=None,
        per_choice_of=(target.id, choice.value),
        generated=True,
    )

    def follow_up(suffix: str, text: str, answer_type: AnswerType, why: str) -> Question:
        return Question(
            id=who.id + suffix,
            section_id=template.section_id,
            text=text,
            answer_type=answer_type,
            choices=(),
            why=why,
            show_if=ticked,
            origin=template.origin,
            per_choice_of=(target.id, choice.value),
            generated=True,
        )

    what = follow_up(
        WHAT_SUFFIX,
        f"{label}: what do you know about it? What was said or what you have seen, in their words if "
        "you can.",
        AnswerType.FREE_TEXT,
        "Your lead reads what is known, not a tick; it is kept exactly as you type it.",
    )
    since = follow_up(
        WHEN_SUFFIX,
        f"{label}: since when? A date, or roughly, such as 'March 2024', 'last summer' or 'since Year 9', "
        "or 'don't know'.",
        AnswerType.ROUGH_DATE,
        "How long a need has been there shapes the support; a rough date is kept as you type it.",
    )
    service = follow_up(
        SERVICE_SUFFIX,
        f"{label}: which service is involved with this, if any? For example 'early help', or 'none that I "
        "know of'.",
        AnswerType.FREE_TEXT,
        "A service already involved may hold information or a plan, and should not be duplicated.",
    )
    # Its "how do you know" prompts follow it (bot.questions.evidence.with_evidence writes them).
    return [who, replace(what, ask_source=template.ask_source), since, service]
