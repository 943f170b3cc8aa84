"""The debrief of a practice run (bot.scenarios.debrief, issue #13), over a hand-built run of "A plan for
Friday" against the real question bank: facts captured or not with what matched, follow-ups left empty,
sources and dates missing, the danger moment, other explanations, time and turns."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

import pytest

from bot.domain.records import AnswerRecord
from bot.questions.flow import QuestionBank
from bot.questions.loader import load_bank
from bot.scenarios import Scenario, load_library
from bot.scenarios.debrief import build_debrief, follow_ups_of, normalise, phrase_in
from bot.scenarios.debrief_data import DebriefData, load_debrief_data
from bot.scenarios.debrief_records import Debrief, PracticeRun
from bot.scenarios.loader import ScenarioError

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@cache
def bank() -> QuestionBank:
    return load_bank()


@cache
def data() -> DebriefData:
    return load_debrief_data(bank())


@cache
def friday() -> Scenario:
    return next(s for s in load_library(bank=bank()) if s.id == "a_plan_for_friday")


def answer(qid: str, text: str, value: Any = None, status: str = "answered") -> AnswerRecord:
    return AnswerRecord(
        question_id=qid,
        revision=1,
        wording=bank().question(qid).text,
        text=text,
        value=text if value is None and status == "answered" else value,
        status=status,
        source=None,
        fact_date=None,
        recorded_at=START,
    )


def good_run() -> dict[str, AnswerRecord]:
    """Every fact captured with its source and a date, other explanations written, nothing left empty."""
    given = [
        answer("threats", "Yes", "yes"),
        answer(
            "threats_detail",
            "Yesterday a student showed me a post: Friday 3pm, the college gates, THEY'LL SEE.",
        ),
        answer("threats_detail__source", "Someone else told me", "someone_else_told_me"),
        answer("threats_detail__source_role", "a student"),
        answer("supports_violence", "Yes", "yes"),
        answer(
            "supports_violence_detail",
            "Since September Casey says people who look down on us get what's coming",
        ),
        answer("supports_violence_detail__source", "I saw or heard it myself", "seen_or_heard_myself"),
        answer("friendship_changes", "Yes", "yes"),
        answer("friendship_changes_detail", "A new group at breaks since September"),
        answer("other_needs", "Substance misuse, money", ["substance_misuse", "money_housing"]),
        answer(
            "need__money_housing__what",
            "Mum uses drugs; they were evicted in the summer, now in temporary housing",
        ),
        answer("need__money_housing__what__source", "From records or case notes", "records"),
        answer("other_explanations", "Could be showing off to the new group; could be about the eviction."),
    ]
    return {item.question_id: item for item in given}


def debrief(answers: dict[str, AnswerRecord], *, danger: bool = True, turns: int = 31) -> Debrief:
    run = PracticeRun(
        answers=answers,
        danger_reported_at=(START + timedelta(minutes=9),) if danger else (),
        started_at=START,
        submitted_at=START + timedelta(minutes=23, seconds=5),
        turns=turns,
    )
    return build_debrief(friday(), bank(), data(), run)


def test_a_good_run_captures_every_fact_and_says_what_matched() -> None:
    result = debrief(good_run())
    assert [fact.captured for fact in result.facts] == [True, True, True, True]
    assert result.missed == ()
    post = result.facts[0]
    assert [match.phrase for match in post.matches] == ["friday", "3pm", "gates", "they'll see"]
    assert {match.answer.question_id for match in post.matches} == {"threats_detail"}
    assert post.matches[0].answer.text == good_run()["threats_detail"].text  # verbatim, shouting and all
    assert [fact.source_missing or fact.date_missing for fact in result.facts] == [False] * 4
    assert result.empty_follow_ups == ()
    assert result.danger is not None and result.danger.handled
    assert result.danger.reported_at == START + timedelta(minutes=9)
    assert result.other_explanations is not None
    assert result.other_explanations.text.startswith("Could be showing off")
    assert (result.time_taken, result.turns) == (timedelta(minutes=23, seconds=5), 31)


def test_a_fact_left_out_is_not_captured_and_its_words_are_shown_beside_it() -> None:
    answers = good_run()
    answers["friendship_changes_detail"] = answer(
        "friendship_changes_detail", "Spends time with other students"
    )
    result = debrief(answers)
    assert [fact.fact_id for fact in result.missed] == ["new_group"]
    (missed,) = result.missed
    assert missed.matches == ()
    assert [words.text for words in missed.words] == ["Spends time with other students"]
    assert not missed.date_missing and not missed.source_missing  # a fact not captured has none to miss


def test_answering_no_leaves_the_follow_up_unasked_and_the_fact_missed_but_nothing_empty() -> None:
    answers = good_run()
    answers["friendship_changes"] = answer("friendship_changes", "No", "no")
    del answers["friendship_changes_detail"]
    result = debrief(answers)
    assert [fact.fact_id for fact in result.missed] == ["new_group"]
    assert result.empty_follow_ups == ()


def test_a_follow_up_skipped_is_named_as_left_empty() -> None:
    answers = good_run()
    answers["friendship_changes_detail"] = answer("friendship_changes_detail", "Skip", status="skipped")
    result = debrief(answers)
    assert [words.question_id for words in result.empty_follow_ups] == ["friendship_changes_detail"]
    assert [fact.fact_id for fact in result.missed] == ["new_group"]


def test_a_missing_source_and_a_missing_date_are_named_for_a_captured_fact() -> None:
    answers = good_run()
    del answers["threats_detail__source"], answers["threats_detail__source_role"]
    answers["threats_detail"] = answer("threats_detail", "A post saying the college gates, they'll see")
    post = debrief(answers).facts[0]
    assert post.captured and post.source_missing and post.date_missing
    assert post.when == "yesterday"


@pytest.mark.parametrize(
    ("phrase", "text", "found"),
    [
        ("they'll see", "THEY\u2019LL SEE!!", True),
        ("they'll see", "theyll see", True),
        ("what's coming", "they get what's-coming", True),
        ("gates", "the gateshead bus", False),  # whole words only
        ("3pm", "at 3pm.", True),
        ("new group", "a new, group", True),  # punctuation between the words does not split a phrase
    ],
)
def test_matching_ignores_case_and_punctuation_and_takes_whole_words(
    phrase: str, text: str, found: bool
) -> None:
    assert phrase_in(phrase, text) is found


def test_normalise_drops_apostrophes_and_punctuation() -> None:
    assert normalise("  They'll  SEE, at 3pm!") == "theyll see at 3pm"


def test_a_phrase_in_another_question_does_not_capture_the_fact() -> None:
    answers = good_run()
    answers["friendship_changes_detail"] = answer("friendship_changes_detail", "Nothing has changed")
    answers["other_explanations"] = answer("other_explanations", "The new group at breaks may explain it")
    assert [fact.fact_id for fact in debrief(answers).missed] == ["new_group"]


def test_a_fact_is_found_in_its_questions_follow_ups() -> None:
    assert [q.id for q in follow_ups_of(bank(), "carers_aware")] == ["carers_response"]
    # Each need ticked opens its own who, what, since when and service (bot.questions.per_choice).
    assert [q.id for q in follow_ups_of(bank(), "other_needs")][:4] == [
        "need__sexual_exploitation",
        "need__sexual_exploitation__what",
        "need__sexual_exploitation__when",
        "need__sexual_exploitation__service",
    ]


def test_danger_not_taken_and_no_other_explanations_are_named() -> None:
    answers = good_run()
    answers["other_explanations"] = answer("other_explanations", "Skip", status="skipped")
    result = debrief(answers, danger=False)
    assert result.danger is not None and not result.danger.handled and result.danger.reported_at is None
    assert result.danger.after_question == bank().question("threats_detail").text
    assert result.other_explanations is None
    assert result.missed == () and result.empty_follow_ups == ()


def test_a_scenario_without_a_danger_moment_has_no_danger_part() -> None:
    calm = friday().model_copy(update={"danger": None})
    run = PracticeRun(answers={}, danger_reported_at=(), started_at=START, submitted_at=None, turns=0)
    result = build_debrief(calm, bank(), data(), run)
    assert result.danger is None and result.time_taken is None
    assert len(result.missed) == 4


def test_the_debrief_holds_no_score_risk_level_or_percentage() -> None:
    names = {field.name for record in (Debrief, *_nested()) for field in fields(record)}
    assert not {name for name in names if any(word in name for word in ("score", "risk", "percent", "level"))}


def _nested() -> tuple[type, ...]:
    from bot.scenarios import debrief_records

    return tuple(
        value
        for value in vars(debrief_records).values()
        if isinstance(value, type) and value.__module__ == debrief_records.__name__
    )


def test_a_debrief_file_naming_no_bank_question_is_refused(tmp_path: Any) -> None:
    path = tmp_path / "debrief.yaml"
    path.write_text("other_explanations_question: no_such_question\ntime_words: [today]\n")
    with pytest.raises(ScenarioError, match="'no_such_question' is not a question in the bank"):
        load_debrief_data(bank(), path)
