"""The assessment as a state machine over the question bank and the stored record.

Every function here is pure: it takes the bank, the record as the store returned it and what the
practitioner sent, and returns a Plan (what to record, where to move, what to say). The action server
carries the plan out, recording before replying, so a crash between the two loses nothing. Keeping the
decisions here, rather than in the rasa-sdk actions, means one implementation serves every channel and is
tested without an engine.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal

from bot.dialogue.danger_followups import FollowUp, load_followups
from bot.dialogue.next_step import describe, suggest_next_steps
from bot.dialogue.reading import DANGER_PAYLOAD
from bot.questions import Question, QuestionBank
from bot.questions.answers import AnswerProblem, parse_answer

REVIEW = "__review__"  # position after the last question: check your answers, then submit
# "Start again?" is a position too, so that the question waiting for an answer is the confirmation (a "yes"
# typed for an open yes/no question must never clear everything). It keeps where the practitioner was, so
# "No" takes them back there: "__start_again__.<question id or __review__>".
CONFIRM_START_AGAIN = "__start_again__."
START_AGAIN_YES = "Yes, clear my answers and start again"
START_AGAIN_NO = "No, carry on where I was"
# After any danger report the bot asks a few follow-up questions for the lead (danger_followups.yaml). Each
# is a position too, like "Start again?", so the open question is always the follow-up (a restart resumes
# there) and it keeps where to go afterwards: "__danger__.<step id>.<question id or __review__>".
DANGER = "__danger__."

Finish = Literal["submitted", "paused", "stopped"]


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Say:
    """One bot message: literal text, or a domain response by name (wording lives in domain.yml)."""

    text: str | None = None
    response: str | None = None
    buttons: tuple[Button, ...] = ()
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AnswerDraft:
    question_id: str
    revision: int
    wording: str
    text: str
    value: Any
    status: Literal["answered", "skipped", "unsure"]
    fact_date: date | None = None


@dataclass(frozen=True)
class UrgentDetail:
    """A reply to a danger follow-up question, kept with the urgent flag: `text` exactly as typed."""

    question_id: str
    wording: str
    text: str


@dataclass(frozen=True)
class Plan:
    say: tuple[Say, ...] = ()
    record: AnswerDraft | None = None
    move_to: str | None = None  # new position; None keeps the current one
    urgent_message: str | None = None
    urgent_detail: UrgentDetail | None = None
    submit: bool = False
    finish: Finish | None = None
    mode: str | None = None  # live or rehearsal, when the answer chose it
    start_again: bool = False  # clear every answer (kept in history) and go back to the first question


NAVIGATION = (
    Button("Back", "/go_back"),
    Button("Skip", "/skip"),
    Button("Why are you asking?", "/help"),
    Button("Pause", "/pause"),
)


def current_answers(record: Mapping[str, Any]) -> dict[str, Any]:
    """question id -> structured value of the latest revision (None for skipped or unsure)."""
    return {a["question_id"]: a.get("value") for a in record.get("answers", [])}


def latest(record: Mapping[str, Any], question_id: str) -> Mapping[str, Any] | None:
    for answer in record.get("answers", []):
        if answer["question_id"] == question_id:
            return answer
    return None


def position(bank: QuestionBank, record: Mapping[str, Any]) -> str:
    return record.get("current_question_id") or bank.first_question().id


def confirming_start_again(here: str) -> bool:
    return here.startswith(CONFIRM_START_AGAIN)


def following_up(here: str) -> bool:
    """True at a danger follow-up question."""
    return here.startswith(DANGER)


def asks_a_question(here: str) -> bool:
    """False at the summary, "Start again?" and the danger follow-ups: positions that are not a question
    in the bank."""
    return here != REVIEW and not confirming_start_again(here) and not following_up(here)


def _where_confirming_left(bank: QuestionBank, record: Mapping[str, Any]) -> str:
    """The position "Start again?" was asked from, if it is still one (the bank may have changed)."""
    was = position(bank, record).removeprefix(CONFIRM_START_AGAIN)
    if was == REVIEW or was in bank or following_up(was):
        return was
    return next_position(bank, "", current_answers(record))


def danger_position(step_id: str, back_to: str) -> str:
    return f"{DANGER}{step_id}.{back_to}"


def _followup_at(here: str) -> tuple[FollowUp, str]:
    """The follow-up open at `here`, and the position to go back to after the follow-ups. A step the file
    no longer has (its wording changed between two messages) is read as the first step."""
    step_id, _, back_to = here.removeprefix(DANGER).partition(".")
    followups = load_followups()
    return followups.step(step_id) or followups.first, back_to


def _back_after_followups(bank: QuestionBank, record: Mapping[str, Any], here: str) -> str:
    """Where the follow-ups at `here` lead back to, if it is still a position (the bank may have changed)."""
    _, back_to = _followup_at(here)
    if back_to == REVIEW or back_to in bank:
        return back_to
    return next_position(bank, "", current_answers(record))


def _where_danger_was_reported(bank: QuestionBank, record: Mapping[str, Any]) -> str:
    """Where to come back to after the follow-ups for a report made now: the question they were on. A report
    made during the follow-ups keeps their first return point (it never nests), and one made at "Start
    again?" goes back to where that was asked from (a danger report is no time to clear answers)."""
    here = position(bank, record)
    if confirming_start_again(here):
        here = _where_confirming_left(bank, record)
    if following_up(here):
        return _back_after_followups(bank, record, here)
    return here


