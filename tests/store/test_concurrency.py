"""Two workers sending the same thing at once (a retry racing the original) must not fail or duplicate.

On SQLite writers queue on the file's write lock; on PostgreSQL they really run at once, so there the
unique-key race path (the insert that loses, rolls back and reads the winner's row) runs for real.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import text

from bot.domain.records import AnswerIn
from bot.store import db
from bot.store.services import Store
from tests.builders import give_answer

WORKERS = 8


def test_concurrent_identical_answers_store_one_row(
    service: Store,
    started: str,
    answer: Callable[..., AnswerIn],
    count_rows: Callable[[str], int],
    audit_actions: Callable[[], list[str]],
) -> None:
    given = answer()
    with ThreadPoolExecutor(WORKERS) as pool:
        results = list(pool.map(lambda _: give_answer(service, started, given), range(WORKERS * 3)))
    assert audit_actions().count("answer.recorded") == 1  # one turn wrote it; the rest were replays
    assert {record.answers[given.question_id].text for record in results} == {given.text}
    assert count_rows("answers") == 1


def test_concurrent_starts_make_one_assessment(
    service: Store, conversation: str, count_rows: Callable[[str], int]
) -> None:
    with ThreadPoolExecutor(WORKERS) as pool:
        records = list(
            pool.map(
                lambda _: service.assessments.start_or_resume(conversation, "2026.1"), range(WORKERS * 3)
            )
        )
    assert len({record.reference for record in records}) == 1
    assert count_rows("assessments") == 1


def test_concurrent_different_questions_are_all_kept(
    service: Store, started: str, answer: Callable[..., AnswerIn], count_rows: Callable[[str], int]
) -> None:
    with ThreadPoolExecutor(WORKERS) as pool:
        list(
            pool.map(
                lambda n: give_answer(service, started, answer(f"q{n}", text=f"answer {n}")),
                range(40),
            )
        )
    record = service.assessments.get_assessment(conversation_id=started)
    assert record is not None
    assert {qid: a.text for qid, a in record.answers.items()} == {f"q{n}": f"answer {n}" for n in range(40)}
    assert count_rows("answers") == 40


def test_reads_do_not_queue_behind_a_writer(service: Store, started: str, database_url: str) -> None:
    # Another process mid-transaction, having changed the assessment: on SQLite it holds the write lock
    # (db.make_engine begins with BEGIN IMMEDIATE), on PostgreSQL the row's lock.
    engine = db.make_engine(database_url)
    try:
        with engine.connect() as writer:
            transaction = writer.begin()
            try:
                writer.execute(text("UPDATE assessments SET current_question_id = 'not-yet-committed'"))
                record = service.assessments.get_assessment(conversation_id=started)
                assert record is not None
                assert record.current_question_id is None  # the reader sees the last committed state
                assert service.conversations.chat_messages(started) == []
            finally:
                transaction.rollback()
    finally:
        engine.dispose()
