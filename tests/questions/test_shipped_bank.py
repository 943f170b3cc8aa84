"""The bank we ship: it loads, keeps the domain guardrails, and every question can be reached and answered."""

from __future__ import annotations

import re
from datetime import date

import pytest

from bot.questions import AnswerType, ParsedAnswer, QuestionBank, parse_answer
from bot.questions.model import UNSURE
from tests.questions.opening import answers_opening

TODAY = date(2025, 3, 13)

# Labels and conclusions the bot must never put in front of a practitioner (guardrails 1 and 4).
BANNED = [
    "radicalised", "radicalized", "radicalisation", "radicalization", "extremist", "extremism", "risk score",
    "risk level", "jihad", "islamist", "far-right", "far right", "far-left", "terrorist", "terrorism",
    "vulnerable",
]  # fmt: skip
FAITH = [
    "religio", "faith", "mosque", "church", "synagogue", "temple", "pray", "convert", "muslim", "christian",
    "jewish", "sikh", "hindu", "islam",
]  # fmt: skip


def shown_wording(bank: QuestionBank) -> list[tuple[str, str]]:
    """Everything a practitioner can read: question text, help, choice labels, section titles and intros."""
    found = []
    for question in bank.questions:
        found += [(question.id, question.text), (question.id, question.why)]
        found += [(question.id, choice.label) for choice in question.choices]
    for section in bank.sections:
        found += [(section.id, section.title), (section.id, section.intro)]
    return found


def test_it_loads_with_a_version_and_60_to_90_questions(bank: QuestionBank) -> None:
    assert bank.version
    assert 60 <= len(bank.authored_questions) <= 90
    assert len(bank.sections) == 13


def test_ids_are_unique(bank: QuestionBank) -> None:
    ids = [question.id for question in bank.questions]
    assert len(ids) == len(set(ids))


def test_every_choice_question_has_choices(bank: QuestionBank) -> None:
    for question in bank.questions:
        real = [choice for choice in question.choices if choice.value != UNSURE]
        if question.answer_type in (AnswerType.SINGLE_CHOICE, AnswerType.MULTIPLE_CHOICE):
            assert len(real) >= 2, question.id
        elif question.answer_type != AnswerType.YES_NO_UNSURE:
            assert question.choices == (), question.id


@pytest.mark.parametrize("word", BANNED + FAITH)
def test_no_labels_scores_or_faith_centred_wording(bank: QuestionBank, word: str) -> None:
    pattern = re.compile(rf"\b{re.escape(word)}", re.IGNORECASE)
    assert [(where, text) for where, text in shown_wording(bank) if pattern.search(text)] == []


def test_immediate_danger_comes_first_among_safety_questions(bank: QuestionBank) -> None:
    ids = [question.id for question in bank.questions]
    danger = bank.question("immediate_danger")
    assert danger.answer_type == AnswerType.YES_NO_UNSURE and danger.show_if == () and not danger.optional
    # Danger first, for every run (guardrail 2), additions to a submitted assessment included: they ask what
    # is new (and whether to send it now) straight after it (issue #26 item 9).
    assert bank.first_question().id == "immediate_danger" and ids[0] == "immediate_danger"
    assert ids[1:3] == ["what_is_new", "send_addition_now"]
    safety_ids = [*bank.section("safety_and_harm").question_ids, "threats", "weapons_or_materials", "travel"]
    assert all(ids.index("immediate_danger") < ids.index(qid) for qid in safety_ids)


def test_dialogue_effects_are_marked_in_the_bank(bank: QuestionBank) -> None:
    effects = {question.id: question.effect for question in bank.questions if question.effect}
    assert effects == {
        "send_addition_now": "submit_now_if_yes",
        "immediate_danger": "danger_if_yes",
        "threats": "recheck_danger_if_yes",
        "weapons_or_materials": "recheck_danger_if_yes",
        "travel": "recheck_danger_if_yes",
    }


def test_the_screening_comes_first(bank: QuestionBank) -> None:
    parts = [section.part for section in bank.sections]
    assert parts == sorted(parts, key=["screening", "assessment"].index)
    screening = {
        q.id for s in bank.sections if s.part == "screening" for q in bank.questions if q.section_id == s.id
    }
    assert {
        "immediate_danger",
        "discussed_with_lead",
        "practitioner_role",
        "practitioner_organisation",
        "concern_summary",
        "concern_summary__source",
        "first_noticed_date",
        "latest_noticed_date",
        "other_needs",
        "protective_factors",
    } <= screening
    # Issue #26: no answer decides whether a run is real; the id of the old question is never reused.
    assert "mode" not in bank


def test_whole_family_needs_are_one_multiple_choice_with_every_need(bank: QuestionBank) -> None:
    needs = bank.question("other_needs")
    assert needs.answer_type == AnswerType.MULTIPLE_CHOICE
    assert len([c for c in needs.choices if c.value not in (UNSURE, "none")]) >= 14


