"""How every store service runs its transactions: reads without taking the write lock, and writes in one
transaction each, run once more after a unique-key race so the second caller sees the winner's row.

One place for it, because each service over the store (the aggregates' services in bot.store.unit_of_work,
the notices', the held messages') must read and write the same way: on SQLite a read that took the write lock
would queue behind every writer (see bot.store.db).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.store.db import READ_ONLY_OPTION

T = TypeVar("T")


@contextmanager
def read_only(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose transaction starts as a reader (a plain BEGIN on SQLite)."""
    with sessions() as session:
        session.connection(execution_options={READ_ONLY_OPTION: True})
        yield session


def write(sessions: sessionmaker[Session], work: Callable[[Session], T]) -> T:
    """Run `work` in one transaction; on a unique-key race, run it once more to see the winner's row."""
    try:
        with sessions.begin() as session:
            return work(session)
    except IntegrityError:
        with sessions.begin() as session:
            return work(session)


class Transactions:
    """A base for services that work on bare sessions (the outbox, the held messages): `_reading()` for a
    read-only session, `_write(work)` for one transaction."""

    _sessions: sessionmaker[Session]

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        with read_only(self._sessions) as session:
            yield session

    def _write(self, work: Callable[[Session], T]) -> T:
        return write(self._sessions, work)
