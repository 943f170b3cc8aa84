"""The encrypted text column (issue #31): verbatim free text sealed with the data key ring on its way into the
database and opened on its way out, so that the store file, its WAL and a dump hold ciphertext only.

The ring is a process-wide setting chosen once by the composition root (the app, `bot run`, the CLI's
open_store; the tests' conftest), like SQLite's durability: the column type is built when the models are
imported, long before any settings exist, and threading a ring through every session, unit of work and
query would touch every service for nothing. One place (`use_key_ring`) sets it; nothing else does. The
action server never opens the store (it goes through the JSON API), so it holds no key.

A sealed value cannot be compared by content: nothing may query these columns with `==`, LIKE or contains,
only read them whole by the row's other columns. `bot keys rotate` (bot.store.key_rotation) works on the
ciphertext itself, through plain Text columns, and never through this type.
"""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from sqlalchemy import Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from bot.crypto.key_ring import KeyRing

_ring: KeyRing | None = None
_Value = TypeVar("_Value")


def use_key_ring(ring: KeyRing | None) -> None:
    """Choose the data key ring for this process (see the note above): call it before opening the store,
    with `Settings.data_keys` (None only on a Settings built by hand, which cannot open the store)."""
    global _ring
    if ring is None:
        raise ValueError("these settings carry no data key ring (build them with Settings.from_env)")
    _ring = ring


def key_ring_in_use() -> KeyRing:
    if _ring is None:
        raise RuntimeError(
            "no data key ring in use: the process must call bot.store.encrypted_text.use_key_ring with "
            "Settings.data_keys before it opens the store"
        )
    return _ring


class _Sealed(TypeDecorator[_Value]):
    """A value sealed for one table and column (the associated data): moved elsewhere, it does not open.
    The subclasses say only how their value is written as text."""

    impl = Text

    def __init__(self, table: str, column: str) -> None:
        super().__init__()
        self.table = table
        self.column = column

    def _seal(self, text: str) -> str:
        return key_ring_in_use().seal(text, self.table, self.column)

    def _open(self, sealed: str) -> str:
        return key_ring_in_use().open(sealed, self.table, self.column)


class EncryptedText(_Sealed[str]):
    """Text sealed for one table and column."""

    cache_ok = True  # SQLAlchemy reads it from each class's own __dict__, not from a base

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else self._seal(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else self._open(value)


class EncryptedDate(_Sealed[date]):
    """A date sealed as its ISO text (the child's date of birth, 0036): no SQL compares or sorts it, and a
    report that needed it would work it out in Python after reading."""

    cache_ok = True

    def process_bind_param(self, value: date | None, dialect: Dialect) -> str | None:
        return None if value is None else self._seal(value.isoformat())

    def process_result_value(self, value: str | None, dialect: Dialect) -> date | None:
        return None if value is None else date.fromisoformat(self._open(value))
