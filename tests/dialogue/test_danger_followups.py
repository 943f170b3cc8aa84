"""The danger path asks what a lead needs: pure plans over the shipped bank and follow-up file.

After any danger report (the danger question answered "yes" or "not sure", the button, danger read in a
typed message) the guidance comes first, then four follow-up questions, each reply kept verbatim with the
urgent flag, then back to where the practitioner was.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from bot.dialogue.danger_followups import FollowUpsError, load_followups, parse_followups
from bot.dialogue.plans import (
    START_AGAIN_NO,
    Plan,
    UrgentDetail,
    ask,
    followup_words,
    plan_answer,
    plan_control,
    plan_danger,
    question_before,
    resume_point,
)
from bot.dialogue.reading import read_message
from bot.domain.limits import MAX_NAME_CHARS
from bot.domain.positions import (
    DANGER_PREFIX,
    REVIEW,
    AtQuestion,
    AtReview,
    ConfirmingStartAgain,
    FollowingUpDanger,
    Position,
    parse_position,
)
from bot.domain.records import AssessmentRecord
from bot.questions import QuestionBank
from tests.dialogue.records import answer, record
from tests.questions.test_shipped_bank import BANNED, FAITH

TODAY = date(2025, 3, 13)
FOLLOWUPS = load_followups()
STEP_IDS = [step.id for step in FOLLOWUPS.steps]
FIRST, LAST = STEP_IDS[0], STEP_IDS[-1]
GUIDANCE = ["utter_danger", "utter_danger_lines"]
VERBATIM = [
    "  He is in the car park, shouting 😡 \n",
    "999 called - ref CAD 1234 of 13/03 ",
    "\tWith his mum",
]


def at(
    here: Position | str, *, mode: str = "live", urgent: bool = True, status: str = "in_progress"
) -> AssessmentRecord:
    """A record as the store returns it, open at `here` (typed, or the text as stored), the mode chosen."""
    given = answer("mode", mode, "A real young person")
    return record(here, given, mode=mode, urgent=urgent, status=status)


def followup(step: str, back_to: str) -> FollowingUpDanger:
    """The follow-up `step`, going back to `back_to` (a question id or REVIEW) afterwards."""
    return FollowingUpDanger(step, parse_position(back_to))


def said(plan: Plan) -> list[str]:
    return [say.response or say.text or "" for say in plan.say]


# -- the file ------------------------------------------------------------------------------------------


def test_the_lead_gets_asked_what_happens_999_where_and_who_in_that_order() -> None:
    assert STEP_IDS == ["happening_now", "emergency_call", "whereabouts", "who_is_with_them"]
    texts = [step.text.lower() for step in FOLLOWUPS.steps]
    assert "happening now" in texts[0]
    assert "999" in texts[1] and "reference" in texts[1]
    assert "where is the young person" in texts[2]
    assert "who is with the young person" in texts[3]
    assert all(step.why for step in FOLLOWUPS.steps)


@pytest.mark.parametrize("word", BANNED + FAITH)
def test_the_wording_names_no_label_ideology_or_faith(word: str) -> None:
    pattern = re.compile(rf"\b{re.escape(word)}", re.IGNORECASE)
    shown = [FOLLOWUPS.intro, FOLLOWUPS.title, FOLLOWUPS.finished, FOLLOWUPS.first_step_back]
    for step in FOLLOWUPS.steps:
        shown += [step.text, step.why, *step.answers]
    assert [text for text in shown if pattern.search(text)] == []


def test_every_position_fits_the_store_for_every_question_it_can_return_to(bank: QuestionBank) -> None:
    for question_id in [*(q.id for q in bank.questions), REVIEW]:
        for step in STEP_IDS:
            longest = ConfirmingStartAgain(followup(step, question_id)).stored()
            assert len(longest) <= MAX_NAME_CHARS, longest
            assert re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*", longest)


def shipped() -> dict[str, Any]:
    return {
        "intro": "i",
        "title": "t",
        "resume_name": "r",
        "skip_label": "Skip this question",
        "leave_label": "Carry on",
        "first_step_back": "f",
        "finished": "d",
        "left": "l",
        "check": CHECK,
        "steps": [{"id": "one", "text": "Q?", "why": "W", "answers": ["No"]}],
    }


CHECK = {
    "id": "check",
    "guidance": "Call 999",
    "text": "In danger now?",
    "why": "W",
    "yes": "Yes",
    "unsure": "Not sure",
    "no": "No",
    "no_words": ["nope"],
    "told": "Told",
    "told_practice": "Practice",
    "stood_down": "Stood down",
}


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"steps": [{"id": "has.dot", "text": "Q?", "why": "W"}]}, "id"),
        ({"steps": [{"id": "one", "text": "Q?", "why": "W"}] * 2}, "unique"),
        ({"steps": [{"id": "one", "text": "Q?", "why": "W", "answers": ["carry on"]}]}, "control label"),
        ({"steps": [{"id": "one", "text": "Q?", "why": "W", "answers": ["/skip"]}]}, "'/'"),
        ({"steps": [{"id": "one", "text": "", "why": "W"}]}, "text"),
        ({"steps": []}, "non-empty list"),
        ({"colour": "red"}, "unknown"),
        ({"leave_label": "skip THIS question"}, "differ"),
        ({"check": None}, "check: must be a mapping"),
        ({"check": {**CHECK, "id": "one"}}, "unique"),
        ({"check": {**CHECK, "no_words": [False]}}, "quote 'no'"),
        ({"check": {**{k: v for k, v in CHECK.items() if k != "yes"}, True: "Yes"}}, "quote the keys"),
        ({"check": {**CHECK, "unsure": "yes"}}, "must differ"),
    ],
)
def test_a_broken_file_is_refused_naming_the_field(change: dict[str, Any], problem: str) -> None:
    with pytest.raises(FollowUpsError, match=re.escape(problem)):
        parse_followups({**shipped(), **change})


# -- starting the follow-ups -----------------------------------------------------------------------------


@pytest.mark.parametrize("reply", ["Yes", "yes", "Not sure", "not sure", "maybe", "I don't know"])
def test_yes_or_not_sure_to_the_danger_question_flags_and_starts_the_follow_ups(
    bank: QuestionBank, reply: str
) -> None:
    plan = plan_answer(bank, at("immediate_danger", urgent=False), reply, today=TODAY)

    assert plan.urgent_message == reply
    assert plan.record is not None and plan.record.question_id == "immediate_danger"
    assert said(plan)[:2] == GUIDANCE  # the 999 guidance before anything else
    assert said(plan)[2] == FOLLOWUPS.intro
    assert plan.move_to == followup(FIRST, "discussed_with_lead")


def test_no_to_the_danger_question_flags_nothing(bank: QuestionBank) -> None:
    plan = plan_answer(bank, at("immediate_danger", urgent=False), "No", today=TODAY)

    assert (plan.urgent_message, plan.say, plan.move_to) == (None, (), AtQuestion("discussed_with_lead"))


def test_a_practice_run_is_told_its_flag_reaches_no_lead(bank: QuestionBank) -> None:
    plan = plan_answer(bank, at("immediate_danger", mode="rehearsal"), "Yes", today=TODAY)

    assert said(plan)[:2] == ["utter_danger_rehearsal", "utter_danger_lines"]


def test_the_button_at_a_choice_question_comes_back_to_that_question(bank: QuestionBank) -> None:
    plan = plan_danger(bank, at("practitioner_role"), "/report_danger", today=TODAY)

    assert said(plan) == [*GUIDANCE, FOLLOWUPS.intro]
    assert plan.urgent_message is not None and plan.urgent_message.startswith("Immediate danger reported")
    assert (plan.record, plan.move_to) == (None, followup(FIRST, "practitioner_role"))


def test_danger_typed_at_a_free_text_question_is_its_answer_then_the_follow_ups(bank: QuestionBank) -> None:
    typed = "  He says he'll stab someone at lunch today 🔪\n"
    plan = plan_danger(bank, at("concern_summary"), typed, today=TODAY)

    assert plan.urgent_message == typed
    assert plan.record is not None
    assert (plan.record.question_id, plan.record.text) == ("concern_summary", typed)
    # Read in typed text: checked with the practitioner first (tests/dialogue/test_danger_check.py).
    assert plan.urgent_typed is True
    assert plan.move_to == followup(FOLLOWUPS.check.id, "concern_summary__source")


def test_danger_at_the_summary_comes_back_to_the_summary(bank: QuestionBank) -> None:
    plan = plan_danger(bank, at(REVIEW), "he has a gun now", today=TODAY)

    assert plan.move_to == followup(FOLLOWUPS.check.id, REVIEW)


def test_danger_while_asked_to_start_again_goes_back_to_where_that_was_asked(bank: QuestionBank) -> None:
    plan = plan_danger(
        bank, at(ConfirmingStartAgain(AtQuestion("practitioner_role"))), "/report_danger", today=TODAY
    )

    assert plan.move_to == followup(FIRST, "practitioner_role")


def test_a_submitted_assessment_is_not_reopened(bank: QuestionBank) -> None:
    plan = plan_danger(bank, at(REVIEW, status="submitted"), "he has a knife now", today=TODAY)

    assert (plan.move_to, plan.record, plan.urgent_detail) == (None, None, None)
    assert plan.urgent_message == "he has a knife now"  # passed to the store as before; it decides
    assert said(plan)[:2] == GUIDANCE and "already been sent to your lead" in said(plan)[2]


# -- each step ---------------------------------------------------------------------------------------------


def test_each_step_is_asked_with_its_progress_buttons_and_no_bank_navigation(bank: QuestionBank) -> None:
    for number, step in enumerate(FOLLOWUPS.steps, start=1):
        say = ask(bank, at(followup(step.id, "practitioner_role")))

        assert say.text is not None
        assert say.text.startswith(f"Questions about the danger you reported, question {number} of 4 · Live")
        assert say.text.endswith(step.text)
        titles = [(b.title, b.payload) for b in say.buttons]
        assert titles == [
            *((a, a) for a in step.answers),
            ("Skip this question", "Skip this question"),
            ("Carry on with the assessment", "Carry on with the assessment"),
            ("Why are you asking?", "/help"),
            ("Pause", "/pause"),
        ]


def test_the_999_question_offers_answers_but_a_typed_reference_is_kept_too(bank: QuestionBank) -> None:
    here = followup("emergency_call", "practitioner_role")
    assert "No, not yet" in [b.title for b in ask(bank, at(here)).buttons]

    pressed = plan_answer(bank, at(here), "No, not yet", today=TODAY)
    typed = plan_answer(bank, at(here), "yes, police ref 4455 of 13 March", today=TODAY)

    assert pressed.urgent_detail is not None and pressed.urgent_detail.text == "No, not yet"
    assert typed.urgent_detail is not None and typed.urgent_detail.text == "yes, police ref 4455 of 13 March"


@pytest.mark.parametrize("index", range(len(STEP_IDS)))
@pytest.mark.parametrize("typed", VERBATIM)
def test_every_reply_is_kept_verbatim_then_the_next_step(bank: QuestionBank, index: int, typed: str) -> None:
    step = FOLLOWUPS.steps[index]
    plan = plan_answer(bank, at(followup(step.id, "practitioner_role")), typed, today=TODAY)

    assert plan.urgent_detail == UrgentDetail(question_id=step.id, wording=step.text, text=typed)
    assert (plan.record, plan.urgent_message) == (None, None)  # no answer in the bank, no new danger report
    if index + 1 < len(STEP_IDS):
        assert plan.move_to == followup(STEP_IDS[index + 1], "practitioner_role")
        assert plan.say == ()
    else:
        assert plan.move_to == AtQuestion("practitioner_role")
        assert said(plan) == [FOLLOWUPS.finished]


def test_after_the_last_step_back_to_the_summary_when_that_is_where_they_were(bank: QuestionBank) -> None:
    plan = plan_answer(bank, at(followup(LAST, REVIEW)), "his mum", today=TODAY)

    assert plan.move_to == AtReview()


@pytest.mark.parametrize("how", ["Skip this question", "  skip THIS   question ", "control"])
def test_skip_keeps_nothing_and_moves_on(bank: QuestionBank, how: str) -> None:
    here = followup(FIRST, "practitioner_role")
    if how == "control":
        plan = plan_control(bank, at(here), "skip")
    else:
        plan = plan_answer(bank, at(here), how, today=TODAY)

    assert (plan.urgent_detail, plan.record) == (None, None)
    assert plan.move_to == followup(STEP_IDS[1], "practitioner_role")


def test_skipping_the_last_step_goes_back(bank: QuestionBank) -> None:
    plan = plan_control(bank, at(followup(LAST, "practitioner_role")), "skip")

    assert (plan.urgent_detail, plan.move_to) == (None, AtQuestion("practitioner_role"))


@pytest.mark.parametrize("step", STEP_IDS)
def test_carry_on_leaves_the_follow_ups_keeping_nothing(bank: QuestionBank, step: str) -> None:
    here = followup(step, "practitioner_role")
    plan = plan_answer(bank, at(here), "Carry on with the assessment", today=TODAY)

    assert (plan.urgent_detail, plan.move_to, said(plan)) == (
        None,
        AtQuestion("practitioner_role"),
        [FOLLOWUPS.left],
    )


@pytest.mark.parametrize("step", FOLLOWUPS.steps, ids=STEP_IDS)
def test_why_are_you_asking_explains_what_the_lead_needs(bank: QuestionBank, step: Any) -> None:
    plan = plan_control(bank, at(followup(step.id, "practitioner_role")), "help")

    assert said(plan) == [f"Why we ask: {step.why}"]
    assert (plan.move_to, plan.urgent_detail) == (None, None)


def test_back_goes_to_the_previous_follow_up_and_not_out_of_the_first(bank: QuestionBank) -> None:
    second = plan_control(bank, at(followup(STEP_IDS[1], "practitioner_role")), "back")
    first = plan_control(bank, at(followup(FIRST, "practitioner_role")), "back")

    assert second.move_to == followup(FIRST, "practitioner_role")
    assert (first.move_to, said(first)) == (None, [FOLLOWUPS.first_step_back])
    assert question_before(bank, at(followup(FIRST, "practitioner_role"))) is None


def test_pause_keeps_the_follow_up_open_and_the_restart_names_it(bank: QuestionBank) -> None:
    paused = at(followup(STEP_IDS[2], "practitioner_role"))
    plan = plan_control(bank, paused, "pause")

    assert (plan.finish, plan.move_to) == ("paused", None)
    assert resume_point(bank, paused) == "the questions about the danger you reported"
    assert resume_point(bank, record(followup(FIRST, REVIEW))) == (
        "the questions about the danger you reported"
    )


def test_start_again_at_a_follow_up_asks_first_and_no_comes_back_to_it(bank: QuestionBank) -> None:
    here = followup(STEP_IDS[1], "practitioner_role")
    asked = plan_control(bank, at(here), "start_again")
    assert asked.move_to == ConfirmingStartAgain(here)

    declined = plan_answer(bank, at(ConfirmingStartAgain(here)), START_AGAIN_NO, today=TODAY)
    assert declined.move_to == here


def test_a_second_report_by_button_is_flagged_again_and_does_not_nest(bank: QuestionBank) -> None:
    here = followup(STEP_IDS[2], "practitioner_role")
    plan = plan_danger(bank, at(here), "/report_danger", today=TODAY)

    assert said(plan) == [*GUIDANCE, FOLLOWUPS.intro]
    assert plan.urgent_message == (
        "Immediate danger reported again with the button, during the questions about the danger."
    )
    assert plan.move_to == followup(FIRST, "practitioner_role")
    assert plan.move_to is not None and plan.move_to.stored().count(DANGER_PREFIX) == 1


def test_danger_typed_at_a_follow_up_is_that_reply_and_flagged_without_nesting(bank: QuestionBank) -> None:
    here = followup(FIRST, "practitioner_role")
    typed = " He has a knife and is threatening staff now "
    plan = plan_danger(bank, at(here), typed, today=TODAY)

    assert plan.urgent_message == typed
    assert plan.urgent_detail == UrgentDetail(FIRST, FOLLOWUPS.first.text, typed)
    assert plan.move_to == followup(STEP_IDS[1], "practitioner_role")
    assert said(plan) == GUIDANCE


def test_at_a_follow_up_its_buttons_words_are_answers_never_controls() -> None:
    words = followup_words(followup("emergency_call", "practitioner_role"))

    assert {"skip this question", "carry on with the assessment", "no, not yet"} <= words
    for text, intent in [("Skip this question", "skip"), ("Carry on with the assessment", "stop")]:
        assert read_message(text, intent, 0.99, choice_words=words).kind == "answer"
    assert read_message("/pause", "pause", 1.0, choice_words=words).control == "pause"


def test_a_step_or_return_point_that_no_longer_exists_is_read_safely(bank: QuestionBank) -> None:
    stale_step = at(f"{DANGER_PREFIX}a_removed_step.practitioner_role")
    stale_return = at(followup(LAST, "a_removed_question"))

    assert FOLLOWUPS.first.text in (ask(bank, stale_step).text or "")
    assert plan_answer(bank, stale_return, "his dad", today=TODAY).move_to == AtQuestion("immediate_danger")


def test_empty_text_at_a_follow_up_keeps_nothing(bank: QuestionBank) -> None:
    plan = plan_answer(bank, at(followup(FIRST, "practitioner_role")), "   ", today=TODAY)

    assert (plan.urgent_detail, plan.move_to) == (None, None)
