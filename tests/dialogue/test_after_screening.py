"""From screening to support (issue #12): at the end of the screening part the bot asks once whether to send
the screening answers to the lead now, as a Request for Support, or carry on to the fuller questions. The
shipped bank and wording, walked through the pure plans as the action server would carry them out."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.dialogue.after_screening import load_wording
from bot.dialogue.moves import first_assessment_question, last_screening_question, part_of
from bot.dialogue.plans import ask, plan_answer, plan_control, plan_danger, read_reply
from bot.domain.positions import AfterScreening, AtQuestion, AtReview, FollowingUpDanger, parse_position
from bot.domain.records import AssessmentRecord
from bot.domain.stages import SubmittedStage
from bot.questions import AnswerType, load_bank
from tests.dialogue.records import answer, record

BANK = load_bank()
TODAY = date(2025, 3, 13)
SCREENING_REVIEW = AtReview(SubmittedStage.SCREENING)


def reply_for(question_id: str) -> str:
    """A plain answer a practitioner might give to each kind of question."""
    question = BANK.question(question_id)
    match question.answer_type:
        case AnswerType.FREE_TEXT:
            return "He said the school deserved what was coming."
        case AnswerType.DATE:
            return "yesterday"
        case AnswerType.AGE:
            return "14"
        case AnswerType.YES_NO_UNSURE:
            return "No"
    return question.choices[0].label


def walk_screening() -> tuple[AssessmentRecord, int]:
    """Answer every question until the dialogue leaves the screening questions; the record and the number
    of questions asked."""
    current = record()
    asked = 0
    while True:
        here = parse_position(current.current_question_id) if current.current_question_id else None
        if here is None:
            here = AtQuestion(BANK.first_question().id)
        if not isinstance(here, AtQuestion):
            return current, asked
        plan = plan_answer(BANK, current, reply_for(here.question_id), today=TODAY)
        assert plan.record is not None, plan.say
        asked += 1
        given = answer(plan.record.question_id, plan.record.value, plan.record.text, plan.record.status)
        moved = plan.move_to.stored() if plan.move_to else current.current_question_id
        current = replace(
            current, answers={**current.answers, given.question_id: given}, current_question_id=moved
        )


def at(current: AssessmentRecord, here: object) -> AssessmentRecord:
    return replace(current, current_question_id=here.stored())  # type: ignore[attr-defined]


def test_the_last_screening_answer_leads_to_send_now_or_carry_on_asked_with_buttons_from_the_data() -> None:
    current, asked = walk_screening()
    assert current.current_question_id == AfterScreening().stored()
    assert asked < 20
    assert all(part_of(BANK, BANK.question(qid)) == "screening" for qid in current.answers)
    said = ask(BANK, current)
    wording = load_wording()
    assert said.text is not None and said.text.startswith(wording.question.text)
    titles = [button.title for button in said.buttons]
    assert titles[:2] == [choice.label for choice in wording.question.choices]
    assert {"Back", "Pause"} <= set(titles)


def test_carry_on_asks_the_first_exploratory_question_as_before() -> None:
    current, _ = walk_screening()
    first = first_assessment_question(BANK, current.answer_values())
    assert first is not None
    for typed in ("Carry on to the fuller questions", "carry on", "2", "continue"):
        assert read_reply(BANK, current, typed, "resume", 0.95, today=TODAY).kind == "answer", typed
        plan = plan_answer(BANK, current, typed, today=TODAY)
        assert (plan.move_to, plan.record, plan.submit) == (AtQuestion(first.id), None, False), typed
    # Once carrying on, the next answer goes on through the fuller questions: the choice is not asked again.
    later = plan_answer(BANK, at(current, AtQuestion(first.id)), reply_for(first.id), today=TODAY)
    assert isinstance(later.move_to, AtQuestion)
    assert part_of(BANK, BANK.question(later.move_to.question_id)) == "assessment"


def test_send_now_shows_only_the_screening_answers_then_submits_a_request_for_support() -> None:
    current, _ = walk_screening()
    for typed in ("Send to my lead now", "send now", "1"):
        assert plan_answer(BANK, current, typed, today=TODAY).move_to == SCREENING_REVIEW, typed
    reviewing = at(current, SCREENING_REVIEW)
    summary = ask(BANK, reviewing)
    assert summary.text is not None
    assert load_wording().review_note in summary.text
    assert "You can't submit yet" not in summary.text  # required fuller questions do not block it
    own_account = BANK.question("own_account_confirmed").text
    assert own_account not in summary.text
    assert BANK.question("concern_summary").text in summary.text
    assert summary.buttons[0].payload == "/submit"
    plan = plan_control(BANK, reviewing, "submit")
    assert (plan.submit, plan.submit_stage, plan.finish) == (True, SubmittedStage.SCREENING, "submitted")
    assert plan.say[0].text == load_wording().sent


def test_a_missing_required_screening_answer_still_blocks_the_request_for_support() -> None:
    current, _ = walk_screening()
    answers = {qid: a for qid, a in current.answers.items() if qid != "concern_summary"}
    reviewing = replace(at(current, SCREENING_REVIEW), answers=answers)
    plan = plan_control(BANK, reviewing, "submit")
    assert not plan.submit
    assert plan.say[0].text is not None and "You can't submit yet" in plan.say[0].text


def test_back_from_the_screening_summary_and_from_the_choice() -> None:
    current, _ = walk_screening()
    assert plan_control(BANK, at(current, SCREENING_REVIEW), "back").move_to == AfterScreening()
    last = last_screening_question(BANK, current.answer_values())
    assert last is not None
    assert plan_control(BANK, current, "back").move_to == AtQuestion(last.id)
    # "change 1" from the screening summary, answered, comes back to the choice (nothing fuller answered yet).
    change = plan_answer(BANK, at(current, SCREENING_REVIEW), "change 1", today=TODAY)
    assert isinstance(change.move_to, AtQuestion)


def test_danger_first_at_the_choice_and_back_to_it_after() -> None:
    current, _ = walk_screening()
    plan = plan_danger(BANK, current, "/report_danger", today=TODAY)
    assert plan.urgent_message is not None
    assert isinstance(plan.move_to, FollowingUpDanger)
    assert plan.move_to.back_to == AfterScreening()
    assert parse_position(plan.move_to.stored()) == plan.move_to


def test_a_typed_reply_that_fits_no_choice_changes_nothing_and_says_so() -> None:
    current, _ = walk_screening()
    plan = plan_answer(BANK, current, "purple", today=TODAY)
    assert (plan.move_to, plan.record, plan.submit) == (None, None, False)
    assert plan.say and plan.say[0].text


def test_a_linked_addition_and_an_assessment_already_in_the_fuller_questions_are_not_asked() -> None:
    current, _ = walk_screening()
    last = last_screening_question(BANK, current.answer_values())
    first = first_assessment_question(BANK, current.answer_values())
    assert last is not None and first is not None
    fuller = answer(first.id, None, "", "skipped")
    went_on = replace(at(current, AtQuestion(last.id)), answers={**current.answers, first.id: fuller})
    plan = plan_answer(BANK, went_on, reply_for(last.id), today=TODAY)
    assert plan.move_to != AfterScreening()
    linked = replace(at(current, AtQuestion(last.id)), linked_from="A-EARLY1")
    assert plan_answer(BANK, linked, reply_for(last.id), today=TODAY).move_to != AfterScreening()


def test_the_positions_are_stored_as_text_and_read_back() -> None:
    for here in (AfterScreening(), SCREENING_REVIEW, AtReview()):
        assert parse_position(here.stored()) == here
    assert AtReview().stored() == "__review__"  # rows written by earlier versions still read


def test_after_the_lead_asks_for_the_full_assessment_the_choice_is_not_offered_again() -> None:
    """A screening sent as a Request for Support and reopened by the lead (the stage stays "screening"):
    going back into the screening and answering its last question again carries on into the fuller questions,
    so the screening cannot be sent alone a second time."""
    current, _ = walk_screening()
    reopened = replace(current, submitted_stage=SubmittedStage.SCREENING)
    last = last_screening_question(BANK, reopened.answer_values())
    first = first_assessment_question(BANK, reopened.answer_values())
    assert last is not None and first is not None
    again = plan_answer(BANK, at(reopened, AtQuestion(last.id)), reply_for(last.id), today=TODAY)
    assert again.move_to == AfterScreening()  # where the plan stops; the record's position reads past it
    moved = at(reopened, AfterScreening())
    said = ask(BANK, moved)
    assert said.text is not None and first.text in said.text
    assert load_wording().question.text not in said.text
    send_now = plan_answer(BANK, moved, "send now", today=TODAY)
    assert send_now.move_to != SCREENING_REVIEW and not send_now.submit