def _start_followups(back_to: str) -> str:
    return danger_position(load_followups().first.id, back_to)


def followup_words(here: str) -> frozenset[str]:
    """What the conduct layer treats as an answer (never a control) at a follow-up: its buttons' words."""
    followups = load_followups()
    step, _ = _followup_at(here)
    return frozenset(w.lower() for w in (*step.answers, followups.skip_label, followups.leave_label))


def resume_point(bank: QuestionBank, record: Mapping[str, Any]) -> str:
    """Where the practitioner was, in words: "What you noticed, question 2" or the summary."""
    here = position(bank, record)
    if here == REVIEW:
        return "the last step, checking your answers"
    if confirming_start_again(here):
        return "the question whether to start again"
    if following_up(here):
        return load_followups().resume_name
    progress = bank.progress(here, current_answers(record))
    return f"{progress.section_title}, question {progress.question_number}"


def next_position(bank: QuestionBank, after: str, answers: Mapping[str, Any]) -> str:
    """The next visible question not yet answered, else the summary.

    After an answer the practitioner goes on to the first unanswered question, looking forward first and
    then from the start: so going back to change one answer, or changing one from the summary, returns them
    to where they were, and a follow-up that a changed answer has just opened is asked, wherever it is.
    """
    visible = bank.visible_questions(answers)
    ids = [q.id for q in visible]
    start = ids.index(after) + 1 if after in ids else 0
    for question in (*visible[start:], *visible[:start]):
        if question.id not in answers:
            return question.id
    return REVIEW


def mode_label(bank: QuestionBank, record: Mapping[str, Any]) -> str:
    """Shown with every question once the practitioner has chosen; before that the store's default (live)
    is a safe assumption for handling data, not something to tell them."""
    chosen = any(
        a["question_id"] in bank and bank.question(a["question_id"]).effect == "sets_mode"
        for a in record.get("answers", [])
    )
    if not chosen:
        return ""
    return {"live": "Live case", "rehearsal": "Rehearsal - fictional case"}.get(record.get("mode") or "", "")


def _mode_suffix(bank: QuestionBank, record: Mapping[str, Any]) -> str:
    label = mode_label(bank, record)
    return f" · {label}" if label else ""


def question_before(bank: QuestionBank, record: Mapping[str, Any]) -> Question | None:
    """Where "back" goes: the last visible question from the summary, else the one before the open one."""
    here, answers = position(bank, record), current_answers(record)
    if confirming_start_again(here) or following_up(here):
        return None
    return bank.last_question(answers) if here == REVIEW else bank.previous_question(here, answers)


