"""The database schema at start-up: migrated in development, only checked in production (issue #35).

In production the migrations are a one-off step, `bot db upgrade`, run before a new version starts (as the
owner role on PostgreSQL, which the running processes never hold). So the app and `bot run` never migrate
there: with several app replicas, each migrating on start would race, and the app's role lacks the rights
anyway. A schema that is behind (or ahead: a database of a newer version) stops start-up with one message
saying what to run. Development keeps migrating on start, so that a fresh clone runs with no set-up.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url

from bot.settings import Settings
from bot.store import db

READY = "database is at the latest migration"


class SchemaNotReady(Exception):
    """Production start-up refused: the schema is not the one this version needs. str() is the message."""


def prepare_schema(settings: Settings) -> str:
    """Migrate (development) or check (production) the schema: the line to log, or SchemaNotReady."""
    if not settings.production:
        db.upgrade(settings.database_url)
        return READY
    head = db.head_revision()
    current = _revision_without_creating(settings.database_url)
    if current == head:
        return f"{READY} ({head}; checked, not migrated: BOT_ENV=production)"
    if current is None:
        found = "has no schema (an empty or new database)"
    elif _known(current):
        found = f"is at revision {current}, behind this version's {head}"
    else:
        raise SchemaNotReady(
            f"BOT_ENV=production: cannot start: the database is at revision {current}, which this version "
            f"does not know (it needs {head}): a newer version made it; run that version, or restore a backup"
        )
    raise SchemaNotReady(
        f"BOT_ENV=production: cannot start: the database {found}. Production never migrates on start: run "
        "`bot db upgrade` once (on PostgreSQL with BOT_DATABASE_OWNER_URL, the owner role), then start again"
    )


def _revision_without_creating(database_url: str) -> str | None:
    """The schema's revision; a SQLite file that does not exist is reported as empty, not created, so that a
    refused start changes nothing."""
    url = make_url(database_url)
    on_disk = url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")
    if on_disk and not Path(str(url.database)).exists():
        return None
    return db.current_revision(database_url)


def _known(revision: str) -> bool:
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    try:
        return ScriptDirectory.from_config(db.alembic_config()).get_revision(revision) is not None
    except CommandError:
        return False
