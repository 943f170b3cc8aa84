"""Revision 0036 on SQLite and PostgreSQL: answers' open values (free text, ages) and the date of birth
written before it are sealed by it, closed values stay plain, every value reads back exactly through the
store, and a downgrade to 0035 puts them back plain."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

from alembic import command
from sqlalchemy import text
from sqlalchemy.orm import Session

from bot.store import db
from bot.store.encrypted_text import key_ring_in_use

if TYPE_CHECKING:
    from tests.store.conftest import Databases

ROWS = """
    INSERT INTO teams (id, name, created_at) VALUES (1, 'North', '2026-01-01');
    INSERT INTO users (id, username, password_hash, role, team_id, active, created_at)
    VALUES (1, 'lee', 'x', 'lead', 1, TRUE, '2026-01-01');
    INSERT INTO conversations (id, sender_id, channel, created_at) VALUES (1, 's1', 'web', '2026-01-01');
    INSERT INTO assessments (id, reference, conversation_id, mode, status, bank_version, urgent, created_at,
        updated_at)
    VALUES (1, 'A-0000001', 1, 'live', 'in_progress', '2026.1', FALSE, '2026-01-01', '2026-01-01');
    INSERT INTO identifying_details (assessment_id, date_of_birth, entered_by, entered_at)
    VALUES (1, '2011-05-04', 1, '2026-01-01');
    INSERT INTO identifying_details (assessment_id, date_of_birth, entered_by, entered_at)
    VALUES (1, NULL, 1, '2026-01-01')
"""
FREE = "  Zephyrine's «blue» kettle 🫖\r\n\t"
# (question, text typed, value) and whether 0036 seals the value.
ANSWERS: list[tuple[str, str, Any, bool]] = [
    ("q_role", "Teacher", "teacher", False),
    ("q_kinds", "online and family", ["online", "family"], False),
    ("q_told", "yes", "yes", True),  # exactly the words typed: sealed, though it looks like a choice id
    ("q_free", FREE, FREE, True),
    ("q_age", "14", 14, True),
    ("q_when", "last summer", {"text": "last summer", "from": "2025-06-01"}, True),
    ("q_skip", "", None, False),
]


def test_0036_seals_open_values_and_the_date_of_birth_and_downgrade_opens_them(databases: Databases) -> None:
    from bot.store.answer_values import joined_value
    from bot.store.document_models import IdentifyingDetails
    from bot.store.models import Answer

    ring = key_ring_in_use()
    url = databases.create(migrated=False)
    db.upgrade(url, "0035")
    engine = db.make_engine(url)
    as_json = "CAST(:v AS JSON)" if engine.dialect.name == "postgresql" else ":v"
    with engine.begin() as connection:
        for statement in filter(str.strip, ROWS.split(";")):
            connection.execute(text(statement))
        for question, typed, value, _ in ANSWERS:
            connection.execute(
                text(
                    "INSERT INTO answers (assessment_id, question_id, revision, wording, text, value, status,"
                    f" recorded_at) VALUES (1, :q, 1, 'w', :t, {as_json}, 'answered', '2026-01-01')"
                ),
                {"q": question, "t": ring.seal(typed, "answers", "text"), "v": json.dumps(value)},
            )
    db.upgrade(url)

    def raw() -> list[tuple[Any, Any]]:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT CAST(value AS TEXT) FROM answers ORDER BY id")).scalars()
            return [None if v is None else json.loads(v) for v in rows]

    with engine.connect() as connection:
        sealed = connection.execute(text("SELECT sealed_value FROM answers ORDER BY id")).scalars().all()
        born = connection.execute(text("SELECT date_of_birth FROM identifying_details ORDER BY id")).all()
    assert [s is not None and s.startswith("enc1:test1:") for s in sealed] == [a[3] for a in ANSWERS]
    assert raw() == [None if seals else value for _, _, value, seals in ANSWERS]
    assert born[0][0].startswith("enc1:test1:") and born[1][0] is None
    with Session(engine) as session:
        rows = session.query(Answer).order_by(Answer.id).all()
        assert [joined_value(row.value, row.sealed_value) for row in rows] == [a[2] for a in ANSWERS]
        details = session.query(IdentifyingDetails).order_by(IdentifyingDetails.id).all()
        assert [d.date_of_birth for d in details] == [date(2011, 5, 4), None]

    rebuilding = db.make_engine(url, enforce_foreign_keys=False)  # SQLite batch mode rebuilds the tables
    with rebuilding.begin() as connection:
        command.downgrade(db.alembic_config(connection), "0035")
    rebuilding.dispose()
    assert raw() == [a[2] for a in ANSWERS]
    with engine.connect() as connection:
        born = connection.execute(
            text("SELECT CAST(date_of_birth AS TEXT) FROM identifying_details ORDER BY id")
        ).all()
        columns = connection.execute(text("SELECT * FROM answers")).keys()
    assert [b[0] for b in born] == ["2011-05-04", None] and "sealed_value" not in columns
    engine.dispose()