def ask(bank: QuestionBank, record: Mapping[str, Any]) -> Say:
    """The message that asks the current question, with progress and every control reachable."""
    here = position(bank, record)
    if here == REVIEW:
        return review(bank, record)
    if confirming_start_again(here):
        return confirm_start_again(record)
    if following_up(here):
        return ask_followup(bank, record)
    question = bank.question(here)
    answers = current_answers(record)
    progress = bank.progress(question.id, answers)
    parts = [
        f"{progress.section_title}, question {progress.question_number} of {progress.question_count}; "
        f"section {progress.section_number} of {progress.section_count}" + _mode_suffix(bank, record),
        question.text,
    ]
    given = latest(record, question.id)
    buttons = [Button(choice.label, choice.label) for choice in question.choices]
    if given is not None:
        parts.append(f"Your answer was: {_shown(given)}. Type a new answer, or choose 'Keep my answer'.")
        buttons.append(Button("Keep my answer", "/skip"))
    return Say(text="\n\n".join(parts), buttons=(*buttons, *NAVIGATION))


def review(bank: QuestionBank, record: Mapping[str, Any]) -> Say:
    """Check your answers: every answer, numbered, under its section, in the practitioner's own words."""
    lines = ["Check your answers" + _mode_suffix(bank, record)]
    previous_section = None
    for number, (section, question, answer) in enumerate(reviewed(bank, record), start=1):
        if section != previous_section:
            lines.append(f"\n{section}")
            previous_section = section
        lines.append(f"{number}. {question.text}\n   {_shown(answer)}")
    lines.append(
        "\nTo change an answer, type 'change' and its number (for example 'change 3'). When you are happy "
        "that this is your own account, choose 'Submit to my lead'."
    )
    buttons = (Button("Submit to my lead", "/submit"), Button("Back", "/go_back"), Button("Pause", "/pause"))
    return Say(text="\n".join(lines), buttons=buttons)


def ask_followup(bank: QuestionBank, record: Mapping[str, Any]) -> Say:
    """A danger follow-up question: its own progress line, its answer buttons, skip, carry on, pause."""
    followups = load_followups()
    step, _ = _followup_at(position(bank, record))
    progress = f"{followups.title}, question {followups.number(step)} of {len(followups.steps)}"
    buttons = (
        *(Button(answer, answer) for answer in step.answers),
        Button(followups.skip_label, followups.skip_label),
        Button(followups.leave_label, followups.leave_label),
        Button("Why are you asking?", "/help"),
        Button("Pause", "/pause"),
    )
    return Say(text=f"{progress}{_mode_suffix(bank, record)}\n\n{step.text}", buttons=buttons)


def confirm_start_again(record: Mapping[str, Any]) -> Say:
    given = len(record.get("answers", []))
    cleared = f"the {given} answers you have given" if given != 1 else "the answer you have given"
    kept = " The urgent flag stays." if record.get("urgent") else ""
    return Say(
        text=f"Start again from the first question? This clears {cleared}, so your lead will not see them. "
        f"They stay in this assessment's history, which your lead can ask for.{kept}",
        buttons=(
            Button(START_AGAIN_YES, START_AGAIN_YES),
            Button(START_AGAIN_NO, START_AGAIN_NO),
            Button("Pause", "/pause"),
        ),
    )


def confirmation_words() -> frozenset[str]:
    """What the conduct layer treats as an answer (never a control) while "Start again?" is open."""
    return frozenset({START_AGAIN_YES.lower(), START_AGAIN_NO.lower()})


def reviewed(bank: QuestionBank, record: Mapping[str, Any]) -> list[tuple[str, Any, Mapping[str, Any]]]:
    """(section title, question, latest answer) for every answered question still in the flow, in order."""
    answers = current_answers(record)
    rows = []
    for question in bank.visible_questions(answers):
        given = latest(record, question.id)
        if given is not None:
            rows.append((bank.section(question.section_id).title, question, given))
    return rows


