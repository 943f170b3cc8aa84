"""Check your answers: the summary after the last question, "change 3", and submitting to the lead.

Submitting is only possible here, so the practitioner always sees every answer, in their own words,
before it reaches a lead; and only once every required question in the flow is answered ("Not sure" counts
where the question allows it). The dialogue never lets a required question be skipped, but a run stored by
an older version, or a bank that has since marked a question required, can arrive here without one: the
summary then lists them, numbered like every other answer, and offers to answer the first.

At the end of the screening part the practitioner may send the screening answers alone, as a Request for
Support (issue #12): the same summary, stage `screening`, lists only the screening part, so only its required
questions must be answered; "back" returns to "send now or carry on?".
"""

from __future__ import annotations

import re

from bot.dialogue.after_screening import load_wording
from bot.dialogue.at_question import go_back, missing_required
from bot.dialogue.moves import part_of
from bot.dialogue.next_step import describe, suggest_next_steps
from bot.dialogue.plan import Button, Plan, Say, tell
from bot.dialogue.still_missing import still_missing
from bot.dialogue.wording import mode_suffix, shown
from bot.domain.lifecycle import AssessmentStatus
from bot.domain.positions import AfterScreening, AtQuestion
from bot.domain.protocol import Payload
from bot.domain.records import AnswerRecord, AssessmentRecord
from bot.domain.stages import SubmittedStage
from bot.questions import Question, QuestionBank

AFTER_REVIEW = (Button("Back", Payload.GO_BACK), Button("Pause", Payload.PAUSE))
CHANGE = re.compile(r"^\s*change\s+(?:answer\s+)?(\d{1,3})\s*$", re.IGNORECASE)


# The summary's first words; Teams shows the heading and buttons without the answers (bot.teams.withheld).
REVIEW_HEADING = "Check your answers"

Row = tuple[str, Question, AnswerRecord | None]


def reviewed(
    bank: QuestionBank, record: AssessmentRecord, stage: SubmittedStage = SubmittedStage.FULL
) -> list[Row]:
    """(section title, question, latest answer) for every answered question still in the flow, in order,
    and every required one not answered yet (answer None), so that "change N" reaches it too. For a Request
    for Support (stage screening), the screening part only."""
    rows: list[Row] = []
    sent_now = False  # after "send it now" (an addition, issue #26 item 9) nothing later is asked
    for question in bank.visible_questions(record.answer_values()):
        if stage == SubmittedStage.SCREENING and part_of(bank, question) != "screening":
            continue
        given = record.answers.get(question.id)
        if given is not None or (question.required and not sent_now):
            rows.append((bank.section(question.section_id).title, question, given))
        if question.effect == "submit_now_if_yes" and given is not None and given.value == "yes":
            sent_now = True
    return rows


def missing(rows: list[Row]) -> list[tuple[int, Question]]:
    """(number in the summary, question) of each required question with no answer or only a skipped one."""
    return [
        (number, question)
        for number, (_, question, given) in enumerate(rows, start=1)
        if missing_required(question, given)
    ]


def needs_answers(rows: list[Row]) -> Say | None:
    """Which required answers are missing, with a button to answer the first; None when there are none."""
    gaps = missing(rows)
    if not gaps:
        return None
    listed = "\n".join(f"{number}. {question.text}" for number, question in gaps)
    first = gaps[0][0]
    return Say(
        text="You can't submit yet: your lead cannot act on this record without these answers. If you don't "
        f"know, choose 'Not sure' where it is offered.\n{listed}",
        buttons=(Button(f"Answer question {first}", f"change {first}"),),
    )


def review(bank: QuestionBank, record: AssessmentRecord, stage: SubmittedStage = SubmittedStage.FULL) -> Say:
    """Check your answers: every answer, numbered, under its section, in the practitioner's own words."""
    screening = stage == SubmittedStage.SCREENING
    lines = [REVIEW_HEADING + mode_suffix(record)]
    if screening:
        lines.append(load_wording().review_note)
    previous_section = None
    rows = reviewed(bank, record, stage)
    for number, (section, question, answer) in enumerate(rows, start=1):
        if section != previous_section:
            lines.append(f"\n{section}")
            previous_section = section
        words = shown(bank, answer) if answer is not None else "(no answer yet)"
        lines.append(f"{number}. {question.text}\n   {words}")
    if (missing_note := still_missing(bank, record, [question for _, question, _ in rows])) is not None:
        lines.append(f"\n{missing_note}")
    gaps = needs_answers(rows)
    if gaps is not None:
        lines.append(f"\n{gaps.text}")
        return Say(text="\n".join(lines), buttons=(*gaps.buttons, *AFTER_REVIEW))
    submit_label = load_wording().submit_label if screening else "Submit to my lead"
    lines.append(
        "\nTo change an answer, type 'change' and its number (for example 'change 3'). When you are happy "
        f"that this is your own account, choose '{submit_label}'."
    )
    return Say(text="\n".join(lines), buttons=(Button(submit_label, Payload.SUBMIT), *AFTER_REVIEW))


def asks_for_change(text: str) -> bool:
    """ "change 3" at the summary is an answer, whatever the classifier made of it."""
    return CHANGE.match(text) is not None


def plan_change(
    bank: QuestionBank, record: AssessmentRecord, text: str, stage: SubmittedStage = SubmittedStage.FULL
) -> Plan:
    """At the summary, "change 3" reopens answer 3; after it the practitioner comes back to the summary (for
    the screening summary, by way of "send now or carry on?", asked again since no fuller answer exists)."""
    match = CHANGE.match(text)
    rows = reviewed(bank, record, stage)
    if match and 1 <= int(match.group(1)) <= len(rows):
        return Plan(move_to=AtQuestion(rows[int(match.group(1)) - 1][1].id))
    return tell(
        f"To change an answer, type 'change' and a number from 1 to {len(rows)}; or "
        "choose 'Submit to my lead'."
    )


def review_control(
    bank: QuestionBank, record: AssessmentRecord, control: str, stage: SubmittedStage = SubmittedStage.FULL
) -> Plan | None:
    """Back to the last question, help, and submit at the summary; skip has nothing to skip. None for the
    controls that work as anywhere else. A Request for Support is submitted with its stage, and is told so."""
    if control == "back":
        return Plan(move_to=AfterScreening()) if stage == SubmittedStage.SCREENING else go_back(bank, record)
    if control == "skip":
        return Plan()
    if control == "help":
        return tell("This is a summary of your answers. Your lead will see them exactly as you typed them.")
    if control == "submit":
        gaps = needs_answers(reviewed(bank, record, stage))
        if gaps is not None:
            return Plan(say=(gaps,))
        next_steps = Say(text=describe(suggest_next_steps(bank, record)))
        if stage == SubmittedStage.SCREENING:
            sent = Say(text=load_wording().sent)
            return Plan(
                say=(sent, next_steps), submit=True, finish=AssessmentStatus.SUBMITTED, submit_stage=stage
            )
        return Plan(
            say=(Say(response="utter_submitted"), next_steps), submit=True, finish=AssessmentStatus.SUBMITTED
        )
    return None
