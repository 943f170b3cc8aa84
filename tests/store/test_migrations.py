"""The schema comes only from migrations, and the migrations agree with the models, on both databases."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.store import db
from bot.store.all_models import metadata

if TYPE_CHECKING:
    from tests.store.conftest import Databases

# The tables the store cannot do without; later migrations may add more (the models say which).
CORE_TABLES = {
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
}

ORPHAN_ANSWER = """
    INSERT INTO answers (assessment_id, question_id, revision, wording, text, status, recorded_at)
    VALUES (999, 'q1', 1, 'w', 't', 'answered', '2026-01-01 00:00:00')
"""
TEAM = "INSERT INTO teams (name, created_at) VALUES ('T', '2026-01-01 00:00:00')"
USER_WITH_ROLE = """
    INSERT INTO users (username, password_hash, role, team_id, active, created_at)
    SELECT 'u', 'h', :role, id, TRUE, '2026-01-01 00:00:00' FROM teams WHERE name = 'T'
"""


def test_the_history_is_one_line() -> None:
    heads = ScriptDirectory.from_config(db.alembic_config()).get_heads()
    assert heads == [db.head_revision()]


def test_the_schema_head_the_commands_check_is_alembics_head() -> None:
    head = db.head_revision()
    assert head == db.SCHEMA_HEAD, f"a migration was added: set SCHEMA_HEAD = {head!r} in bot/store/db.py"


def test_a_database_behind_or_at_base_is_not_up_to_date(database_url: str) -> None:
    engine = db.make_engine(database_url, enforce_foreign_keys=False)
    with engine.begin() as connection:
        command.downgrade(db.alembic_config(connection), "-1")
    assert db.current_revision(database_url) != db.head_revision()
    assert not db.is_up_to_date(database_url)
    with engine.begin() as connection:
        command.downgrade(db.alembic_config(connection), "base")  # the version table stays, empty
    engine.dispose()
    assert db.current_revision(database_url) is None
    assert not db.is_up_to_date(database_url)


def test_upgrade_creates_every_table_at_head(databases: Databases) -> None:
    url = databases.create(migrated=False)
    assert db.current_revision(url) is None
    assert not db.is_up_to_date(url)

    db.upgrade(url)

    engine = db.make_engine(url)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert tables == set(metadata().tables) | {"alembic_version"}
    assert tables >= CORE_TABLES
    assert db.current_revision(url) == db.head_revision()
    assert db.is_up_to_date(url)


def test_upgrade_twice_is_a_no_op(database_url: str) -> None:
    db.upgrade(database_url)
    assert db.current_revision(database_url) == db.head_revision()


def test_head_migration_matches_the_models(database_url: str) -> None:
    engine = db.make_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, metadata())
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


def test_foreign_keys_are_enforced(database_url: str) -> None:
    engine = db.make_engine(database_url)
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(text(ORPHAN_ANSWER))
    engine.dispose()


def test_check_constraints_refuse_values_outside_the_vocabulary(database_url: str) -> None:
    engine = db.make_engine(database_url)
    with pytest.raises(IntegrityError, match="ck_users_role"), engine.begin() as connection:
        connection.execute(text(TEAM))
        connection.execute(text(USER_WITH_ROLE), {"role": "superuser"})
    with engine.begin() as connection:  # the same row with a role from the list is fine
        connection.execute(text(TEAM))
        connection.execute(text(USER_WITH_ROLE), {"role": "lead"})
    engine.dispose()


def test_sqlite_connections_enforce_foreign_keys_and_use_wal(tmp_path: Path) -> None:
    """SQLite only: what db.make_engine switches on for every SQLite connection (PostgreSQL needs neither)."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    db.upgrade(url)
    engine = db.make_engine(url)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()


def test_migrations_refuse_to_run_without_a_connection() -> None:
    with pytest.raises(RuntimeError, match=r"bot\.store\.db\.upgrade"):
        command.upgrade(db.alembic_config(None), "head")


SEALED_ROWS = """
    INSERT INTO conversations (id, sender_id, channel, created_at) VALUES (1, 's1', 'web', '2026-01-01');
    INSERT INTO assessments (id, reference, conversation_id, mode, status, bank_version, urgent, created_at,
        updated_at)
    VALUES (1, 'A-0000001', 1, 'live', 'in_progress', '2026.1', FALSE, '2026-01-01', '2026-01-01');
"""
BEFORE_0034 = ["  Kept\r\nexactly 🫖 ", "", "second «answer»\t"]