def test_any_ideology_field_is_optional_and_neutral(bank: QuestionBank) -> None:
    ideas = bank.question("ideas_involved")
    assert ideas.optional
    assert {"unclear", "mixed", "none_identified"} <= {choice.value for choice in ideas.choices}


def test_the_practitioners_analysis_is_asked_for(bank: QuestionBank) -> None:
    analysis = bank.section("checking_and_analysis").question_ids
    for qid in ("other_explanations", "not_known", "fear_if_nothing_changes", "family_needs"):
        assert qid in analysis
        assert bank.question(qid).answer_type == AnswerType.FREE_TEXT and not bank.question(qid).show_if


def test_facts_ask_for_their_source(bank: QuestionBank) -> None:
    # ask_source on the question, or the evidence pattern's "how is it known" after a concern (issue #18).
    sourced = [question for question in bank.authored_questions if question.ask_source]
    assert all(bank.source_question_for(question.id) is not None for question in sourced)
    sources = [
        q for q in bank.questions if q.source_of is not None and q.answer_type == AnswerType.SINGLE_CHOICE
    ]
    assert len(sources) >= 10


def test_vaf_tags_are_only_the_three_dimensions(bank: QuestionBank) -> None:
    assert {question.vaf for question in bank.questions} <= {None, "engagement", "intent", "capability"}


def test_when_it_happened_questions_refuse_the_future(bank: QuestionBank) -> None:
    for qid in ("first_noticed_date", "latest_noticed_date"):
        assert bank.question(qid).date_range == "past"
    assert bank.question("upcoming_event_date").date_range == "future"  # "Is anything coming up...?"


def test_every_question_can_be_reached(bank: QuestionBank) -> None:
    for question in bank.questions:
        answers = answers_opening(bank, question)
        assert bank.is_visible(question.id, answers), question.id
        walked, current = [], bank.next_question(None, answers)
        while current is not None:
            walked.append(current.id)
            current = bank.next_question(current.id, answers)
        assert question.id in walked


def test_every_choice_can_be_given_by_number_value_and_label(bank: QuestionBank) -> None:
    for question in bank.questions:
        for number, choice in enumerate(question.choices, start=1):
            expected = (
                ParsedAnswer(None, "unsure")
                if choice.value == UNSURE
                else ParsedAnswer(
                    [choice.value] if question.answer_type == AnswerType.MULTIPLE_CHOICE else choice.value,
                    "answered",
                )
            )
            for typed in (str(number), choice.value, choice.label, *choice.aliases):
                assert parse_answer(question, typed, today=TODAY) == expected, (question.id, typed)


def test_the_co_occurring_needs_read_as_a_typed_list(bank: QuestionBank) -> None:
    parsed = parse_answer(
        bank.question("other_needs"),
        "CSE, Bullying, racism, discrimination or hate incidents and domestic abuse",
        today=TODAY,
    )
    assert parsed == ParsedAnswer(
        ["sexual_exploitation", "domestic_abuse", "bullying_discrimination"], "answered"
    )


def test_a_short_walk_through_the_screening(bank: QuestionBank) -> None:
    replies = {
        "immediate_danger": "no",
        "discussed_with_lead": "not yet",
        "practitioner_role": "2",
        "practitioner_organisation": "Northgate Academy, pastoral team",
        "relationship_to_young_person": "I teach or support them at school or college",
        "concern_summary": "He drew symbols on his planner and said 'they'll get what's coming'.",
        "concern_summary__source": "1",
        "concern_kinds": "1, 2",
        "first_noticed_date": "a fortnight ago",
        "latest_noticed_date": "yesterday",
        "other_needs": "dunno",
        "protective_factors": "trusted adult and positive activities",
    }
    answers: dict[str, object] = {}
    current = bank.first_question()
    while current is not None and current.id in replies:
        parsed = parse_answer(current, replies[current.id], today=TODAY)
        assert isinstance(parsed, ParsedAnswer), (current.id, parsed)
        answers[current.id] = parsed.value
        current = bank.next_question(current.id, answers)
    assert current is not None and current.id == "young_person_age"
    assert answers["concern_summary"] == replies["concern_summary"]
    assert bank.progress("young_person_age", answers).section_number == 3


@pytest.mark.parametrize(
    ("text", "value"), [("yep", "yes"), ("Yes", "yes"), ("nope", "not_yet"), ("2", "not_yet")]
)
def test_yes_and_no_words_reach_single_choices_worded_that_way(
    bank: QuestionBank, text: str, value: str
) -> None:
    assert parse_answer(bank.question("discussed_with_lead"), text, today=TODAY) == ParsedAnswer(
        value, "answered"
    )
