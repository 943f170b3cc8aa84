"""Every CLI test leaves the process-wide cost profiles as the suite set them (tests/conftest.py).

A command called in-process (bot.cli.main) chooses the password-hashing and SQLite-durability profiles for
the whole process from its settings, as its composition root should: a test that calls it with no
BOT_PASSWORD_HASHING left every later test in its worker hashing at production cost, unseen. This fails the
test that changed them, and puts them back so that no later test pays for it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.store import db, passwords
from tests.conftest import TEST_PASSWORD_HASHING, TEST_SQLITE_DURABILITY


@pytest.fixture(autouse=True)
def suite_profiles_are_kept() -> Iterator[None]:
    yield
    left = (passwords.hashing_in_use(), db._durability)
    passwords.use_hashing(TEST_PASSWORD_HASHING)
    db.use_sqlite_durability(TEST_SQLITE_DURABILITY)
    assert left == (TEST_PASSWORD_HASHING, TEST_SQLITE_DURABILITY), (
        f"the test left the process hashing with {left[0]!r} and committing with {left[1]!r}"
    )
