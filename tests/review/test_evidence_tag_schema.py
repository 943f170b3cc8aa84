"""Migration 0005 (evidence_tags): up and down, and the rules the database itself keeps.

The database refuses what the service never writes (an unknown dimension, a half-recorded removal, a tag on
an answer revision that does not exist, two active tags for the same dimension on the same revision), so a
bug or a hand-run script cannot make a tag the pages would misread.
"""

from __future__ import annotations

import pytest
from alembic import command
from review_helpers import Case, tagged_answer
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from bot.domain.records import UserInfo
from bot.store import db
from bot.store.services import Store

INSERT = """
    INSERT INTO evidence_tags (assessment_id, question_id, answer_revision, dimension, note, tagged_by,
                               tagged_at, removed_by, removed_at)
    VALUES (:assessment, :question, :revision, :dimension, NULL, :user, '2026-11-28 10:00:00', :removed_by,
            :removed_at)
"""


def migrate(url: str, revision: str) -> None:
    engine = db.make_engine(url, enforce_foreign_keys=False)
    try:
        with engine.begin() as connection:
            command.downgrade(db.alembic_config(connection), revision)
    finally:
        engine.dispose()


def test_upgrade_adds_the_table_and_downgrade_removes_only_it(database_url: str) -> None:
    engine = db.make_engine(database_url)
    inspector = inspect(engine)
    assert "evidence_tags" in inspector.get_table_names()
    columns = {c["name"]: c for c in inspector.get_columns("evidence_tags")}
    assert set(columns) == {
        "id",
        "assessment_id",
        "question_id",
        "answer_revision",
        "dimension",
        "note",
        "tagged_by",
        "tagged_at",
        "removed_by",
        "removed_at",
    }
    assert columns["note"]["nullable"] and columns["removed_at"]["nullable"]
    assert not columns["dimension"]["nullable"] and not columns["answer_revision"]["nullable"]
    engine.dispose()
    # Compared from 0005 itself, so that tables added by later migrations do not count.
    migrate(database_url, "0005")
    engine = db.make_engine(database_url)
    tables_before = set(inspect(engine).get_table_names())
    engine.dispose()

    migrate(database_url, "0004")

    engine = db.make_engine(database_url)
    assert set(inspect(engine).get_table_names()) == tables_before - {"evidence_tags"}
    engine.dispose()
    assert db.current_revision(database_url) == "0004"

    db.upgrade(database_url)
    assert db.is_up_to_date(database_url)
    engine = db.make_engine(database_url)
    assert "evidence_tags" in inspect(engine).get_table_names()
    engine.dispose()


def test_the_database_keeps_the_tag_rules(
    database_url: str, store: Store, people: dict[str, UserInfo], cases: dict[str, Case]
) -> None:
    case = cases["north-live"]
    question_id, revision = tagged_answer(store, case)
    lead = people["north-lead"].id
    good = {
        "assessment": case.id,
        "question": question_id,
        "revision": revision,
        "dimension": "intent",
        "user": lead,
        "removed_by": None,
        "removed_at": None,
    }
    engine = db.make_engine(database_url)
    try:
        for bad in (
            {"dimension": "risk"},  # not a VAF dimension
            {"dimension": "Intent"},
            {"removed_by": lead},  # removal recorded by halves
            {"removed_at": "2026-11-28 11:00:00"},
            {"revision": revision + 1},  # no such answer revision
            {"question": "no_such_question"},
            {"user": 999_999},  # no such user
        ):
            with pytest.raises(IntegrityError), engine.begin() as connection:
                connection.execute(text(INSERT), {**good, **bad})

        with engine.begin() as connection:
            connection.execute(text(INSERT), good)
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(text(INSERT), good)  # a second active tag for the same dimension
        with engine.begin() as connection:
            connection.execute(
                text("UPDATE evidence_tags SET removed_by = :user, removed_at = '2026-11-28 12:00:00'"),
                {"user": lead},
            )
            connection.execute(text(INSERT), good)  # once the first is removed, the dimension may return
            connection.execute(text(INSERT), {**good, "dimension": "capability"})
            count = connection.execute(text("SELECT count(*) FROM evidence_tags")).scalar()
        assert count == 3
    finally:
        engine.dispose()
