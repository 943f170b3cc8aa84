"""The schema comes only from migrations, and the migrations agree with the models."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from bot.store import db, review_models  # noqa: F401  (review_models: its tables are compared too)
from bot.store.models import Base

TABLES = {
    "teams",
    "users",
    "conversations",
    "chat_messages",
    "assessments",
    "urgent_flags",
    "answers",
    "audit_events",
    "teams_identities",
    "referrals",
    "referral_status_changes",
    "decisions",
    "decision_actions",
    "alembic_version",
}

ORPHAN_ANSWER = """
    INSERT INTO answers (assessment_id, question_id, revision, wording, text, status, recorded_at)
    VALUES (999, 'q1', 1, 'w', 't', 'answered', '2026-01-01 00:00:00')
"""


def test_upgrade_creates_every_table_at_head(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    assert db.current_revision(url) is None
    assert not db.is_up_to_date(url)

    db.upgrade(url)

    engine = db.make_engine(url)
    assert set(inspect(engine).get_table_names()) == TABLES
    engine.dispose()
    assert db.current_revision(url) == db.head_revision() == "0003"
    assert db.is_up_to_date(url)


def test_upgrade_twice_is_a_no_op(database_url: str) -> None:
    db.upgrade(database_url)
    assert db.current_revision(database_url) == db.head_revision()


def test_head_migration_matches_the_models(database_url: str) -> None:
    engine = db.make_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == []


def test_downgrade_to_base_and_back(database_url: str) -> None:
    engine = db.make_engine(database_url, enforce_foreign_keys=False)
    with engine.begin() as connection:
        command.downgrade(db.alembic_config(connection), "base")
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    engine.dispose()
    db.upgrade(database_url)
    assert db.is_up_to_date(database_url)


def test_sqlite_connections_enforce_foreign_keys_and_use_wal(database_url: str) -> None:
    engine = db.make_engine(database_url)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(text(ORPHAN_ANSWER))
    engine.dispose()


def test_check_constraints_refuse_values_outside_the_vocabulary(database_url: str) -> None:
    engine = db.make_engine(database_url)
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(text("INSERT INTO teams (name, created_at) VALUES ('T', '2026-01-01 00:00:00')"))
        connection.execute(
            text(
                "INSERT INTO users (username, password_hash, role, team_id, active, created_at) "
                "VALUES ('u', 'h', 'superuser', 1, 1, '2026-01-01 00:00:00')"
            )
        )
    engine.dispose()


def test_migrations_refuse_to_run_without_a_connection() -> None:
    with pytest.raises(RuntimeError, match=r"bot\.store\.db\.upgrade"):
        command.upgrade(db.alembic_config(None), "head")
