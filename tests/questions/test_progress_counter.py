"""The question counter (issue #26 item 9): walking a section as the practitioner does, with follow-ups
opening as they answer, the number shown never goes down, "of N" never changes within the section and is
never below the number, and a follow-up says that it is one. The shipped bank, as the product loads it."""

from __future__ import annotations

import pytest

from bot.dialogue.plans import ask
from bot.domain.positions import AtQuestion
from bot.questions import AnswerType, Question, QuestionBank, load_bank
from bot.questions.flow import is_follow_up
from bot.questions.model import NO_CONTENT_VALUES, UNSURE
from tests.dialogue.records import answer, record

BANK = load_bank()


def opening_answer(question: Question) -> object:
    """An answer that opens every follow-up it can: the first real choice (all of them, for a multiple
    choice), "yes", or some words."""
    real = [c.value for c in question.choices if c.value not in (UNSURE, *NO_CONTENT_VALUES)]
    if question.answer_type == AnswerType.MULTIPLE_CHOICE:
        return real
    if question.answer_type in (AnswerType.YES_NO_UNSURE, AnswerType.SINGLE_CHOICE):
        return "yes" if "yes" in real else real[0]
    return "Something happened."


def walk(bank: QuestionBank, section_id: str) -> list[tuple[str, int, int, bool]]:
    """(question, number, of N, follow-up) for each question asked from the section's first to its last,
    answering each so as to open its follow-ups, the way the dialogue moves on."""
    answers: dict[str, object] = {}
    section = bank.section(section_id)
    current = next(q for q in section.questions if not q.show_if)
    shown = []
    while current is not None and current.section_id == section_id:
        progress = bank.progress(current.id, answers)
        shown.append((current.id, progress.question_number, progress.question_count, progress.follow_up))
        answers[current.id] = opening_answer(current)
        current = bank.next_question(current.id, answers)
    return shown


@pytest.mark.parametrize("section_id", [s.id for s in BANK.sections])
def test_across_a_walk_of_each_section_the_number_never_goes_down_and_of_n_never_moves(
    section_id: str,
) -> None:
    shown = walk(BANK, section_id)
    numbers = [number for _, number, _, _ in shown]
    assert numbers == sorted(numbers), shown
    assert len({of for _, _, of, _ in shown}) == 1, shown
    assert all(number <= of for _, number, of, _ in shown), shown
    mains = [qid for qid, _, _, follow_up in shown if not follow_up]
    assert [number for qid, number, _, _ in shown if qid in mains] == list(range(1, len(mains) + 1))


def test_follow_ups_open_in_the_walk_and_take_the_number_of_the_question_before_them() -> None:
    shown = walk(BANK, "what_you_noticed")
    follow_ups = [(qid, number) for qid, number, _, follow_up in shown if follow_up]
    assert follow_ups, "the walk opens follow-ups"
    assert all(is_follow_up(BANK.question(qid)) for qid, _ in follow_ups)
    before = {qid: number for qid, number, _, _ in shown}
    assert before["change_from_what"] == before["is_a_change"]


def test_the_question_line_says_question_n_of_m_and_follow_up() -> None:
    given = answer("is_a_change", "yes", "Yes")
    follow = ask(BANK, record(AtQuestion("change_from_what"), given))
    main = ask(BANK, record(AtQuestion("is_a_change")))
    total = BANK.progress("is_a_change", {}).question_count
    assert follow.text is not None and main.text is not None
    assert follow.text.startswith(
        f"What you noticed, in more detail, question 1 of {total}, follow-up; section "
    )
    assert main.text.startswith(f"What you noticed, in more detail, question 1 of {total}; section ")
