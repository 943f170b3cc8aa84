"""The assessment as a state machine over the question bank and the stored record.

Every function here is pure: it takes the bank, the record as the store returned it (typed) and what the
practitioner sent, and returns a Plan (what to record, where to move, what to say). The action server
carries the plan out, recording before replying, so a crash between the two loses nothing. Keeping the
decisions here, rather than in the rasa-sdk actions, means one implementation serves every channel and is
tested without an engine.

The states are the positions of bot.domain.positions, each in its own module: a question (at_question),
the summary (at_review), "Start again?" (start_again) and the danger follow-ups (followups). This module
reads the position once and hands the message to its state; what works the same everywhere (pause, stop,
start again, a danger report) is decided here. It is also the import surface for the action server.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.dialogue.after_screening import ask_route, plan_route, reads_as_route, route_control, route_words
from bot.dialogue.another_way import misfits_at
from bot.dialogue.at_question import (
    ask_question,
    asks_what_it_means,
    choice_words,
    names_a_past_when,
    plan_question_answer,
    question_control,
    reads_as_answer,
)
from bot.dialogue.at_review import asks_for_change, plan_change, review, review_control
from bot.dialogue.clarify import Ranking, control_to_ask_about, is_keep
from bot.dialogue.followups import (
    SUBMITTED_ALREADY,
    as_told,
    ask_followup,
    back_after,
    check_guidance,
    danger_guidance,
    danger_reported,
    followup_control,
    followup_words,
    plan_followup_reply,
    start_check,
    start_followups,
    unsaved_danger_guidance,
)
from bot.dialogue.moves import position, question_before, resume_point
from bot.dialogue.plan import Plan, Say, UrgentDetail, tell
from bot.dialogue.reading import DANGER_PAYLOAD, INTENT_CONTROLS, Reading, read_message
from bot.dialogue.start_again import (
    START_AGAIN_NO,
    START_AGAIN_YES,
    ask_to_start_again,
    confirm_start_again,
    confirmation_words,
    confirming_control,
    plan_confirm_start_again,
    where_it_was_asked,
)
from bot.domain.lifecycle import AssessmentStatus
from bot.domain.positions import (
    AfterScreening,
    AtQuestion,
    AtReview,
    ConfirmingStartAgain,
    FollowingUpDanger,
    Position,
)
from bot.domain.records import AssessmentRecord
from bot.questions import QuestionBank

__all__ = [
    "START_AGAIN_NO",
    "START_AGAIN_YES",
    "Plan",
    "Say",
    "UrgentDetail",
    "as_told",
    "ask",
    "followup_words",
    "plan_answer",
    "plan_control",
    "plan_danger",
    "position",
    "question_before",
    "read_reply",
    "resume_point",
    "unsaved_danger_guidance",
]


def ask(bank: QuestionBank, record: AssessmentRecord, *, again: bool = False) -> Say:
    """The message that asks what is open now: a question, the summary, "Start again?" or a follow-up.
    `again`: the same question asked again straight after a reply that changed nothing (one it could not
    read, "why are you asking?"), which does not repeat its section's introduction."""
    match here := position(bank, record):
        case AtReview():
            return review(bank, record, here.stage)
        case AfterScreening():
            return ask_route(record)
        case ConfirmingStartAgain():
            return confirm_start_again(record)
        case FollowingUpDanger():
            return ask_followup(bank, record, here)
        case AtQuestion():
            return ask_question(bank, record, here, again=again)


def read_reply(
    bank: QuestionBank,
    record: AssessmentRecord,
    text: str,
    intent: str | None,
    confidence: float,
    *,
    today: date,
    ranking: Ranking = (),
    danger_opinion: float | None = None,
) -> Reading:
    """What the message is, given what is open: the open question's own words are answers, never controls.
    So is typed text that the open question reads as an answer ("next Thursday" at a date question), whatever
    control the classifier took it for: a misread control would drop what was typed. `ranking`: the
    classifier's intents best first, which a free-text question weighs (bot.dialogue.clarify).
    `danger_opinion`: the engine's second opinion on danger (bot.dialogue.reading.danger_reason)."""
    here = position(bank, record)
    if isinstance(here, AtReview) and asks_for_change(text):
        return Reading("answer")  # "change 3" at the summary, whatever the classifier made of it
    free_text = (
        bank.question(here.question_id).answer_type.value == "free_text"
        if isinstance(here, AtQuestion)
        else None
    )
    reading = read_message(
        text,
        intent,
        confidence,
        choice_words=_answer_words(bank, here),
        free_text=free_text,
        parsed_question=free_text is False,
        danger_opinion=danger_opinion,
    )
    at_question = isinstance(here, AtQuestion)
    if reading.kind in ("control", "answer") and at_question and asks_what_it_means(bank, here, text, today):
        return Reading("control", "help")  # "not sure what you mean" asks for help; it is no "not sure"
    if (
        reading.kind == "control"
        and at_question
        and (
            reads_as_answer(bank, here, text, today, reading.control, INTENT_CONTROLS.get(intent or ""))
            or names_a_past_when(text, today)
        )
    ):
        return Reading("answer")  # a past time ("last week") answers when; it never means "go back"
    if reading.kind == "control" and isinstance(here, AfterScreening) and reads_as_route(text, today):
        return Reading("answer")
    if isinstance(here, AtQuestion) and reading.kind in ("control", "answer"):
        # Free text stays sacred (issue #11): short and control-like is asked about, never guessed.
        question = bank.question(here.question_id)
        if question.answer_type.value == "free_text" and is_keep(text):
            return Reading("control", "keep_typed")
        control = INTENT_CONTROLS.get(intent or "")
        if asked := control_to_ask_about(question, text, control, confidence, ranking):
            return Reading("clarify", asked)
    if (
        isinstance(here, FollowingUpDanger)
        and reading.kind == "danger"
        and text.strip().lower() != DANGER_PAYLOAD
    ):
        # A reply to "what is happening now?" reads as danger by its nature; it is the reply asked for,
        # kept with the flag already raised, not a new report (which the button still makes).
        return Reading("answer")
    return reading


