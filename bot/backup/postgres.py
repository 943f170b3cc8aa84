"""PostgreSQL's half: `pg_dump -Fc` to a file and `pg_restore` into an empty database.

The connection is handed to the PostgreSQL tools through libpq's environment variables (PGHOST, PGPASSWORD,
...), never on their command line, where the password would be in the process list for every account on the
host to read.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import IO

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy.engine import make_url

from bot.backup import sealing
from bot.backup.manifest import FILE_MODE, BackupError
from bot.backup.sqlite_files import Emitter

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
# The database's own tables, views and sequences: what makes it not empty, and what `empty_again` drops.
_OWN_RELATIONS = (
    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE c.relkind IN ('r', 'v', 'm', 'S', 'p') "
    "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
    "AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'"
)


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


def dump(url: str, destination: Path, cipher: AESGCM, name: str) -> None:
    """`pg_dump --format=custom` of the whole database, read from its standard output and sealed straight
    into `destination` (new, 0600) chunk by chunk: no plain dump on disk, never the whole dump in memory."""
    command = [_tool("pg_dump"), "--format=custom", "--no-password"]
    descriptor = os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with open(descriptor, "wb") as out, tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(  # noqa: S603  # pg_dump found by _tool, no shell
            command, env=libpq_environment(url), stdout=subprocess.PIPE, stderr=errors
        )
        assert process.stdout is not None  # noqa: S101  # stdout=PIPE above
        try:
            sealing.seal_stream(process.stdout, out, cipher, name)
            out.flush()
            os.fsync(out.fileno())
        finally:
            process.stdout.close()  # a pg_dump still writing stops on the closed pipe
            returncode = process.wait(timeout=3600)
        _refuse_failure("pg_dump", returncode, errors)


def restore(url: str, emit: Emitter) -> None:
    """`pg_restore` into the (empty) database from its standard input, in one transaction: it all goes in,
    or nothing does (a restore stopped half way rolls back).

    Ownership and grants are left out (`--no-owner --no-privileges`): the restoring role owns what it makes,
    and `bot db restore` then grants the application's role what it needs, as `bot db upgrade` does."""
    command = [
        _tool("pg_restore"),
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        "--no-password",
        f"--dbname={make_url(url).database}",
    ]
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(  # noqa: S603  # pg_restore found by _tool, no shell
            command,
            env=libpq_environment(url),
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        assert process.stdin is not None  # noqa: S101  # stdin=PIPE above
        try:
            emit(process.stdin.write)
        except BrokenPipeError:
            pass  # pg_restore stopped early: its exit code and message below say why
        except BaseException:
            process.kill()
            raise
        finally:
            with contextlib.suppress(BrokenPipeError):
                process.stdin.close()
            returncode = process.wait(timeout=3600)
        _refuse_failure("pg_restore", returncode, errors)


def refuse_unless_empty(url: str) -> None:
    """A restore goes only into a database with no tables, views or sequences of its own in any schema."""
    from sqlalchemy import text

    from bot.store import db

    engine = db.make_engine(url)
    try:
        with engine.connect() as connection:
            count = connection.execute(text("SELECT count(*) " + _OWN_RELATIONS)).scalar_one()
    finally:
        engine.dispose()
    if count:
        shown = make_url(url).render_as_string(hide_password=True)
        raise BackupError(
            f"database {shown} is not empty ({count} tables, views or sequences); restore only into an "
            "empty database (create one with createdb)"
        )


def empty_again(url: str) -> None:
    """Drop every table, view and sequence a restore made in a database that was empty before it (checked by
    `refuse_unless_empty`), so a restore that failed half way leaves it as it found it."""
    from sqlalchemy import text

    from bot.store import db

    engine = db.make_engine(url)
    try:
        with engine.begin() as connection:
            rows = connection.execute(
                text(
                    "SELECT c.relkind, quote_ident(n.nspname) || '.' || quote_ident(c.relname) "
                    + _OWN_RELATIONS
                )
            ).all()
            kinds = {"r": "TABLE", "p": "TABLE", "v": "VIEW", "m": "MATERIALIZED VIEW", "S": "SEQUENCE"}
            for kind, name in sorted(rows, key=lambda row: row[0] == "S"):  # sequences after their tables
                # S608: the name is quoted by quote_ident from the catalogue, not given by anyone.
                connection.execute(text(f"DROP {kinds[kind]} IF EXISTS {name} CASCADE"))
    finally:
        engine.dispose()


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} not found on PATH: install PostgreSQL's client tools (postgresql-client)")
    return found


def _refuse_failure(name: str, returncode: int, errors: IO[bytes]) -> None:
    if returncode != 0:
        errors.seek(0)
        text = errors.read().decode("utf-8", "replace").strip()
        lines = text.splitlines() or [f"exit code {returncode}"]
        raise BackupError(f"{name} failed: {lines[0]}")
