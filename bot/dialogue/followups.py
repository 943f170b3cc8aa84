"""After a danger report: the guidance, then the follow-up questions a lead needs, then back.

Each follow-up is a position (bot.domain.positions.FollowingUpDanger), so the open question is always the
follow-up (a restart resumes there) and it carries where to go afterwards. Their wording is data
(danger_followups.yaml); a step the file no longer has (its wording changed between two messages) is read
as the first step.
"""

from __future__ import annotations

from dataclasses import replace

from bot.dialogue.danger_followups import FollowUp, load_followups
from bot.dialogue.moves import still_there
from bot.dialogue.plan import Button, Plan, Say, UrgentDetail, tell
from bot.dialogue.wording import mode_suffix
from bot.domain.lifecycle import Mode
from bot.domain.positions import FollowingUpDanger, Position
from bot.domain.protocol import Payload
from bot.domain.records import AssessmentRecord
from bot.questions import QuestionBank
from bot.questions.phrases import match_key

SUBMITTED_ALREADY = Say(
    text="This assessment has already been sent to your lead, so I can't ask you more about it here. "
    "Please tell your lead directly what is happening."
)


def danger_guidance(record: AssessmentRecord) -> tuple[Say, Say]:
    """Call 999, tell your lead, the public lines: always first. What it says about the flag must be true,
    so a practice run says that its flag reaches no lead's list of real cases."""
    flagged = "utter_danger_rehearsal" if record.mode == "rehearsal" else "utter_danger"
    return Say(response=flagged), Say(response="utter_danger_lines")


NO_LEAD_REACHED = Say(
    text="If anyone is in immediate danger, call 999 now. No safeguarding lead in your team can be reached "
    "through this service, so phone your safeguarding lead yourself now. Your answers so far are saved."
)


def as_told(says: tuple[Say, ...], record: AssessmentRecord) -> tuple[Say, ...]:
    """The danger replies made true to what the store did (issue #26, item 8): in a live run of a team with no
    lead this service can reach (the store marks it `lead_unreached_at` in the flag's own transaction), "your
    lead can see it" would be false, so the practitioner is told at once to phone their lead instead."""
    if record.mode != Mode.LIVE or record.lead_unreached_at is None:
        return says
    told = load_followups().check.told
    return tuple(
        NO_LEAD_REACHED if say.response == "utter_danger" or say.text == told else say for say in says
    )


def unsaved_danger_guidance() -> tuple[Say, Say]:
    """The guidance when the report may not have reached the store: it claims no flag."""
    return Say(response="utter_danger_unsaved"), Say(response="utter_danger_lines")


def danger_reported(record: AssessmentRecord) -> tuple[Say, ...]:
    """The guidance, then a word on the follow-up questions (the form asks the first one next)."""
    return (*danger_guidance(record), Say(text=load_followups().intro))


def start_followups(back_to: Position) -> FollowingUpDanger:
    return FollowingUpDanger(load_followups().first.id, back_to)


def start_check(back_to: Position) -> FollowingUpDanger:
    """Danger read in typed text: "is anyone in immediate danger now?" first (bot.store.danger_check)."""
    return FollowingUpDanger(load_followups().check.id, back_to)


def check_guidance() -> tuple[Say, Say]:
    """Call 999, tell your lead, the public lines: at once, before the check, claiming nothing of the lead."""
    return Say(text=load_followups().check.guidance), Say(response="utter_danger_lines")


def is_check(here: FollowingUpDanger) -> bool:
    return here.step_id == load_followups().check.id


def step_at(here: FollowingUpDanger) -> FollowUp:
    followups = load_followups()
    return followups.step(here.step_id) or followups.first


def back_after(bank: QuestionBank, record: AssessmentRecord, here: FollowingUpDanger) -> Position:
    """Where the follow-ups at `here` lead back to, if it is still a position (the bank may have changed)."""
    return still_there(bank, record, here.back_to)


def followup_words(here: FollowingUpDanger) -> frozenset[str]:
    """What the conduct layer treats as an answer (never a control) at a follow-up: its buttons' words."""
    followups = load_followups()
    if is_check(here):
        return frozenset(w.lower() for w in (*followups.check.answers, *followups.check.no_words))
    step = step_at(here)
    return frozenset(w.lower() for w in (*step.answers, followups.skip_label, followups.leave_label))


