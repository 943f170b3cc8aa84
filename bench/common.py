"""Pieces every database benchmark (review_pages.py, reports.py) shares: logging, argument types, the
free text it seeds, PostgreSQL's clean-up after a bulk load, and unwinding on SIGTERM."""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

from sqlalchemy import Engine, text


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def sentences() -> tuple[str, ...]:
    """Practitioners' sentences for free-text answers (imported late: the list is long)."""
    from bench.phrases import SENTENCES

    return SENTENCES


def after_bulk_load_on_postgres(engine: Engine, tables: list[str]) -> None:
    """Move id sequences past the ids the bench assigned, and VACUUM ANALYZE as autovacuum soon would."""
    with engine.begin() as connection:
        for name in tables:
            connection.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM {name}))")  # noqa: S608  # table names from our own metadata, no input
            )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))


def remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def backends(text_: str) -> list[str]:
    chosen = [part.strip() for part in text_.split(",") if part.strip()]
    if not chosen or any(part not in ("sqlite", "postgresql") for part in chosen):
        raise argparse.ArgumentTypeError("choose sqlite, postgresql or both (sqlite,postgresql)")
    return chosen


def positive(text_: str) -> int:
    value = int(text_)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def terminate(signum: int, _frame: object) -> None:
    """SIGTERM unwinds like Ctrl-C, so the PostgreSQL server and temporary folders are always removed."""
    raise KeyboardInterrupt(f"signal {signum}")


def ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"