def _answer_words(bank: QuestionBank, here: Position) -> frozenset[str]:
    """The words that answer what is open (at the summary, "change 3" is read before these)."""
    match here:
        case AtQuestion():
            return choice_words(bank, here)
        case AfterScreening():
            return route_words()
        case ConfirmingStartAgain():
            return confirmation_words()
        case FollowingUpDanger():
            return followup_words(here)
    return frozenset()


def plan_answer(
    bank: QuestionBank, record: AssessmentRecord, text: str, *, today: date, misfits: object = None
) -> Plan:
    """The message as a reply to what is open: an answer, "change 3", a confirmation or a follow-up reply.
    `misfits`: the engine's count of replies in a row the open question could not read (another_way)."""
    match here := position(bank, record):
        case AtReview():
            return plan_change(bank, record, text, here.stage)
        case AfterScreening():
            return plan_route(bank, record, text, today=today)
        case ConfirmingStartAgain():
            return plan_confirm_start_again(bank, record, here, text)
        case FollowingUpDanger():
            return plan_followup_reply(bank, record, here, text)
        case AtQuestion():
            count = misfits_at(misfits, here.question_id)
            return plan_question_answer(bank, record, here, text, today=today, misfits=count)


def plan_control(bank: QuestionBank, record: AssessmentRecord, control: str) -> Plan:
    """A control: first as the open state has it (back, skip and help differ in each), then as everywhere."""
    here = position(bank, record)
    match here:
        case AtQuestion():
            own = question_control(bank, record, here, control)
        case AtReview():
            own = review_control(bank, record, control, here.stage)
        case AfterScreening():
            own = route_control(bank, record, control)
        case ConfirmingStartAgain():
            own = confirming_control(bank, record, here, control)
        case FollowingUpDanger():
            own = followup_control(bank, record, here, control)
    if own is not None:
        return own
    if control == "pause":
        return Plan(say=(Say(response="utter_paused"),), finish="paused")
    if control == "stop":
        return Plan(say=(Say(response="utter_stopped"),), finish="stopped")
    if control == "start_again":
        return ask_to_start_again(bank, record, here)
    if control == "submit":
        return tell("You can submit once you reach 'Check your answers' at the end.")
    return Plan()  # resume / start_assessment while already in the assessment: just ask again


def plan_danger(bank: QuestionBank, record: AssessmentRecord, text: str, *, today: date) -> Plan:
    """Immediate danger: guidance first, flag for the lead, then the follow-up questions for the lead, then
    back to where they were. A free-text answer that reports the danger is still recorded as the answer,
    in the practitioner's words (at a follow-up, as that follow-up's reply).

    A submitted assessment is not reopened: the report is passed to the store as it always was (which
    decides whether a submitted record takes it), and nothing else changes."""
    here = position(bank, record)
    button = text.strip().lower() == DANGER_PAYLOAD
    urgent_message = _confirmed_by_button(bank, record) if button else text
    if record.status != AssessmentStatus.IN_PROGRESS:
        return Plan(say=(*danger_guidance(record), SUBMITTED_ALREADY), urgent_message=urgent_message)
    if isinstance(here, FollowingUpDanger) and not button:
        reply = plan_followup_reply(bank, record, here, text)
        return replace(reply, say=(*danger_guidance(record), *reply.say), urgent_message=text)
    back_to = _where_danger_was_reported(bank, record, here)
    answered = None
    if (
        not button
        and isinstance(here, AtQuestion)
        and bank.question(here.question_id).answer_type.value == "free_text"
    ):
        answered = plan_question_answer(bank, record, here, text, today=today)
        back_to = answered.move_to or here
    # Danger read in typed text is checked with the practitioner before the leads are interrupted (issue #26):
    # the 999 advice now, "is anyone in danger now?" next (bot.store.danger_check). Text typed at the danger
    # question itself answers that question already.
    typed = not button and not _at_danger_question(bank, here)
    return Plan(
        say=check_guidance() if typed else danger_reported(record),
        record=answered.record if answered else None,
        move_to=start_check(back_to) if typed else start_followups(back_to),
        urgent_message=urgent_message,
        urgent_typed=typed,
    )


def _at_danger_question(bank: QuestionBank, here: Position) -> bool:
    return (
        isinstance(here, AtQuestion)
        and here.question_id in bank
        and bank.question(here.question_id).effect == "danger_if_yes"
    )


def _where_danger_was_reported(bank: QuestionBank, record: AssessmentRecord, here: Position) -> Position:
    """Where to come back to after the follow-ups for a report made now: the question they were on. A report
    made during the follow-ups keeps their first return point (it never nests), and one made at "Start
    again?" goes back to where that was asked from (a danger report is no time to clear answers)."""
    if isinstance(here, ConfirmingStartAgain):
        here = where_it_was_asked(bank, record, here)
    if isinstance(here, FollowingUpDanger):
        return back_after(bank, record, here)
    return here


def _confirmed_by_button(bank: QuestionBank, record: AssessmentRecord) -> str:
    """The flag's message when the practitioner pressed "Someone is in danger now": the answer it followed."""
    if isinstance(position(bank, record), FollowingUpDanger):
        return "Immediate danger reported again with the button, during the questions about the danger."
    before = question_before(bank, record)
    given = record.answers.get(before.id) if before else None
    if before is None or given is None:
        return "Immediate danger reported with the button."
    return f"Immediate danger reported with the button after answering: {before.text} - {given.text}"
