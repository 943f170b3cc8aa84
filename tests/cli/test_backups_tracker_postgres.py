"""`bot db backup` and `bot db restore` with the engine's tracker on PostgreSQL (BOT_TRACKER_URL, issues #34
and #35): the tracker database is dumped with pg_dump and sealed beside the store's dump, restore puts it back
into an empty database, and every case's export (its transcript included) is the same after the round trip. A
tracker URL that cannot be reached stops the backup in one line, with nothing written. A restore whose store
half fails takes the tracker half out again (`empty_again`)."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from psycopg import sql

from bot.crypto.key_ring import parse_key_ring
from bot.questions import QuestionBank
from tests.cli.backup_helpers import PASSWORD, bot, export, open_store, private_modes, use_data_folder
from tests.conftest import TEST_DATA_KEYS
from tests.fixtures.cases import build_case
from tests.fixtures.engine_tracker import (
    drop_tracker_database,
    new_tracker_database,
    senders,
    write_conversation,
)
from tests.fixtures.postgres import PostgresDatabases
from tests.fixtures.postgres_cluster import PostgresCluster

MARKER = "Quillfeather-Zephyrine said it twice"
LOCKS = "redis://127.0.0.1:6379/1"  # required beside a PostgreSQL tracker; parsed, never reached here


def use_tracker(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("BOT_TRACKER_URL", url)
    monkeypatch.setenv("BOT_LOCK_STORE_URL", LOCKS)


def test_a_backup_holds_the_postgresql_tracker_and_a_restore_gives_the_same_transcripts(
    postgres_databases: PostgresDatabases,
    postgres_cluster: PostgresCluster,
    tmp_path: Path,
    bank: QuestionBank,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source, target = postgres_databases.create(), postgres_databases.create(migrated=False)
    tracker, empty_tracker = (
        new_tracker_database(postgres_cluster),
        new_tracker_database(postgres_cluster, tables=False),
    )
    try:
        with open_store(source) as store:
            pat = store.users.create_user("pat", PASSWORD, "practitioner", "North")
            records = [
                build_case(store, bank, pat, text=f"{MARKER}, case {n}", fact_date=date(2026, 3, 2))
                for n in range(2)
            ]
        for record in records:
            write_conversation(
                tracker,
                record.conversation_id,
                [f"{MARKER}, case 0  ", "Yes"],
                parse_key_ring(TEST_DATA_KEYS),
            )
        use_data_folder(monkeypatch, tmp_path / "live", source)
        use_tracker(monkeypatch, tracker)
        (tmp_path / "live-exports").mkdir()
        live = {r.reference: export(r.reference, tmp_path / "live-exports") for r in records}
        for doc in live.values():  # the transcript is read from the PostgreSQL tracker, verbatim
            said = [turn["text"] for turn in doc["transcript"]["turns"] if turn["speaker"] == "user"]
            assert said == [f"{MARKER}, case 0  ", "Yes"]

        backup = tmp_path / "backup"
        status, out, err = bot("db", "backup", str(backup))
        assert status == 0, err
        manifest = json.loads((backup / "manifest.json").read_text())
        assert {item["role"]: item["name"] for item in manifest["files"]} == {
            "store": "store.pgdump.sealed",
            "tracker": "tracker.pgdump.sealed",
        }
        assert private_modes(backup)["tracker.pgdump.sealed"] == 0o600
        found = subprocess.run(["grep", "-rlaF", "PGDMP", str(backup)], capture_output=True, check=False)
        assert found.returncode == 1  # both dumps sealed

        use_data_folder(monkeypatch, tmp_path / "fresh", target)
        use_tracker(monkeypatch, empty_tracker)
        # The store's half fails after the tracker's went in (its database takes no writes: empty, so the
        # checks pass, but pg_restore cannot create a table): the tracker is taken out again, so the operator
        # can put the store right and run the same restore again.
        read_only(target, True)
        status, _out, err = bot("db", "restore", str(backup))
        assert status == 1 and "pg_restore" in err and "read-only" in err
        assert own_relations(empty_tracker) == 0
        read_only(target, False)
        status, out, err = bot("db", "restore", str(backup))
        assert status == 0, err
        assert "store, tracker" in out
        assert senders(empty_tracker)["events"] == {r.conversation_id for r in records}
        (tmp_path / "restored-exports").mkdir()
        assert {r.reference: export(r.reference, tmp_path / "restored-exports") for r in records} == live

        # Again: the tracker database now holds the conversations, so the restore is refused before anything.
        status, _out, err = bot("db", "restore", str(backup))
        assert status == 1 and "is not empty" in err
    finally:
        postgres_databases.drop(source)
        postgres_databases.drop(target)
        drop_tracker_database(postgres_cluster, tracker)
        drop_tracker_database(postgres_cluster, empty_tracker)


def read_only(url: str, on: bool) -> None:
    """Every later session of the database starts read-only (or no longer does)."""
    database = sa.make_url(url).database or ""
    with psycopg.connect(_plain(url), autocommit=True) as db:
        db.execute("SET default_transaction_read_only = off")  # this session may still change the setting
        db.execute(
            sql.SQL("ALTER DATABASE {} SET default_transaction_read_only = {}").format(
                sql.Identifier(database), sql.SQL("on" if on else "off")
            )
        )


def _plain(url: str) -> str:
    """libpq's form of the URL, with its password."""
    return sa.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def own_relations(url: str) -> int:
    """Tables, views and sequences outside PostgreSQL's own schemas."""
    with psycopg.connect(_plain(url)) as db:
        row = db.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') "
            "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'"
        ).fetchone()
    return int(row[0]) if row else 0


def test_a_tracker_url_that_cannot_be_reached_stops_the_backup_in_one_line(
    postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_data_folder(monkeypatch, tmp_path / "live", postgres_url)
    use_tracker(monkeypatch, "postgresql://engine:s3cret-word@127.0.0.1:9/tracker")
    backup = tmp_path / "backup"

    status, out, err = bot("db", "backup", str(backup))

    assert status == 1 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "tracker database postgresql://engine:***@127.0.0.1:9/tracker" in err
    assert "cannot be reached" in err and "nothing was backed up" in err and "s3cret-word" not in err
    assert not backup.exists()
