"""Which migration a database is at, and which is the newest, read without loading Alembic.

Every `bot` command that opens the store, and the app's production start-up, only checks the schema; loading
Alembic for that (with Mako and Pygments behind it, and every migration module) cost a command more than
its own work. The stored revision is Alembic's own table, `alembic_version`; the newest is the one revision
no migration names as its `down_revision`, read from the migration files' text as Alembic reads it from the
modules (tests/store/test_schema_revisions.py checks both against Alembic). Migrating still uses Alembic
(bot.store.db.upgrade).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

VERSIONS_DIR = Path(__file__).resolve().parent / "migrations" / "versions"
VERSION_TABLE = "alembic_version"  # Alembic's default, which bot/store/migrations/env.py keeps
_ASSIGNMENT = re.compile(r"^(revision|down_revision)(?:\s*:[^=]+)?\s*=\s*(.+?)\s*$", re.MULTILINE)


class MigrationHistoryError(Exception):
    """The migration files do not make one line of history (no file names a revision, or two heads)."""


def stored_revision(connection: Connection) -> str | None:
    """The revision the database is at; None for a database with no schema yet."""
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    rows = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()  # noqa: S608  # a constant table name
    if len(rows) > 1:
        raise MigrationHistoryError(
            f"the database is at several revisions at once: {', '.join(sorted(rows))}"
        )
    return rows[0] if rows else None


def revisions() -> dict[str, tuple[str, ...]]:
    """Every migration's revision, with the revisions it follows (its `down_revision`, none for the first)."""
    found: dict[str, tuple[str, ...]] = {}
    for path in sorted(VERSIONS_DIR.glob("*.py")):
        if path.name.startswith(("__", ".#")):
            continue
        values = {
            name: ast.literal_eval(value) for name, value in _ASSIGNMENT.findall(path.read_text("utf-8"))
        }
        if not isinstance(values.get("revision"), str):
            raise MigrationHistoryError(f"{path.name} names no revision")
        down = values.get("down_revision")
        found[values["revision"]] = () if down is None else (down,) if isinstance(down, str) else tuple(down)
    return found


def head_revision() -> str | None:
    """The newest migration: the one no other follows. None when there are no migrations."""
    known = revisions()
    followed = {earlier for downs in known.values() for earlier in downs}
    heads = sorted(set(known) - followed)
    if len(heads) > 1:
        raise MigrationHistoryError(f"the migrations have several heads: {', '.join(heads)}")
    return heads[0] if heads else None