def ask_followup(bank: QuestionBank, record: AssessmentRecord, here: FollowingUpDanger) -> Say:
    """A danger follow-up question: its own progress line, its answer buttons, skip, carry on, pause."""
    followups = load_followups()
    if is_check(here):
        check = followups.check
        buttons = (*(Button(a, a) for a in check.answers), Button("Why are you asking?", Payload.HELP))
        return Say(text=f"{check.text}{mode_suffix(record)}", buttons=buttons)
    step = step_at(here)
    progress = f"{followups.title}, question {followups.number(step)} of {len(followups.steps)}"
    buttons = (
        *(Button(answer, answer) for answer in step.answers),
        Button(followups.skip_label, followups.skip_label),
        Button(followups.leave_label, followups.leave_label),
        Button("Why are you asking?", Payload.HELP),
        Button("Pause", Payload.PAUSE),
    )
    return Say(text=f"{progress}{mode_suffix(record)}\n\n{step.text}", buttons=buttons)


def plan_followup_reply(
    bank: QuestionBank, record: AssessmentRecord, here: FollowingUpDanger, text: str
) -> Plan:
    """At a follow-up: the reply is kept verbatim with the urgent flag, then the next follow-up; its
    "skip" and "carry on" buttons move on without keeping anything."""
    if is_check(here):
        return _check_reply(bank, record, here, text)
    followups = load_followups()
    step = step_at(here)
    said = " ".join(text.split()).lower()
    if said == followups.leave_label.lower():
        return Plan(say=(Say(text=followups.left),), move_to=back_after(bank, record, here))
    if not said:
        return tell("I didn't get an answer there. Please type your answer, or skip it.")
    skipped = said == followups.skip_label.lower()
    detail = None if skipped else UrgentDetail(question_id=step.id, wording=step.text, text=text)
    return replace(_next_followup(bank, record, here), urgent_detail=detail)


def followup_control(
    bank: QuestionBank, record: AssessmentRecord, here: FollowingUpDanger, control: str
) -> Plan | None:
    """Back, skip and help at a follow-up; None for the controls that work as anywhere else."""
    followups = load_followups()
    if is_check(here):
        return _check_control(record, here, control)
    step = step_at(here)
    if control == "back":
        before = followups.before(step)
        if before is None:
            return tell(followups.first_step_back)
        return Plan(move_to=replace(here, step_id=before.id))
    if control == "skip":
        return _next_followup(bank, record, here)
    if control == "help":
        return tell(f"Why we ask: {step.why}")
    return None


def _next_followup(bank: QuestionBank, record: AssessmentRecord, here: FollowingUpDanger) -> Plan:
    followups = load_followups()
    after = followups.after(step_at(here))
    if after is not None:
        return Plan(move_to=replace(here, step_id=after.id))
    return Plan(say=(Say(text=followups.finished),), move_to=back_after(bank, record, here))


def _check_reply(bank: QuestionBank, record: AssessmentRecord, here: FollowingUpDanger, text: str) -> Plan:
    """A clear "no" stands the typed report down and goes back to the assessment; any other reply tells the
    leads at once and goes on to the follow-ups, keeping a reply that is not one of the buttons verbatim."""
    check = load_followups().check
    said = match_key(text)
    if not said:
        return tell("Please choose one of the answers, or type yes, no or not sure.")
    if said in {match_key(word) for word in (check.no, *check.no_words)}:
        return Plan(
            say=(Say(text=check.stood_down),),
            move_to=back_after(bank, record, here),
            urgent_check="not_danger",
        )
    buttons = {match_key(check.yes), match_key(check.unsure)}
    detail = None if said in buttons else UrgentDetail(question_id=check.id, wording=check.text, text=text)
    return replace(_told(record, here), urgent_detail=detail)


def _check_control(record: AssessmentRecord, here: FollowingUpDanger, control: str) -> Plan | None:
    """Help explains; back asks again; skip is no "no", so it tells the leads. The rest work as anywhere (a
    pause or stop leaves the notices to go when the time is up)."""
    check = load_followups().check
    if control == "help":
        return tell(f"Why we ask: {check.why}")
    if control == "back":
        return tell(f"Before anything else: {check.text}")
    if control == "skip":
        return _told(record, here)
    return None


def _told(record: AssessmentRecord, here: FollowingUpDanger) -> Plan:
    followups = load_followups()
    told = followups.check.told_practice if record.mode == "rehearsal" else followups.check.told
    return Plan(
        say=(Say(text=told), Say(text=followups.intro)),
        move_to=replace(here, step_id=followups.first.id),
        urgent_check="confirmed",
    )