def _shown(answer: Mapping[str, Any]) -> str:
    if answer.get("status") == "skipped":
        return "(skipped)"
    if answer.get("status") == "unsure":
        return f"not sure ({answer.get('text')})"
    return str(answer.get("text"))


def plan_answer(bank: QuestionBank, record: Mapping[str, Any], text: str, *, today: date) -> Plan:
    """Record the message as the answer to the open question, or explain why it can't be."""
    here = position(bank, record)
    if here == REVIEW:
        return plan_change(bank, record, text)
    if confirming_start_again(here):
        return plan_confirm_start_again(bank, record, text)
    if following_up(here):
        return plan_followup_reply(bank, record, text)
    question = bank.question(here)
    parsed = parse_answer(question, text, today=today)
    if isinstance(parsed, AnswerProblem):
        return Plan(say=(Say(text=parsed.message),))
    draft = AnswerDraft(
        question_id=question.id,
        revision=_next_revision(record, question.id),
        wording=question.text,
        text=text,
        value=parsed.value,
        status=parsed.status,
        fact_date=parsed.fact_date,
    )
    draft = _as_replay_if_unchanged(record, draft)
    answers = current_answers(record) | {question.id: parsed.value}
    move_to = next_position(bank, question.id, answers)
    mode = parsed.value if question.effect == "sets_mode" else None
    if question.effect == "danger_if_yes" and (parsed.value == "yes" or parsed.status == "unsure"):
        return Plan(
            say=_danger_reported(record),
            record=draft,
            move_to=_start_followups(move_to),
            urgent_message=text,
            mode=mode,
        )
    if question.effect == "recheck_danger_if_yes" and parsed.value == "yes":
        return Plan(say=(RECHECK_DANGER,), record=draft, move_to=move_to, mode=mode)
    return Plan(record=draft, move_to=move_to, mode=mode)


def plan_followup_reply(bank: QuestionBank, record: Mapping[str, Any], text: str) -> Plan:
    """At a follow-up: the reply is kept verbatim with the urgent flag, then the next follow-up; its
    "skip" and "carry on" buttons move on without keeping anything."""
    followups = load_followups()
    here = position(bank, record)
    step, _ = _followup_at(here)
    said = " ".join(text.split()).lower()
    if said == followups.leave_label.lower():
        return Plan(say=(Say(text=followups.left),), move_to=_back_after_followups(bank, record, here))
    if not said:
        return Plan(say=(Say(text="I didn't get an answer there. Please type your answer, or skip it."),))
    skipped = said == followups.skip_label.lower()
    detail = None if skipped else UrgentDetail(question_id=step.id, wording=step.text, text=text)
    return replace(_next_followup(bank, record, step), urgent_detail=detail)


def _next_followup(bank: QuestionBank, record: Mapping[str, Any], step: FollowUp) -> Plan:
    followups = load_followups()
    here = position(bank, record)
    after = followups.after(step)
    if after is not None:
        return Plan(move_to=danger_position(after.id, _followup_at(here)[1]))
    return Plan(say=(Say(text=followups.finished),), move_to=_back_after_followups(bank, record, here))


def plan_followup_control(bank: QuestionBank, record: Mapping[str, Any], control: str) -> Plan | None:
    """Back, skip and help at a follow-up; None for the controls that work as anywhere else."""
    followups = load_followups()
    here = position(bank, record)
    step, back_to = _followup_at(here)
    if control == "back":
        before = followups.before(step)
        if before is None:
            return Plan(say=(Say(text=followups.first_step_back),))
        return Plan(move_to=danger_position(before.id, back_to))
    if control == "skip":
        return _next_followup(bank, record, step)
    if control == "help":
        return Plan(say=(Say(text=f"Why we ask: {step.why}"),))
    return None


