"""The completeness summary in "Check your answers" (issue #18): what a lead will find missing, as facts.

Numbered like the summary's rows, so that "change N" reaches the missing answer itself. It never blocks
submitting ("submit as it is" is always offered) and never becomes a score or a percentage (guardrail 1).
"""

from __future__ import annotations

from bot.domain.records import AssessmentRecord
from bot.questions import Question, QuestionBank
from bot.questions.completeness import PART_WORDS, completeness

# The block's first line; Teams keeps a pointer to it when answers are withheld (bot.teams.withheld).
STILL_MISSING_HEADING = "Still missing (you can add these, or submit as it is):"


def still_missing(bank: QuestionBank, record: AssessmentRecord, shown: list[Question]) -> str | None:
    """The block for the summary whose rows ask `shown`, in order; None when nothing is missing."""
    found = completeness(bank, record.answer_values())
    number = {question.id: n for n, question in enumerate(shown, start=1)}
    lines: list[str] = []
    concerns = [gap for gap in found.concerns if gap.concern.id in number]
    if concerns:
        lines.append("Concerns that lack details:")
        for gap in concerns:
            parts = ", ".join(
                f"{PART_WORDS[part]}" + (f" ({number[q.id]})" if q.id in number else "")
                for part, q in gap.missing
            )
            lines.append(f"{number[gap.concern.id]}. {gap.concern.text}\n   no {parts}")
    needs = [gap for gap in found.needs if gap.asks.id in number]
    if needs:
        lines.append("Family needs that lack details:")
        for need in needs:
            parts = ", ".join(
                f"{PART_WORDS[part]}" + (f" ({number[q.id]})" if q.id in number else "")
                for part, q in need.missing
            )
            lines.append(f"{number[need.asks.id]}. {need.need}\n   no {parts}")
    for title, questions in (("Skipped:", found.skipped), ("Answered 'Not sure':", found.not_sure)):
        listed = [q for q in questions if q.id in number]
        if listed:
            lines.append(title)
            lines.extend(f"{number[q.id]}. {q.text}" for q in listed)
    if not lines:
        return None
    return "\n".join((STILL_MISSING_HEADING, *lines, "To add one, type 'change' and its number."))
