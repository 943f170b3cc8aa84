"""Issue #18: the dialogue reads a rough "when" with the young person's age already given, so "since Year 9"
is stored as typed with the calendar range it means; without an age it is kept as typed with no range."""

from __future__ import annotations

from datetime import date

from bot.dialogue.plans import plan_answer
from bot.domain.positions import AtQuestion
from bot.domain.records import AnswerRecord, AssessmentRecord
from bot.questions import QuestionBank
from tests.dialogue.records import answer, record

TODAY = date(2026, 3, 10)  # in the school year that began in September 2025
WHEN = "weapons_or_materials__when"


def at_when(*earlier: AnswerRecord) -> AssessmentRecord:
    return record(
        AtQuestion(WHEN),
        *earlier,
        answer("weapons_or_materials", None, "Not sure", status="unsure"),
        answer("weapons_or_materials_detail", "a knife in his bag", "a knife in his bag"),
    )


def test_since_year_9_at_fifteen_is_stored_as_typed_with_its_range(bank: QuestionBank) -> None:
    plan = plan_answer(bank, at_when(answer("young_person_age", 15, "15")), "since Year 9", today=TODAY)
    assert plan.record is not None
    # Fifteen now: Year 10 or Year 11, so Year 9 began in September 2023 or 2024; "since" runs to today.
    assert plan.record.value == {"as_typed": "since Year 9", "earliest": "2023-09-01", "latest": "2026-03-10"}
    assert plan.record.fact_date == date(2023, 9, 1)


def test_without_an_age_since_year_9_is_kept_as_typed_with_no_range(bank: QuestionBank) -> None:
    plan = plan_answer(bank, at_when(), "since Year 9", today=TODAY)
    assert plan.record is not None
    assert plan.record.value == {"as_typed": "since Year 9", "earliest": None, "latest": None}
    assert plan.record.fact_date is None


def test_a_school_year_the_child_has_not_reached_is_asked_again_with_nothing_recorded(
    bank: QuestionBank,
) -> None:
    plan = plan_answer(bank, at_when(answer("young_person_age", 12, "12")), "since Year 12", today=TODAY)
    assert plan.record is None
    assert plan.move_to is None
    assert any("since Year 9" in said.text for said in plan.say)
