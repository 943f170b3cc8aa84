"""Bulk loading of made-up rows for the benchmarks (bench/reports.py, bench/review_pages.py), by table name.

A benchmark seeds tens of thousands of cases: one executemany per table is what makes that take minutes, not
hours, so its rows go in through SQLAlchemy Core inserts into the models' own tables (times and JSON still
pass through the app's column types), with ids the caller assigns. Only the store names the ORM models
(issue #29): the benchmarks ask for the tables by name here. The app never uses it: it writes through its
services.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, func, select

from bot.domain.audit_chain import GENESIS, HASHED_FIELDS, event_hash
from bot.store import (  # noqa: F401  (register their tables on Base, as the migrations' env.py does)
    feedback_models,
    held_models,
    oidc_link_models,
    outcome_models,
    review_models,
    session_models,
    teams_models,
    urgent_models,
)
from bot.store.models import AuditEvent, Base


def table_names() -> list[str]:
    """Every table of the store, each after the tables its foreign keys point to."""
    return [table.name for table in Base.metadata.sorted_tables]


def insert_rows(connection: Connection, rows: Mapping[str, Sequence[dict[str, Any]]]) -> None:
    """Each table's rows in one executemany, parents before children; an unknown table name is a KeyError."""
    tables = Base.metadata.tables
    unknown = sorted(set(rows) - set(tables))
    if unknown:
        raise KeyError(f"no such tables: {', '.join(unknown)}")
    for name in table_names():
        if rows.get(name):
            given = rows[name]
            if name == AuditEvent.__tablename__:
                given = _chained(connection, given)
            connection.execute(tables[name].insert(), given)


def _chained(connection: Connection, events: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The events chained in id order after the store's last one, hashed as `bot.store.audit` hashes what the
    app writes: a seeded store's trail passes `bot audit verify`, and the insert meets its NOT NULL hashes."""
    latest = select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    previous = connection.execute(latest).scalar() or GENESIS
    chained = []
    for event in sorted(events, key=lambda event: event["id"]):
        digest = event_hash(previous, {name: event.get(name) for name in HASHED_FIELDS})
        chained.append({**event, "prev_hash": previous, "hash": digest})
        previous = digest
    return chained


def row_counts(connection: Connection) -> dict[str, int]:
    """How many rows each table holds, in table_names() order."""
    tables = Base.metadata.tables
    return {
        name: connection.execute(select(func.count()).select_from(tables[name])).scalar_one()
        for name in table_names()
    }
