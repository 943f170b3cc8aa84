"""Answers and chat messages are sealed at rest (issue #31, first slice), on SQLite and PostgreSQL.

A distinctive sentence a practitioner typed is nowhere in the SQLite file, its WAL or a pg_dump of the
tables, and reads back byte for byte through the store. `bot keys rotate`'s service seals 1,000 answers
again under a new key: stopped after half its batches and run again, every answer reads back exactly with
only the new key left in the ring.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from bot.backup.postgres import libpq_environment
from bot.crypto.key_ring import parse_key_ring
from bot.domain.audit_actions import AuditAction
from bot.domain.records import AnswerIn, ChatMessage
from bot.store.encrypted_text import key_ring_in_use, use_key_ring
from bot.store.models import Answer, Assessment, AuditEvent
from bot.store.services import Store

DISTINCTIVE = "Zephyrine told me the blue kettle 🫖 is «hidden» under  the stairs\r\n\tnear Ffordd Newydd "
OLD = "rot-old:" + "a1" * 32
NEW = "rot-new:" + "b2" * 32


@pytest.fixture
def key_ring() -> Iterator[None]:
    """This test's ring, and the suite's back afterwards (the ring is a process-wide setting)."""
    suite = key_ring_in_use()
    use_key_ring(parse_key_ring(OLD))
    yield
    use_key_ring(suite)


def _stored_bytes(database_url: str, tmp_path: Path) -> bytes:
    """Everything the database holds of the two tables, as bytes on disk or in a dump."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        path = Path(str(url.database))
        files = [path, path.with_name(path.name + "-wal")]
        return b"".join(f.read_bytes() for f in files if f.exists())
    dump = subprocess.run(  # pg_dump from PATH, no shell
        [str(shutil.which("pg_dump")), "--data-only", "--table=answers", "--table=chat_messages"],
        env=libpq_environment(database_url),
        capture_output=True,
        check=True,
        timeout=300,
    )
    return dump.stdout


def test_a_distinctive_answer_is_not_at_rest_and_reads_back_exactly(
    service: Store, started: str, database_url: str, tmp_path: Path
) -> None:
    # A yes/no question answered in words: the value is "yes", the text is the sentence as typed.
    answer = AnswerIn(
        question_id="q_told",
        revision=1,
        wording="Has anyone told you?",
        text=DISTINCTIVE,
        value="yes",
        status="answered",
    )
    service.assessments.record_answer(started, answer)
    service.conversations.append_chat_messages(started, [ChatMessage("in", DISTINCTIVE)])

    at_rest = _stored_bytes(database_url, tmp_path)
    assert b"Zephyrine" not in at_rest and DISTINCTIVE.encode() not in at_rest
    assert b"enc1:test1:" in at_rest  # sealed, under the suite's key
    stored = service.assessments.get_assessment(conversation_id=started).answers["q_told"]  # type: ignore[union-attr]
    assert stored.text.encode("utf-8") == DISTINCTIVE.encode("utf-8")
    assert service.conversations.chat_messages(started)[-1].text.encode() == DISTINCTIVE.encode()


def test_rotation_stopped_half_way_and_run_again_keeps_every_answer(
    key_ring: None, service: Store, started: str, sessions: sessionmaker[Session]
) -> None:
    texts = {f"q{n}": f"answer {n}: {DISTINCTIVE[: n % 60]}\n{n * '·'}" for n in range(1000)}
    with sessions.begin() as session:
        assessment_id = session.execute(select(Assessment.id)).scalar_one()
        now = datetime.now(UTC)
        session.add_all(
            Answer(
                assessment_id=assessment_id,
                question_id=qid,
                revision=1,
                wording="?",
                text=text,
                value=None,
                status="answered",
                recorded_at=now,
            )
            for qid, text in texts.items()
        )
    use_key_ring(parse_key_ring(f"{OLD},{NEW}"))

    stopped = service.keys.rotate(batch=100, max_batches=5)
    assert (stopped.resealed["answers.text"], stopped.finished) == (500, False)
    assert service.keys.count_under_old_keys()["answers.text"] == 500

    resumed = service.keys.rotate(batch=100)
    assert resumed.finished and resumed.resealed["answers.text"] == 500
    assert service.keys.count_under_old_keys() == {"answers.text": 0, "chat_messages.text": 0}

    use_key_ring(parse_key_ring(NEW))  # the old key can go: nothing needs it now
    with sessions() as session:
        read = {qid: text for qid, text in session.execute(select(Answer.question_id, Answer.text))}
        events = session.execute(
            select(func.count()).where(AuditEvent.action == AuditAction.DATA_KEYS_ROTATED.value)
        ).scalar_one()
    assert {qid: read[qid].encode() for qid in texts} == {qid: text.encode() for qid, text in texts.items()}
    assert events == 2


def test_rotation_with_a_key_missing_from_the_ring_changes_nothing(
    key_ring: None, service: Store, started: str
) -> None:
    answer = AnswerIn(question_id="q1", revision=1, wording="?", text="kept", value=None, status="answered")
    service.assessments.record_answer(started, answer)  # sealed under OLD
    use_key_ring(parse_key_ring(NEW))
    with pytest.raises(ValueError, match="sealed with data key 'rot-old', which is not in the key ring"):
        service.keys.rotate(batch=10)
    use_key_ring(parse_key_ring(OLD))
    assert service.assessments.get_assessment(conversation_id=started).answers["q1"].text == "kept"  # type: ignore[union-attr]