def test_0034_seals_existing_answers_and_messages_and_downgrade_opens_them(databases: Databases) -> None:
    """Rows written before revision 0034 (plain text) are sealed by it, read back exactly through the
    models, and plain again after a downgrade to 0033: on SQLite and PostgreSQL."""
    from bot.store.models import Answer, ChatMessageRow

    url = databases.create(migrated=False)
    db.upgrade(url, "0033")
    engine = db.make_engine(url)
    with engine.begin() as connection:
        for statement in filter(str.strip, SEALED_ROWS.split(";")):
            connection.execute(text(statement))
        for n, value in enumerate(BEFORE_0034, start=1):
            connection.execute(
                text(
                    "INSERT INTO answers (assessment_id, question_id, revision, wording, text, status, "
                    "recorded_at) VALUES (1, :q, 1, 'w', :t, 'answered', '2026-01-01')"
                ),
                {"q": f"q{n}", "t": value},
            )
            connection.execute(
                text(
                    "INSERT INTO chat_messages (conversation_id, direction, text, buttons, created_at) "
                    "VALUES (1, 'in', :t, '[]', '2026-01-01')"
                ),
                {"t": value},
            )
    db.upgrade(url)

    def raw() -> list[str]:
        with engine.connect() as connection:
            return [
                *connection.execute(text("SELECT text FROM answers ORDER BY id")).scalars(),
                *connection.execute(text("SELECT text FROM chat_messages ORDER BY id")).scalars(),
            ]

    assert all(value.startswith("enc1:test1:") for value in raw())
    with Session(engine) as session:
        assert [a.text for a in session.query(Answer).order_by(Answer.id)] == BEFORE_0034
        assert [m.text for m in session.query(ChatMessageRow).order_by(ChatMessageRow.id)] == BEFORE_0034
    with engine.begin() as connection:
        command.downgrade(db.alembic_config(connection), "0033")
    assert raw() == BEFORE_0034 * 2
    engine.dispose()


BEFORE_0035 = """
    INSERT INTO teams (id, name, created_at) VALUES (1, 'North', '2026-01-01');
    INSERT INTO users (id, username, password_hash, role, team_id, active, created_at)
    VALUES (1, 'lee', 'x', 'lead', 1, TRUE, '2026-01-01');
    INSERT INTO answers (assessment_id, question_id, revision, wording, text, status, source, recorded_at)
    VALUES (1, 'q1', 1, 'w', 'enc1:test1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'answered', NULL, '2026-01-01');
    INSERT INTO urgent_flags (assessment_id, message, flagged_at) VALUES (1, :typed, '2026-01-01');
    INSERT INTO referrals (id, assessment_id, status, created_at, updated_at, case_record_id)
    VALUES (1, 1, 'in_review', '2026-01-01', '2026-01-01', 'CR-0042');
    INSERT INTO decisions
        (referral_id, decided_by, decided_at, lawful_bases, consent, consent_reason, feedback)
    VALUES (1, 1, '2026-01-01', '[]', 'given', :typed, NULL);
    INSERT INTO account_changes (user_id, action, reason, made_by, made_at)
    VALUES (1, 'user_deactivated', :typed, 'cli:ops', '2026-01-01');
"""
TYPED_0035 = "  left the council\r\n«exactly» 🫖\t"


def test_0035_seals_the_other_typed_text_with_a_case_record_lookup_and_downgrade_opens_it(
    databases: Databases,
) -> None:
    """Rows written before revision 0035 are sealed by it (nulls stay null), read back exactly, the
    case-record ID is found by its digest, and a downgrade to 0034 leaves them plain: on both backends."""
    from bot.store.account_models import AccountChange
    from bot.store.encrypted_text import key_ring_in_use
    from bot.store.models import UrgentFlag
    from bot.store.review_models import Decision, Referral, case_record_digests

    url = databases.create(migrated=False)
    db.upgrade(url, "0034")
    engine = db.make_engine(url)
    with engine.begin() as connection:
        for statement in filter(str.strip, (SEALED_ROWS + BEFORE_0035).split(";")):
            connection.execute(text(statement), {"typed": TYPED_0035} if ":typed" in statement else {})
    db.upgrade(url)

    def raw() -> list[str | None]:
        with engine.connect() as connection:
            return [
                connection.execute(text("SELECT message FROM urgent_flags")).scalar_one(),
                connection.execute(text("SELECT case_record_id FROM referrals")).scalar_one(),
                *connection.execute(text("SELECT consent_reason, feedback FROM decisions")).one(),
                connection.execute(text("SELECT reason FROM account_changes")).scalar_one(),
                connection.execute(text("SELECT source FROM answers")).scalar_one(),
            ]

    sealed = raw()
    assert [value is not None and value.startswith("enc1:test1:") for value in sealed] == [1, 1, 1, 0, 1, 0]
    with Session(engine) as session:
        assert session.query(UrgentFlag).one().message == TYPED_0035
        referral = session.query(Referral).one()
        assert referral.case_record_id == "CR-0042"
        assert referral.case_record_lookup == key_ring_in_use().digest(
            "CR-0042", "referrals", "case_record_id"
        )
        found = session.query(Referral).filter(
            Referral.case_record_lookup.in_(case_record_digests("CR-0042"))
        )
        assert found.count() == 1
        decision = session.query(Decision).one()
        assert (decision.consent_reason, decision.feedback) == (TYPED_0035, None)
        assert session.query(AccountChange).one().reason == TYPED_0035
    rebuilding = db.make_engine(url, enforce_foreign_keys=False)  # SQLite batch mode rebuilds `referrals`
    with rebuilding.begin() as connection:
        command.downgrade(db.alembic_config(connection), "0034")
    rebuilding.dispose()
    assert raw() == [TYPED_0035, "CR-0042", TYPED_0035, None, TYPED_0035, None]
    columns = {column["name"] for column in inspect(engine).get_columns("referrals")}
    indexes = {index["name"] for index in inspect(engine).get_indexes("referrals")}
    assert "case_record_lookup" not in columns and "ix_referrals_case_record_id" in indexes
    engine.dispose()