def plan_confirm_start_again(bank: QuestionBank, record: Mapping[str, Any], text: str) -> Plan:
    """Only the exact "yes" clears anything; "no" (in any words) goes back; anything else asks again."""
    said = " ".join(text.split()).lower()
    if said == START_AGAIN_YES.lower():
        return Plan(
            say=(Say(text="Your answers are cleared. Starting again from the first question."),),
            start_again=True,
        )
    if said in {START_AGAIN_NO.lower(), "no", "no thanks", "cancel", "carry on"}:
        return Plan(move_to=_where_confirming_left(bank, record))
    return Plan(
        say=(Say(text=f"Please choose '{START_AGAIN_YES}' or '{START_AGAIN_NO}'. Nothing has been cleared."),)
    )


CHANGE = re.compile(r"^\s*change\s+(?:answer\s+)?(\d{1,3})\s*$", re.IGNORECASE)


def plan_change(bank: QuestionBank, record: Mapping[str, Any], text: str) -> Plan:
    """At the summary, "change 3" reopens answer 3; after it the practitioner comes back to the summary."""
    match = CHANGE.match(text)
    rows = reviewed(bank, record)
    if match and 1 <= int(match.group(1)) <= len(rows):
        return Plan(move_to=rows[int(match.group(1)) - 1][1].id)
    return Plan(
        say=(
            Say(
                text=f"To change an answer, type 'change' and a number from 1 to {len(rows)}; or "
                "choose 'Submit to my lead'."
            ),
        )
    )


def plan_control(bank: QuestionBank, record: Mapping[str, Any], control: str) -> Plan:
    here = position(bank, record)
    answers = current_answers(record)
    if following_up(here) and (followup := plan_followup_control(bank, record, control)) is not None:
        return followup
    if confirming_start_again(here) and control not in {"pause", "stop", "start_again"}:
        if control == "help":
            return Plan(
                say=(
                    Say(
                        text="Starting again clears your answers so that you can give the account afresh. "
                        "Nothing is deleted from the record's history."
                    ),
                )
            )
        return Plan(move_to=_where_confirming_left(bank, record))  # back, skip, resume...: not starting again
    if control == "back":
        before = question_before(bank, record)
        if before is None:
            return Plan(say=(Say(text="This is the first question, so there is nothing to go back to."),))
        return Plan(move_to=before.id)
    if control == "skip":
        if here == REVIEW:
            return Plan()
        question = bank.question(here)
        move_to = next_position(bank, here, answers)
        if latest(record, here) is not None:  # "Keep my answer"
            return Plan(move_to=move_to)
        draft = AnswerDraft(question.id, _next_revision(record, here), question.text, "", None, "skipped")
        return Plan(record=draft, move_to=move_to)
    if control == "help":
        if here == REVIEW:
            return Plan(
                say=(
                    Say(
                        text="This is a summary of your answers. Your lead will see them exactly as "
                        "you typed them."
                    ),
                )
            )
        return Plan(say=(Say(text=f"Why we ask: {bank.question(here).why}"),))
    if control == "pause":
        return Plan(say=(Say(response="utter_paused"),), finish="paused")
    if control == "stop":
        return Plan(say=(Say(response="utter_stopped"),), finish="stopped")
    if control == "start_again":
        if confirming_start_again(here):
            return Plan()  # asked already: the form asks it again
        if not record.get("answers"):
            nothing = Say(text="There are no answers to clear yet.")
            return Plan(say=(nothing,), move_to=bank.first_question().id)
        return Plan(move_to=CONFIRM_START_AGAIN + here)
    if control == "submit":
        if here != REVIEW:
            return Plan(say=(Say(text="You can submit once you reach 'Check your answers' at the end."),))
        next_steps = Say(text=describe(suggest_next_steps(bank, record)))
        return Plan(say=(Say(response="utter_submitted"), next_steps), submit=True, finish="submitted")
    return Plan()  # resume / start_assessment while already in the assessment: just ask again


