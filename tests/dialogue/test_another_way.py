"""Issue #11: after two replies in a row that the open question cannot read, the question is put another way
with the ways out as buttons, instead of the same refusal again. The count is about one question, restarts
once anything is stored or moved, and survives a control that changes nothing in between."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bot.dialogue.another_way import (
    AGE_EXAMPLES,
    DATE_EXAMPLES,
    SLOT,
    misfits_at,
    put_another_way,
    slot_after,
)
from bot.dialogue.plans import plan_answer, plan_control
from bot.domain.positions import AtQuestion
from bot.domain.records import AnswerRecord, AssessmentRecord
from bot.questions import QuestionBank
from bot.questions.answers import AnswerProblem, ParsedAnswer, parse_answer
from tests.dialogue.records import answer, record

TODAY = date(2025, 12, 12)
DATE_QID = "first_noticed_date"
MISFIT = "a while back, around when the weather turned"


def titles(plan_or_say: object) -> list[str]:
    say = plan_or_say.say[0] if hasattr(plan_or_say, "say") else plan_or_say  # type: ignore[attr-defined]
    return [button.title for button in say.buttons]


# Counting: one question at a time, and only what the slot itself can vouch for.


def test_each_reply_the_question_cannot_read_counts_one_more_at_that_question() -> None:
    first = slot_after(None, DATE_QID, misfit=True, changed=False)
    assert first == {SLOT: {"question": DATE_QID, "count": 1}}
    second = slot_after(first[SLOT], DATE_QID, misfit=True, changed=False)
    assert second == {SLOT: {"question": DATE_QID, "count": 2}}
    assert misfits_at(second[SLOT], DATE_QID) == 2


def test_the_count_restarts_at_another_question_and_once_anything_is_stored_or_moved() -> None:
    before = {"question": DATE_QID, "count": 2}
    assert slot_after(before, "latest_noticed_date", misfit=True, changed=False) == {
        SLOT: {"question": "latest_noticed_date", "count": 1}
    }
    assert misfits_at(before, "latest_noticed_date") == 0
    assert slot_after(before, DATE_QID, misfit=False, changed=True) == {SLOT: None}  # answered or skipped


def test_a_control_that_changes_nothing_leaves_the_count_as_it_was() -> None:
    assert slot_after({"question": DATE_QID, "count": 1}, DATE_QID, misfit=False, changed=False) == {}
    assert slot_after(None, DATE_QID, misfit=False, changed=True) == {}  # nothing to clear: no event


@pytest.mark.parametrize(
    "value",
    ["2", 2, {"question": DATE_QID, "count": "2"}, {"question": DATE_QID, "count": True}, {"count": 2}],
)
def test_a_slot_not_of_our_shape_counts_as_none(value: object) -> None:
    assert misfits_at(value, DATE_QID) == 0
    assert misfits_at({"question": DATE_QID, "count": -3}, DATE_QID) == 0


# The plans: the parser's refusal first, then the question another way.


def at(question_id: str, *answers: AnswerRecord) -> AssessmentRecord:
    return record(AtQuestion(question_id), *answers)


def test_the_first_reply_it_cannot_read_gets_the_refusal_and_is_counted(bank: QuestionBank) -> None:
    plan = plan_answer(bank, at(DATE_QID), MISFIT, today=TODAY)
    assert plan.misfit and plan.record is None and plan.move_to is None and not plan.wait_for_reply
    assert plan.say[0].text is not None and plan.say[0].text.startswith("I couldn't read that as a date.")


def test_the_second_in_a_row_puts_a_date_question_another_way_with_the_ways_out(bank: QuestionBank) -> None:
    misfits = {"question": DATE_QID, "count": 1}
    plan = plan_answer(bank, at(DATE_QID), MISFIT, today=TODAY, misfits=misfits)
    assert plan.misfit and plan.record is None and plan.move_to is None
    assert plan.wait_for_reply  # it takes the question's place: asked again straight after, it would bury it
    text = plan.say[0].text or ""
    assert bank.question(DATE_QID).another_way in text
    for example in ("'12 March'", "'last Tuesday'", "'about 3 weeks ago'", "'not sure'"):
        assert example in text, text
    assert "stays in this conversation's record" in text
    assert [(b.title, b.payload) for b in plan.say[0].buttons] == [
        ("Skip", "/skip"),
        ("Not sure", "Not sure"),
        ("Why we ask", "/help"),
    ]


def test_a_count_kept_for_another_question_does_not_make_this_one_another_way(bank: QuestionBank) -> None:
    misfits = {"question": "latest_noticed_date", "count": 5}
    plan = plan_answer(bank, at(DATE_QID), MISFIT, today=TODAY, misfits=misfits)
    assert (plan.say[0].text or "").startswith("I couldn't read that as a date.")


def test_why_we_ask_in_between_changes_nothing_so_the_next_misfit_is_still_another_way(
    bank: QuestionBank,
) -> None:
    help_plan = plan_control(bank, at(DATE_QID), "help")
    assert help_plan.record is None and help_plan.move_to is None and not help_plan.misfit
    misfits = {"question": DATE_QID, "count": 2}
    assert slot_after(misfits, DATE_QID, misfit=False, changed=False) == {}
    plan = plan_answer(bank, at(DATE_QID), "hmm", today=TODAY, misfits=misfits)
    assert "another way" in (plan.say[0].text or "")


def test_an_answer_after_several_misfits_is_stored_verbatim(bank: QuestionBank) -> None:
    misfits = {"question": DATE_QID, "count": 3}
    plan = plan_answer(bank, at(DATE_QID), "  about 3 weeks ago ", today=TODAY, misfits=misfits)
    assert plan.record is not None and not plan.misfit
    assert (plan.record.text, plan.record.status) == ("  about 3 weeks ago ", "answered")
    assert plan.record.fact_date == date(2025, 11, 21)


# Structure by the kind of answer, and the ways out only where they are allowed.


def test_a_choice_question_lists_its_options_by_the_numbers_the_parser_reads(bank: QuestionBank) -> None:
    question = bank.question("concern_kinds")
    say = put_another_way(question)
    text = say.text or ""
    assert question.another_way in text and "Reply with a number or the words" in text
    options = [c for c in question.choices if c.value != "unsure"]
    for n, choice in enumerate(options, start=1):
        assert f"\n{n}. {choice.label}" in text
        parsed = parse_answer(question, str(n), today=TODAY)
        assert isinstance(parsed, ParsedAnswer) and parsed.value == [choice.value]
    assert titles(say) == [*(c.label for c in options), "Skip", "Not sure", "Why we ask"]


def test_a_required_question_offers_no_skip_and_no_not_sure_where_it_is_not_allowed(
    bank: QuestionBank,
) -> None:
    confirmed = titles(put_another_way(bank.question("own_account_confirmed")))
    assert "Skip" not in confirmed and "Not sure" not in confirmed and confirmed[-1] == "Why we ask"
    danger = put_another_way(bank.question("immediate_danger"))
    assert titles(danger) == ["Yes", "No", "Not sure", "Why we ask"]
    assert "Reply 'yes' or 'no'. If you don't know, 'not sure' is an answer too." in (danger.text or "")


def test_a_question_answered_before_offers_to_keep_that_answer_rather_than_skip(bank: QuestionBank) -> None:
    given = answer(DATE_QID, "2025-11-01", "1 November")
    misfits = {"question": DATE_QID, "count": 1}
    plan = plan_answer(bank, at(DATE_QID, given), "hmm", today=TODAY, misfits=misfits)
    assert titles(plan)[0] == "Keep my answer" and plan.say[0].buttons[0].payload == "/skip"


def test_without_its_own_wording_a_question_is_asked_in_its_own_words_with_the_structure(
    bank: QuestionBank,
) -> None:
    question = bank.question("young_person_age")
    assert question.another_way == ""
    text = put_another_way(question).text or ""
    assert question.text in text and "'14', 'fourteen' or 'about 15'" in text


@pytest.mark.parametrize("date_range", ["past", "future", "any"])
def test_every_date_example_offered_is_one_the_date_question_reads(
    bank: QuestionBank, date_range: str
) -> None:
    question = replace(bank.question(DATE_QID), date_range=date_range)  # type: ignore[arg-type]
    for example in DATE_EXAMPLES[date_range]:
        assert isinstance(parse_answer(question, example, today=TODAY), ParsedAnswer), example
    assert not isinstance(parse_answer(question, "Not sure", today=TODAY), AnswerProblem)


def test_every_age_example_offered_is_one_the_age_question_reads(bank: QuestionBank) -> None:
    question = bank.question("young_person_age")
    for example in AGE_EXAMPLES:
        assert isinstance(parse_answer(question, example, today=TODAY), ParsedAnswer), example
    assert not isinstance(parse_answer(question, "Not sure", today=TODAY), AnswerProblem)
