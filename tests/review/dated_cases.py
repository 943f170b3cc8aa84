"""A submitted assessment on the real bank with every kind of "when" (issue #18): an exact date, a rough one
kept as typed with its range, and a "don't know", made through the store's turns as the action server makes
them, and the engine's record of its conversation. For the chronology tests (test_chronology_ranges*.py,
test_child_chronology_turns.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from tracker_helpers import add_events, bot, make_tracker, user

from bot.domain.records import AssessmentRecord, UserInfo
from bot.questions import QuestionBank
from bot.questions.rough_dates import read_rough_date
from bot.store.services import Store
from tests import builders

MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def rough(store: Store, conversation: str, bank: QuestionBank, question_id: str, typed: str) -> None:
    reading = read_rough_date(typed, today=MONDAY.date())
    assert reading is not None
    builders.answer(
        store,
        conversation,
        question_id,
        typed,
        wording=bank.question(question_id).text,
        value=reading.to_value(),
        fact_date=reading.earliest,
    )


def case_with_dates(
    store: Store, bank: QuestionBank, who: UserInfo, when: str, precise: date
) -> AssessmentRecord:
    """A submitted assessment on the real bank: a rough "when" (`when` as typed), a precise date, and a
    "don't know" when."""
    conversation = store.conversations.open_conversation(who.id, "web")
    store.assessments.start_or_resume(conversation, bank.version, "live")
    noticed = bank.question("first_noticed_date")
    builders.answer(
        store,
        conversation,
        noticed.id,
        precise.strftime("%d/%m/%Y"),
        wording=noticed.text,
        value=precise.isoformat(),
        fact_date=precise,
    )
    rough(store, conversation, bank, "online_concern__when", when)
    rough(store, conversation, bank, "unknown_contacts__when", "don't know")
    return builders.submit(store, conversation)


def engine_record(tracker: Path, record: AssessmentRecord) -> dict[str, int]:
    """Write the engine's record of `record`'s conversation into the tracker store at `tracker`, as the engine
    would have logged it: each question, then the practitioner's words, a second apart and all before the
    first answer was stored (the test clock may stamp every answer alike). Returns question id -> the number
    of the user turn that gave it (each question and its answer are two turns)."""
    if not tracker.exists():
        make_tracker(tracker)
    answers = sorted(record.answers.values(), key=lambda a: a.recorded_at)
    start = answers[0].recorded_at - timedelta(seconds=2 * len(answers))
    events = []
    for n, answer in enumerate(answers):
        events.append(("bot", start + timedelta(seconds=2 * n), bot(answer.wording)))
        events.append(("user", start + timedelta(seconds=2 * n + 1), user(answer.text)))
    add_events(tracker, record.conversation_id, events)
    return {answer.question_id: 2 * n for n, answer in enumerate(answers, start=1)}
