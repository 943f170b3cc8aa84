"""Several options at once: a multiple choice question offered as checkboxes (web) or a multi-select list
(Teams), sent as one message.

The store, not the message, says which question is open, so the options become checkboxes only when the
assessment stands at a multiple choice question and the bot's latest buttons are exactly that question's
options. What is sent is the chosen options' labels joined by ", " ("Online, Friends"), which the transcript
and the chat show as the practitioner's answer; it is checked first against the answer reader itself, and
when a label holding a comma or "and" would make the joined labels read differently, the options' values are
sent instead, which always read back as exactly those options.
"""

from __future__ import annotations

from datetime import date

from bot.dialogue.moves import read_position
from bot.domain.assessment_summary import AssessmentSummary
from bot.domain.positions import AtQuestion
from bot.questions import UNSURE, AnswerType, ParsedAnswer, Question, QuestionBank, parse_answer

NOTHING_CHOSEN_MESSAGE = "Choose at least one option, then choose Continue."
JOIN = ", "


class NotOffered(ValueError):
    """The options posted are not the checkboxes on offer (an old page, a forged form)."""


class NothingChosen(ValueError):
    """Continue with no option ticked."""


def open_multiple_choice(bank: QuestionBank, assessment: AssessmentSummary) -> Question | None:
    if assessment.submitted:
        return None
    here = read_position(bank, assessment.current_question_id)
    if not isinstance(here, AtQuestion) or here.question_id not in bank:
        return None
    question = bank.question(here.question_id)
    return question if question.answer_type == AnswerType.MULTIPLE_CHOICE else None


def checkbox_options(
    bank: QuestionBank, assessment: AssessmentSummary, choices: list[dict[str, str]]
) -> tuple[int, ...]:
    """Which of the latest buttons (by index) are the open multiple choice question's options, to show as
    checkboxes with one Continue; () when there is no such question or the buttons are not its options."""
    question = open_multiple_choice(bank, assessment)
    if question is None:
        return ()
    answers = [i for i, choice in enumerate(choices) if not choice["payload"].startswith("/")]
    offered = sorted(choices[i]["payload"] for i in answers)
    return tuple(answers) if offered == sorted(c.label for c in question.choices) else ()


def exclusive_option(
    bank: QuestionBank, assessment: AssessmentSummary, choices: list[dict[str, str]]
) -> int | None:
    """The index of the "Not sure" option, which is shown apart ("or") and cannot be combined."""
    question = open_multiple_choice(bank, assessment)
    unsure = question.choice(UNSURE) if question is not None else None
    if unsure is None:
        return None
    return next((i for i, c in enumerate(choices) if c["payload"] == unsure.label), None)


def many_answer(
    bank: QuestionBank, assessment: AssessmentSummary, choices: list[dict[str, str]], picked: list[str]
) -> str:
    """The one message that answers with the options `picked` (button indices as posted)."""
    options = checkbox_options(bank, assessment, choices)
    question = open_multiple_choice(bank, assessment)
    if not options or question is None:
        raise NotOffered
    if not picked:
        raise NothingChosen(NOTHING_CHOSEN_MESSAGE)
    if not all(p.isascii() and p.isdigit() and int(p) in options for p in picked):
        raise NotOffered
    posted = {choices[int(p)]["payload"] for p in picked}
    chosen = [c for c in question.choices if c.label in posted]
    labels, values = JOIN.join(c.label for c in chosen), JOIN.join(c.value for c in chosen)
    for message in (labels, values):
        if _reads_as(question, message, [c.value for c in chosen]):
            return message
    return labels  # "Not sure" ticked with other options: the answer reader says what to do


def _reads_as(question: Question, message: str, wanted: list[str]) -> bool:
    read = parse_answer(question, message, today=date.today())
    if not isinstance(read, ParsedAnswer):
        return False
    return read.value == wanted or (wanted == [UNSURE] and read.status == "unsure")
