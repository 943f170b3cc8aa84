"""Check your answers: the summary after the last question, "change 3", and submitting to the lead.

Submitting is only possible here, so the practitioner always sees every answer, in their own words,
before it reaches a lead.
"""

from __future__ import annotations

import re

from bot.dialogue.at_question import go_back
from bot.dialogue.next_step import describe, suggest_next_steps
from bot.dialogue.plan import Button, Plan, Say, tell
from bot.dialogue.wording import mode_suffix, shown
from bot.domain.positions import AtQuestion
from bot.domain.records import AnswerRecord, AssessmentRecord
from bot.questions import Question, QuestionBank

CHANGE = re.compile(r"^\s*change\s+(?:answer\s+)?(\d{1,3})\s*$", re.IGNORECASE)


def reviewed(bank: QuestionBank, record: AssessmentRecord) -> list[tuple[str, Question, AnswerRecord]]:
    """(section title, question, latest answer) for every answered question still in the flow, in order."""
    rows = []
    for question in bank.visible_questions(record.answer_values()):
        given = record.answers.get(question.id)
        if given is not None:
            rows.append((bank.section(question.section_id).title, question, given))
    return rows


def review(bank: QuestionBank, record: AssessmentRecord) -> Say:
    """Check your answers: every answer, numbered, under its section, in the practitioner's own words."""
    lines = ["Check your answers" + mode_suffix(record)]
    previous_section = None
    for number, (section, question, answer) in enumerate(reviewed(bank, record), start=1):
        if section != previous_section:
            lines.append(f"\n{section}")
            previous_section = section
        lines.append(f"{number}. {question.text}\n   {shown(bank, answer)}")
    lines.append(
        "\nTo change an answer, type 'change' and its number (for example 'change 3'). When you are happy "
        "that this is your own account, choose 'Submit to my lead'."
    )
    buttons = (Button("Submit to my lead", "/submit"), Button("Back", "/go_back"), Button("Pause", "/pause"))
    return Say(text="\n".join(lines), buttons=buttons)


def asks_for_change(text: str) -> bool:
    """ "change 3" at the summary is an answer, whatever the classifier made of it."""
    return CHANGE.match(text) is not None


def plan_change(bank: QuestionBank, record: AssessmentRecord, text: str) -> Plan:
    """At the summary, "change 3" reopens answer 3; after it the practitioner comes back to the summary."""
    match = CHANGE.match(text)
    rows = reviewed(bank, record)
    if match and 1 <= int(match.group(1)) <= len(rows):
        return Plan(move_to=AtQuestion(rows[int(match.group(1)) - 1][1].id))
    return tell(
        f"To change an answer, type 'change' and a number from 1 to {len(rows)}; or "
        "choose 'Submit to my lead'."
    )


def review_control(bank: QuestionBank, record: AssessmentRecord, control: str) -> Plan | None:
    """Back to the last question, help, and submit at the summary; skip has nothing to skip. None for the
    controls that work as anywhere else."""
    if control == "back":
        return go_back(bank, record)
    if control == "skip":
        return Plan()
    if control == "help":
        return tell("This is a summary of your answers. Your lead will see them exactly as you typed them.")
    if control == "submit":
        next_steps = Say(text=describe(suggest_next_steps(bank, record)))
        return Plan(say=(Say(response="utter_submitted"), next_steps), submit=True, finish="submitted")
    return None
