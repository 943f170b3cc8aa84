"""Words that every open question's message shares: the case's mode, and an answer as it is shown back."""

from __future__ import annotations

from bot.domain.records import AnswerRecord, AssessmentRecord


def mode_label(record: AssessmentRecord) -> str:
    """Shown with every question: the mode is fixed by how the run started (issue #26), never by an answer."""
    return {"live": "Live case", "rehearsal": "Rehearsal - fictional case"}.get(record.mode or "", "")


def mode_suffix(record: AssessmentRecord) -> str:
    label = mode_label(record)
    return f" · {label}" if label else ""


def shown(answer: AnswerRecord) -> str:
    """An answer in the practitioner's own words, or what they chose instead of answering."""
    if answer.status == "skipped":
        return "(skipped)"
    if answer.status == "unsure":
        return f"not sure ({answer.text})"
    return str(answer.text)
