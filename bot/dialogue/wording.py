"""Words that every open question's message shares: the case's mode, and an answer as it is shown back."""

from __future__ import annotations

from bot.domain.records import AnswerRecord, AssessmentRecord
from bot.questions import QuestionBank


def mode_label(bank: QuestionBank, record: AssessmentRecord) -> str:
    """Shown with every question once the practitioner has chosen; before that the store's default (live)
    is a safe assumption for handling data, not something to tell them."""
    chosen = any(qid in bank and bank.question(qid).effect == "sets_mode" for qid in record.answers)
    if not chosen:
        return ""
    return {"live": "Live case", "rehearsal": "Rehearsal - fictional case"}.get(record.mode or "", "")


def mode_suffix(bank: QuestionBank, record: AssessmentRecord) -> str:
    label = mode_label(bank, record)
    return f" · {label}" if label else ""


def shown(answer: AnswerRecord) -> str:
    """An answer in the practitioner's own words, or what they chose instead of answering."""
    if answer.status == "skipped":
        return "(skipped)"
    if answer.status == "unsure":
        return f"not sure ({answer.text})"
    return str(answer.text)
