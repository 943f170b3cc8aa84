"""Free text is sealed at rest (issue #31), on SQLite and PostgreSQL: answers and chat messages (first slice)
and every other column of bot.store.sealed_columns (second slice).

A distinctive sentence typed into any sealed column is nowhere in the SQLite file, its WAL or a pg_dump of the
database, and reads back byte for byte through the store; a case-record ID is still found by its digest.
`bot keys rotate`'s service seals 1,000 answers again under a new key: stopped after half its batches and run
again, every answer reads back exactly with only the new key left in the ring; it seals every other column
again too, with the case-record lookup digest.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Text, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from bot.backup.postgres import libpq_environment
from bot.crypto.key_ring import parse_key_ring
from bot.domain.audit_actions import AuditAction
from bot.domain.records import AnswerIn, ChatMessage
from bot.store import db, repository
from bot.store.current_answers import current_values
from bot.store.encrypted_text import EncryptedDate, EncryptedText, key_ring_in_use, use_key_ring
from bot.store.models import Answer, Assessment, AuditEvent, Base
from bot.store.review_models import Referral, case_record_digests
from bot.store.sealed_columns import LOOKUPS, SEALED_COLUMNS
from bot.store.services import Store
from tests.builders import give_answer
from tests.store.sealed_rows import (
    BORN,
    DATE_OF_BIRTH,
    DISTINCTIVE,
    MARKER,
    read_every_sealed_column,
    typed,
    write_every_sealed_column,
    written,
)

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
    """Everything the database holds, as bytes on disk or in a dump."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        path = Path(str(url.database))
        files = [path, path.with_name(path.name + "-wal")]
        return b"".join(f.read_bytes() for f in files if f.exists())
    dump = subprocess.run(  # pg_dump from PATH, no shell
        [str(shutil.which("pg_dump")), "--data-only"],
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
    give_answer(service, started, answer)
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
    assert set(service.keys.count_under_old_keys().values()) == {0}

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
    give_answer(service, started, answer)  # sealed under OLD
    use_key_ring(parse_key_ring(NEW))
    with pytest.raises(ValueError, match="sealed with data key 'rot-old', which is not in the key ring"):
        service.keys.rotate(batch=10)
    use_key_ring(parse_key_ring(OLD))
    assert service.assessments.get_assessment(conversation_id=started).answers["q1"].text == "kept"  # type: ignore[union-attr]


def test_the_one_list_of_sealed_columns_is_the_models_and_the_migrations() -> None:
    """Every sealed column (EncryptedText, EncryptedDate) is in bot.store.sealed_columns (so `bot keys rotate`
    covers it) and every listed column is one; the migrations that sealed them (0034 to 0036) name the same
    columns."""
    from bot.store import document_models, feedback_models, retention_models  # noqa: F401  (their tables)

    in_models = {
        (name, col.name)
        for name, tab in Base.metadata.tables.items()
        for col in tab.columns
        if isinstance(col.type, (EncryptedText, EncryptedDate))
    }
    scripts = ScriptDirectory.from_config(db.alembic_config(None))
    migrated = [pair for rev in ("0034", "0035", "0036") for pair in scripts.get_revision(rev).module.SEALED]
    assert len(set(SEALED_COLUMNS)) == len(SEALED_COLUMNS)
    assert set(SEALED_COLUMNS) == in_models
    assert migrated == list(SEALED_COLUMNS)
    assert all(Base.metadata.tables[t].c[c] is not None for (t, _), c in LOOKUPS.items())


def test_every_sealed_column_is_not_at_rest_and_reads_back_exactly(
    service: Store, started: str, database_url: str, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    write_every_sealed_column(sessions)

    at_rest = _stored_bytes(database_url, tmp_path)
    assert MARKER not in at_rest
    for table, column in SEALED_COLUMNS:
        assert typed(table, column).encode() not in at_rest
    assert BORN.isoformat().encode() not in at_rest
    read = read_every_sealed_column(sessions)
    assert read.pop(DATE_OF_BIRTH) == [BORN]
    assert {key: [str(v).encode() for v in values] for key, values in read.items()} == {
        key: [typed(*key).encode()] for key in SEALED_COLUMNS if key != DATE_OF_BIRTH
    }


def test_rotation_seals_every_column_again_and_keeps_the_case_record_lookup(
    key_ring: None, service: Store, started: str, sessions: sessionmaker[Session]
) -> None:
    write_every_sealed_column(sessions, case_record_id="CR-0042")
    use_key_ring(parse_key_ring(f"{OLD},{NEW}"))
    assert all(count == 1 for count in service.keys.count_under_old_keys().values())

    rotation = service.keys.rotate(batch=2)
    assert rotation.finished and rotation.resealed == {f"{t}.{c}": 1 for t, c in SEALED_COLUMNS}
    assert set(service.keys.count_under_old_keys().values()) == {0}

    use_key_ring(parse_key_ring(NEW))  # the old key goes: every value and the lookup digest are under NEW
    read = read_every_sealed_column(sessions)
    assert read.pop(("referrals", "case_record_id")) == ["CR-0042"]
    assert read == {key: [written(*key)] for key in SEALED_COLUMNS if key != ("referrals", "case_record_id")}
    with sessions() as session:
        found = session.execute(
            select(Referral.id).where(Referral.case_record_lookup.in_(case_record_digests("CR-0042")))
        ).all()
    assert len(found) == 1


def test_cases_linked_by_one_case_record_id_are_found_by_its_digest_under_any_key(
    key_ring: None, service: Store, conversation: str, sessions: sessionmaker[Session]
) -> None:
    """Two cases linked to one child, a third to another: the lookup finds the two, also while a rotation
    is pending (one linked under the old key, one under the new), and the stored IDs are ciphertext."""
    now = datetime.now(UTC)
    chats = [conversation, *(service.conversations.open_conversation(None, "web") for _ in range(2))]
    ids = [service.assessments.start_or_resume(chat, "2026.1").id for chat in chats]

    def link(assessment_id: int, case_record_id: str) -> None:
        with sessions.begin() as session:
            session.add(
                Referral(
                    assessment_id=assessment_id,
                    status="in_review",
                    created_at=now,
                    updated_at=now,
                    case_record_id=case_record_id,
                )
            )

    def linked(case_record_id: str) -> list[int]:
        with sessions() as session:
            return list(
                session.execute(
                    select(Referral.assessment_id)
                    .where(Referral.case_record_lookup.in_(case_record_digests(case_record_id)))
                    .order_by(Referral.assessment_id)
                ).scalars()
            )

    link(ids[0], "CR-1001")  # under OLD
    use_key_ring(parse_key_ring(f"{OLD},{NEW}"))  # a new key added, not yet rotated
    link(ids[1], "CR-1001")  # under NEW
    link(ids[2], "CR-2002")
    assert linked("CR-1001") == ids[:2] and linked("CR-2002") == [ids[2]] and linked("CR-3003") == []
    with sessions() as session:
        raw = session.execute(
            select(Referral.case_record_lookup, func.length(Referral.case_record_lookup))
        ).all()
    assert all(length == 64 for _, length in raw)
    # One ID has a digest per key (so a lookup tries every key of the ring): three rows, three digests.
    assert len({lookup for lookup, _ in raw}) == 3
    with sessions() as session:
        stored = session.execute(select(Referral.__table__.c.case_record_id.cast(Text))).scalars().all()
    assert all(value.startswith("enc1:") for value in stored)


def test_an_open_answer_value_is_not_at_rest_and_every_reader_gives_it_back(
    service: Store, started: str, database_url: str, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    """Revision 0036: a free-text answer's value (its words) and an age are sealed in `sealed_value`; a closed
    answer's value stays plain; the record, the answer history and the current values give each back."""
    values = {"q_free": DISTINCTIVE, "q_age": 14, "q_role": "teacher"}
    for question, value in values.items():
        typed_words = DISTINCTIVE if question == "q_free" else ("14" if value == 14 else "Teacher")
        give_answer(
            service,
            started,
            AnswerIn(
                question_id=question,
                revision=1,
                wording="?",
                text=typed_words,
                value=value,
                status="answered",
            ),
        )

    at_rest = _stored_bytes(database_url, tmp_path)
    assert MARKER not in at_rest and DISTINCTIVE.encode() not in at_rest
    record = service.assessments.get_assessment(conversation_id=started)
    assert record is not None
    assert {q: record.answers[q].value for q in values} == values
    assert record.answers["q_free"].value.encode() == DISTINCTIVE.encode()
    with sessions() as session:
        plain = dict(session.execute(select(Answer.question_id, Answer.value)).all())
        histories = repository.answer_histories(session, record.id)
        current = current_values(session, [record.id])[record.id]
    assert plain == {"q_free": None, "q_age": None, "q_role": "teacher"}  # only the closed one is plain
    assert {h.question_id: h.revisions[-1].value for h in histories} == values
    assert {q: current[q] for q in values} == values
