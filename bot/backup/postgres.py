"""PostgreSQL's half: `pg_dump -Fc` to a file and `pg_restore` into an empty database.

The connection is handed to the PostgreSQL tools through libpq's environment variables (PGHOST, PGPASSWORD,
...), never on their command line, where the password would be in the process list for every account on the
host to read.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.backup.manifest import FILE_MODE, BackupError

# libpq's variable for each query parameter a BOT_DATABASE_URL may carry.
_QUERY_VARIABLES = {
    "host": "PGHOST",
    "port": "PGPORT",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "options": "PGOPTIONS",
}


def libpq_environment(url: str) -> dict[str, str]:
    """This process's environment with the URL's connection as libpq variables (the password included)."""
    parsed = make_url(url)
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    given = {
        "PGHOST": parsed.host,
        "PGPORT": str(parsed.port) if parsed.port else None,
        "PGUSER": parsed.username,
        "PGPASSWORD": parsed.password,
        "PGDATABASE": parsed.database,
    }
    for key, value in parsed.query.items():
        name = _QUERY_VARIABLES.get(key)
        if name:
            given[name] = value if isinstance(value, str) else value[-1]
    env.update({key: str(value) for key, value in given.items() if value})
    return env


def dump(url: str, destination: Path) -> None:
    """`pg_dump --format=custom` of the whole database into `destination` (new, 0600)."""
    descriptor = os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    os.close(descriptor)
    _run([_tool("pg_dump"), "--format=custom", "--no-password", f"--file={destination}"], url, "pg_dump")


def restore(url: str, source: Path) -> None:
    """`pg_restore` into the (empty) database, in one transaction: it all goes in, or nothing does.

    Ownership and grants are left out (`--no-owner --no-privileges`): the restoring role owns what it makes,
    and `bot db restore` then grants the application's role what it needs, as `bot db upgrade` does."""
    _run(
        [
            _tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            f"--dbname={make_url(url).database}",
            str(source),
        ],
        url,
        "pg_restore",
    )


def refuse_unless_empty(url: str) -> None:
    """A restore goes only into a database with no tables, views or sequences of its own in any schema."""
    from sqlalchemy import text

    from bot.store import db

    engine = db.make_engine(url)
    try:
        with engine.connect() as connection:
            count = connection.execute(
                text(
                    "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE c.relkind IN ('r', 'v', 'm', 'S', 'p') "
                    "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
                    "AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'"
                )
            ).scalar_one()
    finally:
        engine.dispose()
    if count:
        shown = make_url(url).render_as_string(hide_password=True)
        raise BackupError(
            f"database {shown} is not empty ({count} tables, views or sequences); restore only into an "
            "empty database (create one with createdb)"
        )


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} not found on PATH: install PostgreSQL's client tools (postgresql-client)")
    return found


def _run(command: list[str], url: str, name: str) -> None:
    result = subprocess.run(  # noqa: S603  # pg_dump/pg_restore found by _tool, no shell
        command, env=libpq_environment(url), capture_output=True, text=True, check=False, timeout=3600
    )
    if result.returncode != 0:
        lines = (result.stderr or result.stdout).strip().splitlines() or [f"exit code {result.returncode}"]
        raise BackupError(f"{name} failed: {lines[0]}")
