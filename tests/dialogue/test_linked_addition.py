"""Adding to a submitted assessment (issue #26 item 9): the new, linked assessment asks the danger question
first (guardrail 2: danger first, for every run), then what is new, then offers to send it at once or to go
through the questions again; an assessment that adds to nothing never sees either of those two questions. The
shipped bank, as the product loads it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.dialogue.plans import ask, plan_answer, plan_control
from bot.domain.positions import AtQuestion, AtReview, Position
from bot.domain.records import AnswerRecord, AssessmentRecord
from bot.questions import load_bank
from tests.dialogue.records import answer, record

BANK = load_bank()
TODAY = date(2025, 3, 13)
WHAT_IS_NEW = "  His sister rang: he has been skipping school since Monday.\n"


def linked(*answers: AnswerRecord, here: Position | None = None) -> AssessmentRecord:
    return replace(record(here, *answers), linked_from="A-EARLY1")


NO_DANGER = answer("immediate_danger", "no", "No")


def test_a_linked_assessment_asks_about_danger_first_then_what_is_new_and_it_is_required() -> None:
    first = ask(BANK, linked())
    assert first.text is not None and "Is anyone in immediate danger right now?" in first.text
    moved = plan_answer(BANK, linked(here=AtQuestion("immediate_danger")), "No", today=TODAY)
    assert moved.move_to == AtQuestion("what_is_new")
    said = ask(BANK, linked(NO_DANGER, here=moved.move_to))
    assert said.text is not None
    assert "What has happened or come to light since you submitted your earlier assessment?" in said.text
    assert "Skip" not in [button.title for button in said.buttons]
    refused = plan_control(BANK, linked(NO_DANGER, here=AtQuestion("what_is_new")), "skip")
    assert (refused.record, refused.move_to) == (None, None)


def test_an_assessment_that_adds_to_nothing_starts_at_the_danger_question_as_before() -> None:
    said = ask(BANK, record())
    assert said.text is not None and "Is anyone in immediate danger right now?" in said.text
    assert "what is new" not in said.text.lower()


def test_what_is_new_is_kept_verbatim_then_send_it_now_is_offered() -> None:
    plan = plan_answer(BANK, linked(here=AtQuestion("what_is_new")), WHAT_IS_NEW, today=TODAY)
    assert plan.record is not None and plan.record.text == WHAT_IS_NEW
    assert plan.move_to == AtQuestion("send_addition_now")
    said = ask(BANK, linked(answer("what_is_new", WHAT_IS_NEW, WHAT_IS_NEW), here=plan.move_to))
    assert [b.title for b in said.buttons][:2] == ["Yes", "No"]


def test_send_it_now_goes_to_check_your_answers_and_can_be_submitted_at_once() -> None:
    given = answer("what_is_new", WHAT_IS_NEW, WHAT_IS_NEW)
    plan = plan_answer(
        BANK, linked(NO_DANGER, given, here=AtQuestion("send_addition_now")), "Yes", today=TODAY
    )
    assert plan.move_to == AtReview()
    at_review = linked(NO_DANGER, given, answer("send_addition_now", "yes", "Yes"), here=AtReview())
    summary = ask(BANK, at_review)
    assert summary.text is not None and "You can't submit yet" not in summary.text
    assert ("Submit to my lead", "/submit") in [(b.title, b.payload) for b in summary.buttons]
    submitted = plan_control(BANK, at_review, "submit")
    assert submitted.submit and submitted.finish == "submitted"


def test_carrying_on_goes_through_the_questions_and_the_usual_required_questions_stay_required() -> None:
    given = answer("what_is_new", WHAT_IS_NEW, WHAT_IS_NEW)
    plan = plan_answer(
        BANK, linked(NO_DANGER, given, here=AtQuestion("send_addition_now")), "No", today=TODAY
    )
    assert plan.move_to == AtQuestion("discussed_with_lead")
    at_review = linked(NO_DANGER, given, answer("send_addition_now", "no", "No"), here=AtReview())
    refused = plan_control(BANK, at_review, "submit")
    assert not refused.submit
    assert refused.say[0].text is not None and refused.say[0].text.startswith("You can't submit yet")


def test_going_back_from_the_danger_question_has_nowhere_to_go_and_start_again_returns_to_it() -> None:
    here = linked(here=AtQuestion("immediate_danger"))
    back = plan_control(BANK, here, "back")
    assert back.move_to is None
    nothing_to_clear = plan_control(BANK, here, "start_again")
    assert nothing_to_clear.move_to == AtQuestion("immediate_danger")
    assert plan_control(BANK, linked(NO_DANGER, here=AtQuestion("what_is_new")), "back").move_to == (
        AtQuestion("immediate_danger")
    )
