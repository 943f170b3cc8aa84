"""A closed answer in words: the bank's labels for the choices a stored value names.

A single or multiple choice answer is stored twice: the text exactly as the practitioner typed or pressed it
("1, 3 and 4", "online"), and the parsed value (the choice values, `["online", "friends", "school"]`). What a
reader is shown is the labels of the value ("Online, Friends, School"): numbers mean something only beside the
list they were picked from. This is the one mapping from values to labels; `bot.dialogue.wording` uses it for
every rendering (check your answers, the case page, the PDF, the JSON export, the suggested next steps).
"""

from __future__ import annotations

from bot.questions.model import UNSURE, AnswerType, Question

LABELLED_TYPES = frozenset({AnswerType.SINGLE_CHOICE, AnswerType.MULTIPLE_CHOICE})
LABEL_SEPARATOR = ", "


def chosen_labels(question: Question, value: object) -> str | None:
    """The labels of the choices `value` names, in the bank's order, joined by ", "; None when `question` is
    not a single or multiple choice question, or when the value names a choice the bank no longer has (an
    answer given with an older bank): the caller then shows the text as typed, so nothing is guessed."""
    if question.answer_type not in LABELLED_TYPES:
        return None
    values = value if isinstance(value, list | tuple) else [value]
    if not values or not all(isinstance(v, str) for v in values):
        return None
    labels = {choice.value: choice.label for choice in question.choices}
    if not all(v in labels for v in values):
        return None
    return LABEL_SEPARATOR.join(labels[c.value] for c in question.choices if c.value in values)


def unsure_label(question: Question) -> str | None:
    """The wording of the question's own "not sure" option, for a choice question that offers one."""
    if question.answer_type not in LABELLED_TYPES:
        return None
    choice = question.choice(UNSURE)
    return choice.label if choice else None
