"""Recording answers: verbatim, every revision kept, idempotent per revision, refusals write nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import pytest

from bot.domain.errors import ConflictError, ValidationError
from bot.domain.limits import MAX_ANSWER_CHARS
from bot.domain.records import AnswerIn
from bot.store.services import Store
from tests.builders import give_answer, report_danger


def test_record_and_replay(
    service: Store,
    started: str,
    answer: Callable[..., AnswerIn],
    count_rows: Callable[[str], int],
    audit_actions: Callable[[], list[str]],
) -> None:
    given = answer(value=["a", "b"], source="told by a teacher", fact_date=date(2026, 2, 27), status="unsure")
    stored = give_answer(service, started, given).answers["q1"]
    assert audit_actions().count("answer.recorded") == 1
    assert (stored.question_id, stored.revision, stored.text, stored.value) == (
        "q1",
        1,
        given.text,
        ["a", "b"],
    )
    assert (stored.source, stored.fact_date, stored.status) == (
        "told by a teacher",
        date(2026, 2, 27),
        "unsure",
    )

    replayed = give_answer(service, started, given).answers["q1"]  # a replay: nothing new written
    assert replayed == stored
    assert count_rows("answers") == 1
    assert audit_actions().count("answer.recorded") == 1


@pytest.mark.parametrize(
    "change",
    [
        {"text": "He said it twice. "},
        {"wording": "What happened?"},
        {"value": "other"},
        {"status": "unsure"},
        {"source": "seen first-hand"},
        {"fact_date": date(2026, 1, 1)},
    ],
)
def test_same_revision_with_different_content_is_a_conflict(
    service: Store,
    started: str,
    answer: Callable[..., AnswerIn],
    count_rows: Callable[[str], int],
    change: dict[str, object],
) -> None:
    give_answer(service, started, answer())
    with pytest.raises(ConflictError) as caught:
        give_answer(service, started, answer(**change))
    assert "new revision" in caught.value.fields["revision"]
    assert count_rows("answers") == 1


def test_json_types_are_told_apart_for_replays(
    service: Store,
    started: str,
    answer: Callable[..., AnswerIn],
    audit_actions: Callable[[], list[str]],
) -> None:
    give_answer(service, started, answer(value={"count": 1, "flag": True}))
    give_answer(service, started, answer(value={"flag": True, "count": 1}))  # the same: a replay
    assert audit_actions().count("answer.recorded") == 1
    with pytest.raises(ConflictError):
        give_answer(service, started, answer(value={"count": 1.0, "flag": True}))
    with pytest.raises(ConflictError):
        give_answer(service, started, answer(value={"count": 1, "flag": 1}))


def test_tuples_are_stored_as_lists_and_replay_cleanly(
    service: Store,
    started: str,
    answer: Callable[..., AnswerIn],
    audit_actions: Callable[[], list[str]],
) -> None:
    assert give_answer(service, started, answer(value=("x", "y"))).answers["q1"].value == ["x", "y"]
    give_answer(service, started, answer(value=["x", "y"]))  # the same: a replay
    assert audit_actions().count("answer.recorded") == 1


def test_every_revision_is_kept_and_the_highest_is_current(
    service: Store, started: str, answer: Callable[..., AnswerIn]
) -> None:
    give_answer(service, started, answer("q1", 1, "first"))
    give_answer(service, started, answer("q2", 1, "other question"))
    give_answer(service, started, answer("q1", 3, "third"))
    give_answer(service, started, answer("q1", 2, "second, arriving late"))

    record = service.assessments.get_assessment(conversation_id=started)
    assert record is not None
    assert list(record.answers) == ["q1", "q2"]
    assert (record.answers["q1"].revision, record.answers["q1"].text) == (3, "third")
    assert record.answer_values() == {"q1": "third", "q2": "other question"}

    exported = service.assessments.export(conversation_id=started)
    history = {item["question_id"]: item for item in exported["answers"]}
    assert [r["text"] for r in history["q1"]["revisions"]] == ["first", "second, arriving late", "third"]
    assert history["q1"]["current_revision"] == 3
    assert history["q2"]["current_revision"] == 1
    json.dumps(exported, allow_nan=False)  # JSON-ready as it stands


def test_export_describes_the_assessment(service: Store, started: str, answer) -> None:
    give_answer(service, started, answer(text="Ça va 👍\r\n"))
    report_danger(service, started, "now")
    exported = service.assessments.export(conversation_id=started)
    assert exported["format"] == "assessment-export/1"
    assert exported["assessment"]["conversation_id"] == started
    assert exported["assessment"]["urgent"] is True
    assert exported["assessment"]["urgent_messages"][0]["text"] == "now"
    assert "answers" not in exported["assessment"]
    assert exported["answers"][0]["revisions"][0]["text"] == "Ça va 👍\r\n"


def test_text_at_the_limit_is_kept_and_over_it_is_refused_whole(
    service: Store,
    started: str,
    answer: Callable[..., AnswerIn],
    count_rows: Callable[[str], int],
) -> None:
    longest = "x" * (MAX_ANSWER_CHARS - 1) + "😀"
    assert give_answer(service, started, answer("q1", text=longest)).answers["q1"].text == longest
    before = count_rows("audit_events")
    with pytest.raises(ValidationError) as caught:
        give_answer(service, started, answer("q2", text=longest + "y"))
    assert "10,000" in caught.value.fields["text"]
    assert "Nothing was saved" in caught.value.fields["text"]
    assert count_rows("answers") == 1
    assert count_rows("audit_events") == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"text": "broken \ud83d half an emoji"}, "text"),
        ({"text": "nul \x00 byte"}, "text"),
        ({"wording": "\udfff"}, "wording"),
        ({"wording": ""}, "wording"),
        ({"value": {"nested": ["\ud800"]}}, "value"),
        ({"value": float("nan")}, "value"),
        ({"value": {1: "int key"}}, "value"),
        ({"value": object()}, "value"),
        ({"value": [[[[[[[["deep"]]]]]]]]}, "value"),
        ({"value": list(range(1000))}, "value"),
        ({"status": "maybe"}, "status"),
        ({"source": "\ud800"}, "source"),
        ({"source": "s" * 1001}, "source"),
        ({"fact_date": "2026-01-01"}, "fact_date"),
        ({"question_id": "has space"}, "question_id"),
        ({"question_id": ""}, "question_id"),
        ({"revision": 0}, "revision"),
        ({"revision": True}, "revision"),
        ({"revision": 2**40}, "revision"),
        ({"text": None}, "text"),
    ],
)
def test_unstorable_or_malformed_answers_are_refused_and_write_nothing(
    service: Store,
    started: str,
    answer: Callable[..., AnswerIn],
    count_rows: Callable[[str], int],
    change: dict[str, object],
    field: str,
) -> None:
    before = count_rows("audit_events")
    with pytest.raises(ValidationError) as caught:
        give_answer(service, started, answer(**{"value": "plain", **change}))
    assert list(caught.value.fields) == [field]
    assert count_rows("answers") == 0
    assert count_rows("audit_events") == before


def test_a_lone_surrogate_is_reported_with_its_position(
    service: Store, started: str, answer: Callable[..., AnswerIn]
) -> None:
    with pytest.raises(ValidationError) as caught:
        give_answer(service, started, answer(text="ab\ud83d"))
    assert (
        caught.value.fields["text"]
        == "contains an incomplete character (lone surrogate U+D83D) at position 3"
    )


def test_skipped_answer_with_no_value(service: Store, started: str, answer: Callable[..., AnswerIn]) -> None:
    stored = give_answer(service, started, answer(text="", value=None, status="skipped")).answers["q1"]
    assert (stored.text, stored.value, stored.status) == ("", None, "skipped")
