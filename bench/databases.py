"""The throwaway database each database benchmark (review_pages.py, reports.py) seeds and times: a SQLite
file in a temporary folder, or a PostgreSQL server of its own (tests/fixtures/postgres_cluster.py, loopback
only, stopped and deleted afterwards), and how big it grew."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.store import db
from tests.fixtures.postgres_cluster import PostgresCluster


@contextlib.contextmanager
def database(backend: str, folder: Path, prefix: str) -> Iterator[tuple[str, int | None, dict[str, Any]]]:
    """A new empty database: its URL, the server's pid (PostgreSQL) and what to record about it."""
    if backend == "sqlite":
        path = folder / "store.db"
        yield f"sqlite:///{path}", None, {"file": str(path)}
        return
    with PostgresCluster(prefix=prefix, locale="C.UTF-8") as cluster:
        url = cluster.create_database("store")
        yield (
            url,
            cluster.server_pid,
            {"server_version": cluster.version, "locale": "C.UTF-8", "fsync": "off"},
        )


def database_bytes(url: str) -> int | None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.is_file())
    engine = db.make_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT pg_database_size(current_database())")).scalar_one())
    finally:
        engine.dispose()
