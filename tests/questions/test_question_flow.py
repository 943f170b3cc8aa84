"""Walking a bank: follow-ups appear only when their conditions hold, and progress counts what is visible."""

from __future__ import annotations

import pytest

from bot.questions import Progress, Question, QuestionBank, bank_from_text
from tests.questions.questions_helpers import bank_yaml, question, section

NEEDS = [
    {"value": "bullying", "label": "Bullying"},
    {"value": "moved", "label": "A recent move"},
    {"value": "none", "label": "None of these"},
]


@pytest.fixture(scope="module")
def bank() -> QuestionBank:
    return bank_from_text(
        bank_yaml(
            section(
                "start",
                question("mode", "single_choice", allow_unsure=False),
                question("danger"),
                question("danger_detail", "free_text", show_if={"question": "danger", "equals": "yes"}),
            ),
            section(
                "noticed",
                question("summary", "free_text", ask_source=True),
                question("needs", "multiple_choice", choices=NEEDS),
                question("needs_detail", "free_text", show_if={"question": "needs", "answered": True}),
                question(
                    "move_detail",
                    "yes_no_unsure",
                    show_if={"question": "needs", "includes": ["moved"]},
                ),
                question("move_when", "date", show_if={"question": "move_detail", "equals": "yes"}),
                question("last", "free_text", optional=True),
            ),
        )
    )


def id_of(found: Question | None) -> str | None:
    return found.id if found is not None else None


def walk(bank: QuestionBank, answers: dict[str, object]) -> list[str]:
    asked, current = [], bank.first_question()
    while current is not None:
        asked.append(current.id)
        current = bank.next_question(current.id, answers)
    return asked


def test_with_no_answers_only_unconditional_questions_are_asked(bank: QuestionBank) -> None:
    assert bank.first_question().id == "mode"
    assert walk(bank, {}) == ["mode", "danger", "summary", "needs", "last"]


def test_answers_open_their_follow_ups(bank: QuestionBank) -> None:
    answers = {
        "mode": "live",
        "danger": "yes",
        "summary": "He said something.",
        "summary__source": "someone_else_told_me",
        "needs": ["bullying", "moved"],
        "move_detail": "yes",
    }
    assert walk(bank, answers) == [
        "mode",
        "danger",
        "danger_detail",
        "summary",
        "summary__source",
        "summary__source_role",
        "needs",
        "needs_detail",
        "move_detail",
        "move_when",
        "last",
    ]


@pytest.mark.parametrize("needs", [None, ["none"], []])
def test_answers_without_content_keep_follow_ups_hidden(bank: QuestionBank, needs: object) -> None:
    answers = {"needs": needs, "summary": None, "danger": None}
    assert walk(bank, answers) == ["mode", "danger", "summary", "needs", "last"]


def test_a_stale_answer_to_a_hidden_follow_up_opens_nothing(bank: QuestionBank) -> None:
    # The practitioner went back and removed "moved": move_detail is hidden, so its old "yes" must not
    # keep move_when visible.
    answers = {"needs": ["bullying"], "move_detail": "yes"}
    assert "move_when" not in walk(bank, answers)
    assert not bank.is_visible("move_when", answers)
    assert bank.is_visible("move_when", {"needs": ["moved"], "move_detail": "yes"})


def test_next_question_skips_from_the_middle(bank: QuestionBank) -> None:
    assert id_of(bank.next_question("danger", {"danger": "no"})) == "summary"
    assert id_of(bank.next_question("danger", {"danger": "yes"})) == "danger_detail"
    assert bank.next_question("last", {}) is None
    assert id_of(bank.next_question(None, {})) == "mode"


def test_previous_question_steps_back_over_hidden_questions(bank: QuestionBank) -> None:
    assert id_of(bank.previous_question("summary", {"danger": "no"})) == "danger"
    assert id_of(bank.previous_question("summary", {"danger": "yes"})) == "danger_detail"
    assert bank.previous_question("mode", {}) is None
    assert (
        id_of(bank.previous_question("last", {"summary": "x", "summary__source": "found_online"})) == "needs"
    )


def test_progress_counts_the_main_questions_and_numbers_a_follow_up_after_its_own(bank: QuestionBank) -> None:
    # Issue #26 item 9: "of N" is the section's main questions, whatever follow-ups the answers open (it
    # was the visible questions, so "question 3 of 7" became "question 4 of 9" as follow-ups opened).
    assert bank.progress("mode", {}) == Progress("Section start", 1, 2, 1, 2, "start")
    assert bank.progress("danger", {"danger": "yes"}) == Progress("Section start", 1, 2, 2, 2, "start")
    assert bank.progress("danger_detail", {"danger": "yes"}) == Progress(
        "Section start", 1, 2, 2, 2, "start", follow_up=True
    )
    answers = {"summary": "x", "needs": ["moved"], "move_detail": "no"}
    assert bank.progress("needs", answers) == Progress("Section noticed", 2, 2, 2, 3, "noticed")
    assert bank.progress("needs", {}) == bank.progress("needs", answers)
    # A follow-up that has just been hidden keeps the number of the main question before it.
    assert bank.progress("move_when", {}).question_number == 2
    assert bank.progress("last", answers).question_number == 3


def test_unknown_ids_are_key_errors(bank: QuestionBank) -> None:
    with pytest.raises(KeyError):
        bank.next_question("nope", {})
    with pytest.raises(KeyError):
        bank.progress("nope", {})
    with pytest.raises(KeyError):
        bank.question("nope")
    assert "mode" in bank and "nope" not in bank


def test_source_prompt_helpers(bank: QuestionBank) -> None:
    source = bank.source_question_for("summary")
    assert source is not None and source.id == "summary__source" and source.source_of == "summary"
    assert bank.source_question_for("danger") is None
    assert next(q.id for q in bank.authored_questions if q.section_id == "noticed") == "summary"
    assert all(not q.is_synthesised for q in bank.authored_questions)


def test_sections_are_a_tuple_in_order(bank: QuestionBank) -> None:
    assert isinstance(bank.sections, tuple)
    assert [s.id for s in bank.sections] == ["start", "noticed"]
    assert bank.section("noticed").question_ids[:3] == ("summary", "summary__source", "summary__source_role")


def test_visible_questions_is_the_summary_order(bank: QuestionBank) -> None:
    answers = {"danger": "yes"}
    assert [q.id for q in bank.visible_questions(answers)] == walk(bank, answers)


def test_last_question_is_the_last_visible_one(bank: QuestionBank) -> None:
    assert id_of(bank.last_question()) == "last"
    assert id_of(bank.last_question({})) == "last"
    assert bank.section("noticed").questions[-1].id == "last"
