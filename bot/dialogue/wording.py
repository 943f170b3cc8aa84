"""Words that every open question's message shares: the case's mode, and an answer as it is shown back.

`answer_words` is the one place that decides what a reader sees of an answer, for every renderer: check your
answers, the suggested next steps, the case page, the PDF and the JSON export (through bot.review), and so
Teams too. A single or multiple choice answer is shown as the chosen options' labels, however it was given
(numbers, words, buttons or checkboxes); every other answer is the practitioner's text, verbatim. The text as
typed is never changed: it stays on the answer and in the transcript.
"""

from __future__ import annotations

from bot.domain.lifecycle import Mode
from bot.domain.records import AnswerRecord, AssessmentRecord
from bot.questions import QuestionBank
from bot.questions.labels import chosen_labels, unsure_label


def mode_label(record: AssessmentRecord) -> str:
    """Shown with every question: the mode is fixed by how the run started (issue #26), never by an answer."""
    return {Mode.LIVE: "Live case", Mode.REHEARSAL: "Rehearsal - fictional case"}.get(record.mode or "", "")


def mode_suffix(record: AssessmentRecord) -> str:
    label = mode_label(record)
    return f" · {label}" if label else ""


def answer_words(bank: QuestionBank, answer: AnswerRecord) -> str:
    """What a reader is shown of an answer: the labels of the options chosen for a single or multiple choice
    question (its "not sure" option's label when that was chosen), else the text exactly as typed. An answer
    to a question the bank no longer has, or naming an option it no longer has, is shown as typed."""
    question = bank.question(answer.question_id) if answer.question_id in bank else None
    if question is not None and answer.status == "answered":
        labels = chosen_labels(question, answer.value)
        if labels is not None:
            return labels
    if question is not None and answer.status == "unsure":
        label = unsure_label(question)
        if label is not None:
            return label
    return str(answer.text)


def shown(bank: QuestionBank, answer: AnswerRecord) -> str:
    """An answer as the practitioner is shown it back, or what they chose instead of answering."""
    if answer.status == "skipped":
        return "(skipped)"
    if answer.status == "unsure":
        words = answer_words(bank, answer)
        return words if words != answer.text else f"not sure ({answer.text})"
    return answer_words(bank, answer)
