"""The engine's tracker on PostgreSQL (BOT_TRACKER_URL, issues #34 and #31) is read, erased and rotated as the
SQLite file is: the lead's transcript reads its sealed rows verbatim; the retention job's erasure removes an
expired case's events and checkpoint and leaves a held and an unexpired case's; `bot keys rotate`'s tracker
half re-seals every row, stopped half way and resumed. Rows are written as the engine writes them
(tests/fixtures/engine_tracker.py) on the run's real PostgreSQL server; the store is the seeded SQLite one."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from review_helpers import VERBATIM, Case
from sqlalchemy.orm import Session, sessionmaker

from bot.crypto.key_ring import parse_key_ring
from bot.crypto.tracker_keys import CHECKPOINT_TABLE, EVENTS_TABLE, tracker_key_ring, tracker_keys_value
from bot.domain.records import UserInfo
from bot.domain.retention import load_schedule
from bot.questions import QuestionBank
from bot.review.forms import DecisionIn
from bot.review.pathway_records import PathwayIn
from bot.review.services import ReviewService
from bot.review.transcript import UNREADABLE, read_transcript
from bot.runtime.tracker_purge import delete_conversations
from bot.runtime.tracker_rotation import count_not_newest, rotate_tracker
from bot.settings import Settings
from bot.store.encrypted_text import key_ring_in_use
from bot.store.services import Store
from bot.tracker.database import TrackerDatabase
from tests.engine.engine_tracker_seal import tracker_seal
from tests.fixtures.engine_tracker import (
    drop_tracker_database,
    new_tracker_database,
    sealed_values,
    senders,
    write_conversation,
)
from tests.fixtures.postgres_cluster import PostgresCluster

ADDRESS = "192.0.2.34"
CLOSED = datetime.now(UTC).replace(microsecond=0)
AFTER_SIX_YEARS = CLOSED + timedelta(days=2192 + 1)
DECISION = DecisionIn(
    pathways=(PathwayIn("early_help", rationale="Early help fits.", shared="Nothing yet.", owner="Lead"),),
    lawful_bases=("art6_public_task",),
    consent="given",
)
OLD = "old1:" + "11" * 32
NEW = "new2:" + "22" * 32


@pytest.fixture
def tracker_url(postgres_cluster: PostgresCluster) -> Iterator[str]:
    url = new_tracker_database(postgres_cluster)
    yield url
    drop_tracker_database(postgres_cluster, url)


def test_the_transcript_reads_a_sealed_postgresql_tracker_verbatim(tracker_url: str, tmp_path: Path) -> None:
    write_conversation(tracker_url, "c-1", [VERBATIM, "Yes"], key_ring_in_use())
    write_conversation(tracker_url, "c-2", ["someone else's words"], key_ring_in_use())
    assert not any(VERBATIM.strip() in value for value in sealed_values(tracker_url))  # sealed at rest
    settings = Settings.from_env(
        {
            "BOT_DATA_DIR": str(tmp_path / "data"),
            "BOT_TRACKER_URL": tracker_url,
            "BOT_LOCK_STORE_URL": "redis://127.0.0.1:6379/1",
        }
    )
    assert settings.tracker_database == TrackerDatabase(url=tracker_url)

    transcript = read_transcript(settings.tracker_database, "c-1")

    assert transcript.note is None
    assert [(t.speaker, t.text) for t in transcript.turns] == [
        ("bot", "Question 1?"),
        ("user", VERBATIM),  # as typed, spaces and all: the engine's stripped text is not shown
        ("bot", "Question 2?"),
        ("user", "Yes"),
    ]
    unreachable = TrackerDatabase(url="postgresql://nobody:secret@127.0.0.1:9/tracker")
    assert read_transcript(unreachable, "c-1").note == UNREADABLE  # a note on the page, never an error


def close(
    sessions: sessionmaker[Session], bank: QuestionBank, lead: UserInfo, case: Case, at: datetime
) -> None:
    review = ReviewService(sessions, bank, clock=lambda: at)
    review.open_case(lead.id, ADDRESS, case.id)
    review.record_decision(lead.id, ADDRESS, case.id, DECISION)
    review.close_case(lead.id, ADDRESS, case.id)


def test_erasure_removes_an_expired_cases_conversation_and_leaves_held_and_unexpired_ones(
    tracker_url: str,
    sessions: sessionmaker[Session],
    store: Store,
    bank: QuestionBank,
    people: dict[str, UserInfo],
    cases: dict[str, Case],
) -> None:
    expired, held, unexpired = cases["north-live"], cases["south-live"], cases["north-colleague-live"]
    close(sessions, bank, people["north-lead"], expired, CLOSED)
    close(sessions, bank, people["south-lead"], held, CLOSED)
    close(sessions, bank, people["north-lead"], unexpired, CLOSED + timedelta(days=3 * 365))
    store.retention.set_hold(people["south-lead"].id, held.reference, "Complaint to the council, ref C-1")
    for case in (expired, held, unexpired):
        write_conversation(tracker_url, case.conversation_id, [VERBATIM, "Yes"], key_ring_in_use())
    later = Store(sessions, clock=lambda: AFTER_SIX_YEARS).retention

    erasure = later.erase_expired(load_schedule())
    events = delete_conversations(TrackerDatabase(url=tracker_url), erasure.sender_ids)

    assert expired.conversation_id in erasure.sender_ids
    assert (
        held.conversation_id not in erasure.sender_ids and unexpired.conversation_id not in erasure.sender_ids
    )
    assert events == 4  # the expired case's two questions and two answers
    left = {held.conversation_id, unexpired.conversation_id}
    assert senders(tracker_url) == {EVENTS_TABLE: left, CHECKPOINT_TABLE: left}
    for case in (held, unexpired):
        said = [t.text for t in read_transcript(TrackerDatabase(url=tracker_url), case.conversation_id).turns]
        assert VERBATIM in said


def test_rotation_reseals_a_postgresql_tracker_and_resumes_after_an_interruption(tracker_url: str) -> None:
    for sender in ("c-1", "c-2", "c-3"):
        write_conversation(tracker_url, sender, [f"{sender} said «this»\n  ", "No"], parse_key_ring(OLD))
    tracker = TrackerDatabase(url=tracker_url)
    ring = tracker_key_ring(parse_key_ring(f"{OLD},{NEW}"))
    assert count_not_newest(tracker, ring) == 15  # 12 events and 3 checkpoints

    stopped = rotate_tracker(tracker, ring, batch=4, max_batches=2)
    assert (stopped.finished, sum(stopped.resealed.values())) == (False, 8)
    assert count_not_newest(tracker, ring) == 7
    resumed = rotate_tracker(tracker, ring, batch=4)
    assert resumed.finished and sum(resumed.resealed.values()) == 7
    assert count_not_newest(tracker, ring) == 0

    assert all(value.startswith("enc1:new2:") for value in sealed_values(tracker_url))
    only_new = tracker_seal.parse_keys(tracker_keys_value(parse_key_ring(NEW)))
    said = read_back(tracker_url, only_new)
    assert said["c-2"] == ["c-2 said «this»\n  ", "No"]


def read_back(url: str, seal: object) -> dict[str, list[str]]:
    """Every user line, opened with the engine's own code and the new key only."""
    import sqlalchemy as sa

    engine = sa.create_engine(sa.make_url(url).set(drivername="postgresql+psycopg"))
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT sender_id, data FROM events WHERE type_name = 'user' ORDER BY id")
            ).all()
    finally:
        engine.dispose()
    said: dict[str, list[str]] = {}
    for sender, data in rows:
        event = json.loads(seal.open(data, EVENTS_TABLE, sender))  # type: ignore[attr-defined]
        said.setdefault(sender, []).append(event["metadata"]["typed_text"])
    return said
