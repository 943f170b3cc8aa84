"""Project-wide test settings and the one real browser fixture.

Property tests must not fail because a loaded two-core CI machine was slow: Hypothesis' default 200 ms
deadline is a timing assertion in disguise. Tests that need another setting declare their own.

Passwords: argon2 at production cost takes about 100 ms a hash, and the suite creates thousands of users, so
the whole suite (this process, the CLI and product processes it starts, which inherit the environment) hashes
with the cheapest parameters argon2 accepts. `tests/store/test_users.py` checks the production parameters.

Shared fixtures live in `tests/fixtures` (loaded below): `database_url`, a per-test copy of one SQLite file
migrated once per session; the shipped question `bank`; and the hand-moved `Clock`. A folder's conftest
overrides `database_url` where it needs more (tests/store and one review module run on PostgreSQL too).

Browser tests use Debian's Chromium (`npx playwright install` cannot download here), driven by Playwright.
"""

import os
from collections.abc import AsyncIterator

import pytest
from hypothesis import settings
from playwright.async_api import Browser, async_playwright

from bot.store.passwords import use_hashing

pytest_plugins = ["tests.fixtures.databases", "tests.fixtures.questions"]

CHROMIUM = "/usr/bin/chromium"
TEST_PASSWORD_HASHING = "insecure-fast-for-tests"
os.environ["BOT_PASSWORD_HASHING"] = TEST_PASSWORD_HASHING
use_hashing(TEST_PASSWORD_HASHING)

settings.register_profile("project", deadline=None)
settings.load_profile("project")


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=CHROMIUM)
        yield chromium
        await chromium.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the slow kinds, so the quick lane (`make test-quick`, `-m "not slow"`) can leave them out:
    tests that start the real product (tests/e2e), drive Chromium, or run on PostgreSQL. CI runs them all."""
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        kinds = []
        if "tests/e2e/" in item.nodeid:
            kinds.append("e2e")
        if "browser" in fixtures:
            kinds.append("browser")
        if "[postgresql" in item.nodeid:
            kinds.append("postgresql")
        for kind in kinds:
            item.add_marker(kind)
        if kinds:
            item.add_marker("slow")