def plan_danger(bank: QuestionBank, record: Mapping[str, Any], text: str, *, today: date) -> Plan:
    """Immediate danger: guidance first, flag for the lead, then the follow-up questions for the lead, then
    back to where they were. A free-text answer that reports the danger is still recorded as the answer,
    in the practitioner's words (at a follow-up, as that follow-up's reply).

    A submitted assessment is not reopened: the report is passed to the store as it always was (which
    decides whether a submitted record takes it), and nothing else changes."""
    here = position(bank, record)
    button = text.strip().lower() == DANGER_PAYLOAD
    urgent_message = _confirmed_by_button(bank, record) if button else text
    if record.get("status", "in_progress") != "in_progress":
        return Plan(say=(*danger_guidance(record), SUBMITTED_ALREADY), urgent_message=urgent_message)
    if following_up(here) and not button:
        reply = plan_followup_reply(bank, record, text)
        return replace(reply, say=(*danger_guidance(record), *reply.say), urgent_message=text)
    back_to = _where_danger_was_reported(bank, record)
    answered = None
    if not button and asks_a_question(here) and bank.question(here).answer_type.value == "free_text":
        answered = plan_answer(bank, record, text, today=today)
        back_to = answered.move_to or here
    return Plan(
        say=_danger_reported(record),
        record=answered.record if answered else None,
        move_to=_start_followups(back_to),
        urgent_message=urgent_message,
    )


def _confirmed_by_button(bank: QuestionBank, record: Mapping[str, Any]) -> str:
    """The flag's message when the practitioner pressed "Someone is in danger now": the answer it followed."""
    if following_up(position(bank, record)):
        return "Immediate danger reported again with the button, during the questions about the danger."
    before = question_before(bank, record)
    given = latest(record, before.id) if before else None
    if before is None or given is None:
        return "Immediate danger reported with the button."
    return f"Immediate danger reported with the button after answering: {before.text} - {given.get('text')}"


RECHECK_DANGER = Say(
    text="Thank you. If this could happen now or very soon, call 999 first and then tell your safeguarding "
    "lead. If someone is in immediate danger, choose the button and I will flag this for your lead.",
    buttons=(Button("Someone is in danger now", "/report_danger"),),
)


SUBMITTED_ALREADY = Say(
    text="This assessment has already been sent to your lead, so I can't ask you more about it here. "
    "Please tell your lead directly what is happening."
)


def danger_guidance(record: Mapping[str, Any] | None) -> tuple[Say, Say]:
    """Call 999, tell your lead, the public lines: always first. What it says about the flag must be true,
    so a practice run says that its flag reaches no lead's list of real cases."""
    flagged = "utter_danger_rehearsal" if record and record.get("mode") == "rehearsal" else "utter_danger"
    return Say(response=flagged), Say(response="utter_danger_lines")


def unsaved_danger_guidance() -> tuple[Say, Say]:
    """The guidance when the report may not have reached the store: it claims no flag."""
    return Say(response="utter_danger_unsaved"), Say(response="utter_danger_lines")


def _danger_reported(record: Mapping[str, Any]) -> tuple[Say, ...]:
    """The guidance, then a word on the follow-up questions (the form asks the first one next)."""
    return (*danger_guidance(record), Say(text=load_followups().intro))


def _as_replay_if_unchanged(record: Mapping[str, Any], draft: AnswerDraft) -> AnswerDraft:
    """The same answer sent again (after "send it again" or a retry) is the same revision, not a change:
    the store then treats it as an identical replay and the history shows no change that never happened."""
    given = latest(record, draft.question_id)
    fact_date = draft.fact_date.isoformat() if draft.fact_date else None
    if given is not None and (
        given.get("text"),
        given.get("value"),
        given.get("status"),
        given.get("fact_date"),
    ) == (
        draft.text,
        draft.value,
        draft.status,
        fact_date,
    ):
        return replace(draft, revision=int(given["revision"]))
    return draft


def _next_revision(record: Mapping[str, Any], question_id: str) -> int:
    """After the highest stored revision, counting withdrawn ones (which `answers` leaves out)."""
    stored = (record.get("latest_revisions") or {}).get(question_id)
    given = latest(record, question_id)
    return max(int(stored or 0), int(given["revision"]) if given else 0) + 1
