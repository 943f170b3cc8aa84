"""Danger read in typed text is checked with the practitioner (issue #26, item 5): pure plans over the shipped
bank and follow-up file.

The 999 advice comes at once; then "is anyone in immediate danger now?". Only a clear "no" stands the report
down (`urgent_check="not_danger"`) and goes back to the assessment; "yes", "not sure", anything typed, or
skipping tells the leads (`"confirmed"`) and goes on to the follow-ups, keeping typed words verbatim. The
button and the danger question are reports already: they are never checked. The store's side (notices held
and withdrawn) is tests/notify/test_typed_danger_check.py.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.dialogue.danger_followups import load_followups
from bot.dialogue.plans import Plan, UrgentDetail, ask, plan_answer, plan_control, plan_danger, read_reply
from bot.domain.positions import REVIEW, AtQuestion, FollowingUpDanger, Position, parse_position
from bot.domain.records import AssessmentRecord
from bot.questions import QuestionBank
from tests.dialogue.records import record

TODAY = date(2025, 3, 13)
FOLLOWUPS = load_followups()
CHECK = FOLLOWUPS.check
FIRST = FOLLOWUPS.first.id
TYPED = "He said he'd stab someone at lunch today"


def at(here: Position | str, *, mode: str = "live") -> AssessmentRecord:
    return record(here, mode=mode, urgent=True)


def checking(back_to: str) -> FollowingUpDanger:
    return FollowingUpDanger(CHECK.id, parse_position(back_to))


def said(plan: Plan) -> list[str]:
    return [say.response or say.text or "" for say in plan.say]


# -- when the check is asked -------------------------------------------------------------------------------


def test_danger_typed_at_a_free_text_question_is_kept_as_its_answer_then_checked(bank: QuestionBank) -> None:
    plan = plan_danger(bank, at("concern_summary"), TYPED, today=TODAY)

    assert said(plan) == [CHECK.guidance, "utter_danger_lines"]  # 999 at once; no claim that a lead knows
    assert (plan.urgent_message, plan.urgent_typed) == (TYPED, True)
    assert plan.record is not None and plan.record.text == TYPED
    assert plan.move_to == checking("concern_summary__source")


def test_danger_typed_at_a_choice_question_is_checked_and_comes_back_to_it(bank: QuestionBank) -> None:
    plan = plan_danger(bank, at("practitioner_role"), TYPED, today=TODAY)

    assert (plan.urgent_typed, plan.record, plan.move_to) == (True, None, checking("practitioner_role"))


@pytest.mark.parametrize(
    ("here", "text"),
    [
        ("practitioner_role", "/report_danger"),  # the button is a report, never checked
        ("immediate_danger", TYPED),  # typed at "is anyone in immediate danger?" answers it already
    ],
)
def test_the_button_and_the_danger_question_are_reports_already(
    bank: QuestionBank, here: str, text: str
) -> None:
    plan = plan_danger(bank, at(here), text, today=TODAY)

    assert plan.urgent_typed is False
    assert isinstance(plan.move_to, FollowingUpDanger) and plan.move_to.step_id == FIRST
    assert said(plan)[0] == "utter_danger"


def test_a_submitted_assessment_is_not_checked(bank: QuestionBank) -> None:
    plan = plan_danger(bank, record(REVIEW, status="submitted"), TYPED, today=TODAY)

    assert (plan.urgent_typed, plan.move_to) == (False, None)


def test_the_check_is_one_question_with_its_three_answers_and_why(bank: QuestionBank) -> None:
    say = ask(bank, at(checking("concern_summary__source")))

    assert say.text is not None and say.text.startswith(CHECK.text)
    assert [b.title for b in say.buttons] == [*CHECK.answers, "Why are you asking?"]
    assert checking("concern_summary__source").stored() == "__danger__.danger_check.concern_summary__source"


# -- the answers ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("reply", [CHECK.no, "no", "No.", "nope", "Nobody is in danger", "no, it's fine"])
def test_a_clear_no_stands_it_down_and_goes_back_to_the_assessment(bank: QuestionBank, reply: str) -> None:
    here = at(checking("concern_summary__source"))

    assert read_reply(bank, here, reply, "deny", 0.99, today=TODAY).kind == "answer"
    plan = plan_answer(bank, here, reply, today=TODAY)

    assert plan.urgent_check == "not_danger"
    assert said(plan) == [CHECK.stood_down]
    assert plan.move_to == AtQuestion("concern_summary__source")
    assert (plan.urgent_detail, plan.urgent_message, plan.record) == (None, None, None)


@pytest.mark.parametrize("reply", [CHECK.yes, CHECK.unsure, "yes", "I'm not sure"])
def test_yes_or_not_sure_tells_the_leads_and_goes_on_to_the_follow_ups(
    bank: QuestionBank, reply: str
) -> None:
    plan = plan_answer(bank, at(checking("practitioner_role")), reply, today=TODAY)

    assert plan.urgent_check == "confirmed"
    assert said(plan) == [CHECK.told, FOLLOWUPS.intro]
    assert plan.move_to == FollowingUpDanger(FIRST, AtQuestion("practitioner_role"))
    # A button's words say nothing new; typed words are kept, verbatim, with the flag.
    kept = UrgentDetail(question_id=CHECK.id, wording=CHECK.text, text=reply)
    assert plan.urgent_detail == (None if reply in CHECK.answers else kept)


@pytest.mark.parametrize(
    "reply",
    [
        "no, but he said he would do it tomorrow",  # not a clear no: the leads are told
        "he has got the knife out now",
        "maybe, I can't tell",
    ],
)
def test_anything_else_tells_the_leads_and_is_kept_verbatim(bank: QuestionBank, reply: str) -> None:
    here = at(checking("practitioner_role"))
    typed = f" {reply} \n"

    assert read_reply(bank, here, typed, "report_danger", 0.95, today=TODAY).kind == "answer"
    plan = plan_answer(bank, here, typed, today=TODAY)

    assert plan.urgent_check == "confirmed"
    assert plan.urgent_detail == UrgentDetail(question_id=CHECK.id, wording=CHECK.text, text=typed)


def test_a_practice_run_is_told_no_lead_hears_of_it(bank: QuestionBank) -> None:
    plan = plan_answer(bank, at(checking("practitioner_role"), mode="rehearsal"), "yes", today=TODAY)

    assert (plan.urgent_check, said(plan)[0]) == ("confirmed", CHECK.told_practice)


def test_an_empty_reply_asks_again_and_changes_nothing(bank: QuestionBank) -> None:
    plan = plan_answer(bank, at(checking("practitioner_role")), " ... ", today=TODAY)

    assert (plan.urgent_check, plan.move_to) == (None, None)


# -- the controls --------------------------------------------------------------------------------------------


def test_skip_is_no_no_so_it_tells_the_leads(bank: QuestionBank) -> None:
    plan = plan_control(bank, at(checking("practitioner_role")), "skip")

    assert plan.urgent_check == "confirmed"
    assert plan.move_to == FollowingUpDanger(FIRST, AtQuestion("practitioner_role"))


def test_help_explains_back_asks_again_and_pause_leaves_the_notices_to_the_time(bank: QuestionBank) -> None:
    here = at(checking("practitioner_role"))

    assert said(plan_control(bank, here, "help")) == [f"Why we ask: {CHECK.why}"]
    back = plan_control(bank, here, "back")
    assert (back.move_to, back.urgent_check) == (None, None) and CHECK.text in said(back)[0]
    pause = plan_control(bank, here, "pause")
    assert (pause.finish, pause.urgent_check) == ("paused", None)
