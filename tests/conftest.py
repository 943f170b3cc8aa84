"""Project-wide test settings and the one real browser fixture.

Property tests must not fail because a loaded two-core CI machine was slow: Hypothesis' default 200 ms
deadline is a timing assertion in disguise. Tests that need another setting declare their own.

Browser tests use Debian's Chromium (`npx playwright install` cannot download here), driven by Playwright.
"""

from collections.abc import AsyncIterator

import pytest
from hypothesis import settings
from playwright.async_api import Browser, async_playwright

CHROMIUM = "/usr/bin/chromium"

settings.register_profile("project", deadline=None)
settings.load_profile("project")


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=CHROMIUM)
        yield chromium
        await chromium.close()
