"""Section introductions (issue #26 item 9): each section's `intro` is shown once, with the first question
of the section that is asked, when the practitioner first reaches it; not with its other questions, not on
going back to its first question, and not on resuming further into it. The shipped bank."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.dialogue.plans import ask, plan_answer, plan_control
from bot.domain.positions import AtQuestion
from bot.domain.records import AnswerRecord
from bot.questions import load_bank
from tests.dialogue.records import answer, record

BANK = load_bank()
TODAY = date(2025, 3, 13)
NOTICED = BANK.section("what_you_noticed")
FIRST, SECOND = "is_a_change", "pattern"


def asked(*answers: AnswerRecord, at: str) -> str:
    said = ask(BANK, record(AtQuestion(at), *answers))
    assert said.text is not None
    return said.text


def test_every_section_of_the_shipped_bank_has_an_intro_to_show() -> None:
    assert all(section.intro for section in BANK.sections)


def test_the_intro_comes_once_between_the_progress_line_and_the_first_question() -> None:
    progress, intro, question = asked(at=FIRST).split("\n\n")
    assert progress.startswith("What you noticed, in more detail, question 1 of ")
    assert intro == NOTICED.intro
    assert question == BANK.question(FIRST).text


def test_after_the_first_answer_in_the_section_it_is_not_shown_again() -> None:
    plan = plan_answer(BANK, record(AtQuestion(FIRST)), "No", today=TODAY)
    assert plan.move_to == AtQuestion(SECOND)
    given = answer(FIRST, "no", "No")
    assert NOTICED.intro not in asked(given, at=SECOND)


def test_going_back_to_the_first_question_does_not_show_it_again() -> None:
    given = (answer(FIRST, "no", "No"), answer(SECOND, "once", "Once"))
    back = plan_control(BANK, record(AtQuestion("young_person_words"), *given), "back")
    assert back.move_to == AtQuestion(SECOND)
    assert NOTICED.intro not in asked(*given, at=FIRST)


def test_resuming_further_into_the_section_does_not_show_it() -> None:
    assert NOTICED.intro not in asked(answer(FIRST, "no", "No"), at=SECOND)


def test_a_skipped_first_question_counts_as_reaching_the_section() -> None:
    skipped = answer(FIRST, None, "", status="skipped")
    assert NOTICED.intro not in asked(skipped, at=SECOND)


def test_an_addition_shows_the_first_sections_intro_with_the_danger_question() -> None:
    linked = replace(record(), linked_from="A-EARLY1")
    said = ask(BANK, linked)
    start = BANK.section("start")
    assert said.text is not None and start.intro in said.text
    assert said.text.index(start.intro) < said.text.index(BANK.question("immediate_danger").text)
