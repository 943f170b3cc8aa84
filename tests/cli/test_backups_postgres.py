"""`bot db backup` and `bot db restore` on PostgreSQL (issue #35): pg_dump, then pg_restore into an empty
database gives the same cases and a whole audit trail; a database that is not empty is refused. Every
engine is disposed of: the fixture's unforced drop fails the test if a connection was left open."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from bot.questions import QuestionBank
from bot.store.db import head_revision
from tests.cli.backup_helpers import bot, export, open_store, private_modes, use_data_folder, write_cases
from tests.fixtures.postgres import PostgresDatabases

MARKER = "Quillfeather-Zephyrine"


def test_a_postgresql_backup_restores_into_an_empty_database_and_only_into_one(
    postgres_databases: PostgresDatabases, tmp_path: Path, bank: QuestionBank, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = postgres_databases.create()
    target = postgres_databases.create(migrated=False)
    try:
        with open_store(source) as store:
            references = write_cases(store, bank, 3, name=MARKER)
        use_data_folder(monkeypatch, tmp_path / "live", source)
        backup = tmp_path / "backup"
        status, out, err = bot("db", "backup", str(backup))
        assert status == 0, err
        manifest = json.loads((backup / "manifest.json").read_text())
        assert (manifest["backend"], manifest["alembic_revision"]) == ("postgresql", head_revision())
        assert private_modes(backup) == {
            ".": 0o700,
            "manifest.json": 0o600,
            "manifest.sig": 0o600,
            "store.pgdump.sealed": 0o600,
        }
        # Sealed: neither the dump's own header nor the practitioner's name (plain in the store) is readable.
        found = subprocess.run(["grep", "-rlaF", MARKER, str(backup)], capture_output=True, check=False)
        assert found.returncode == 1 and found.stdout == b""
        assert b"PGDMP" not in (backup / "store.pgdump.sealed").read_bytes()
        (tmp_path / "live-exports").mkdir()
        live_exports = {ref: export(ref, tmp_path / "live-exports") for ref in references}

        use_data_folder(monkeypatch, tmp_path / "fresh", target)
        status, out, err = bot("db", "restore", str(backup))
        assert status == 0, err
        status, out, err = bot("audit", "verify")
        assert status == 0 and out.startswith("audit trail intact: "), err
        (tmp_path / "restored-exports").mkdir()
        assert {ref: export(ref, tmp_path / "restored-exports") for ref in references} == live_exports

        # Again into the same database, now holding the store: refused, naming why.
        status, _out, err = bot("db", "restore", str(backup))
        assert status == 1
        assert "is not empty" in err and "restore only into an empty database" in err
    finally:
        postgres_databases.drop(source)
        postgres_databases.drop(target)
