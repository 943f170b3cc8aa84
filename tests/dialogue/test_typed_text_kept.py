"""Issue #26 item 4: what is typed at a question is never lost. "next Thursday" at "When is it?" was read
by the classifier as "skip" and stored as skipped with no text; now it is the answer, as typed, with the
coming date, and text the question cannot read is asked about again with nothing recorded."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.dialogue.control_families import load_families
from bot.dialogue.plans import plan_answer, plan_control, read_reply
from bot.dialogue.reading import read_message, says_only_skip
from bot.domain.positions import AtQuestion
from bot.domain.records import AssessmentRecord
from bot.questions import QuestionBank, load_bank
from tests.dialogue.records import answer, record
from tests.fixtures.hypothesis_lanes import examples

TODAY = date(2025, 12, 12)  # a Friday; the coming 10 December (2026) is a Thursday
QID = "upcoming_event_date"


def at_upcoming_date() -> AssessmentRecord:
    return record(
        AtQuestion(QID),
        answer("upcoming_event", "yes", "Yes"),
        answer("upcoming_event_detail", "court hearing", "court hearing"),
    )


def test_the_question_asks_about_something_coming_up(bank: QuestionBank) -> None:
    assert bank.question(QID).date_range == "future"


@pytest.mark.parametrize(
    ("text", "fact_date"),
    [
        ("next Thursday", date(2025, 12, 18)),
        ("Thursday 10 December", date(2026, 12, 10)),
        ("10 December", date(2026, 12, 10)),
        ("10/12", date(2026, 12, 10)),
    ],
)
def test_a_date_is_recorded_as_typed_with_the_coming_date(
    bank: QuestionBank, text: str, fact_date: date
) -> None:
    plan = plan_answer(bank, at_upcoming_date(), text, today=TODAY)
    assert plan.record is not None
    assert (plan.record.question_id, plan.record.text, plan.record.status) == (QID, text, "answered")
    assert (plan.record.value, plan.record.fact_date) == (fact_date.isoformat(), fact_date)
    assert plan.move_to is not None and plan.move_to != AtQuestion(QID)


@pytest.mark.parametrize("confidence", [0.61, 0.99])
def test_next_thursday_is_an_answer_whatever_the_classifier_says(
    bank: QuestionBank, confidence: float
) -> None:
    reading = read_reply(bank, at_upcoming_date(), "next Thursday", "skip", confidence, today=TODAY)
    assert reading.kind == "answer"
    # and a plain "skip" typed there still skips
    skip = read_reply(bank, at_upcoming_date(), "skip this", "skip", confidence, today=TODAY)
    assert (skip.kind, skip.control) == ("control", "skip")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("sometime next term", "Try 'next Thursday', '10 December'"),
        ("next term", "Try 'next Thursday'"),
        ("Thursday 11 December", "11 December 2026 is a Friday, not a Thursday"),
        ("last Thursday", "already passed"),
    ],
)
def test_text_it_cannot_read_is_asked_about_again_and_nothing_recorded(
    bank: QuestionBank, text: str, says: str
) -> None:
    given = at_upcoming_date()
    reading = read_reply(bank, given, text, "skip", 0.95, today=TODAY)
    assert reading.kind == "answer"  # never a skip, though the classifier said so
    plan = plan_answer(bank, given, text, today=TODAY)
    assert plan.record is None and plan.move_to is None and plan.urgent_message is None
    assert len(plan.say) == 1 and says in (plan.say[0].text or ""), plan.say


def test_not_sure_in_words_is_kept_as_typed(bank: QuestionBank) -> None:
    text = "not sure when, sometime last spring"
    plan = plan_answer(bank, at_upcoming_date(), text, today=TODAY)
    assert plan.record is not None
    assert (plan.record.text, plan.record.status, plan.record.value, plan.record.fact_date) == (
        text,
        "unsure",
        None,
        None,
    )


WORDS = ["next", "last", "thursday", "10", "december", "/", "12", "skip", "this", "not", "sure", "term", "!"]


@settings(deadline=None, max_examples=examples(300))
@given(
    text=st.one_of(
        st.text(min_size=1, max_size=60).filter(lambda t: not t.strip().startswith("/")),
        st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(" ".join),
    ),
    intent=st.sampled_from([None, "inform", "skip", "go_back", "pause", "help"]),
)
def test_typed_text_is_recorded_verbatim_or_asked_again_never_skipped(text: str, intent: str | None) -> None:
    bank, given = load_bank(), at_upcoming_date()
    reading = read_reply(bank, given, text, intent, 0.99, today=TODAY)
    if reading.kind == "control":
        # only a message that says nothing but "skip this" (or another control) is taken as one, or one of
        # the skip family with no date or number in it (bot/dialogue/control_families.yaml, issue #11)
        if reading.control == "skip":
            assert says_only_skip(text) or load_families().control_for(text) == "skip"
        plan = plan_control(bank, given, reading.control or "")
        assert plan.record is None or (plan.record.status == "skipped" and reading.control == "skip")
        return
    if reading.kind != "answer":
        assert reading.kind in ("empty", "too_long", "danger", "payload_refused")
        return
    plan = plan_answer(bank, given, text, today=TODAY)
    if plan.record is None:
        assert plan.move_to is None and plan.say and (plan.say[0].text or "").strip()
    else:
        assert plan.record.text == text and plan.record.status in ("answered", "unsure")


def test_a_typed_skip_must_only_say_skip() -> None:
    assert read_message("skip this one please", "skip", 0.9).control == "skip"
    assert read_message("next", "skip", 0.9).control == "skip"
    assert read_message("next Thursday", "skip", 0.9).kind == "answer"
    assert read_message("next term", "skip", 0.9).kind == "answer"
