"""The chat page in a real browser (Debian's Chromium), with JavaScript on and off.

With JavaScript off every step is an ordinary form post; with it on, chat.js posts in the background and
updates the page in place. Either way the engine must receive exactly the same text. Starting a screening
is an ordinary form post either way: it leaves the home page for the new assessment's own page.
"""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Browser, Page, expect
from web_helpers import BUTTONS, PASSWORD, START_REPLIES, FakeEngine

from bot.domain.records import UserInfo


async def signed_in_page(browser: Browser, base_url: str, *, javascript: bool) -> Page:
    context = await browser.new_context(java_script_enabled=javascript)
    page = await context.new_page()
    await page.goto(f"{base_url}/sign-in")
    await page.get_by_label("Username").fill("alice")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", name="Your assessments")).to_be_visible()
    return page


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
async def test_a_whole_exchange_in_the_browser(
    browser: Browser, base_url: str, user: UserInfo, engine: FakeEngine, javascript: bool
) -> None:
    page = await signed_in_page(browser, base_url, javascript=javascript)

    await page.get_by_role("button", name="Start a new screening").click()
    await expect(page.get_by_text(START_REPLIES[1])).to_be_visible()
    assert re.fullmatch(rf"{base_url}/chat/A-[0-9A-Z]{{6}}#latest", page.url), page.url
    if javascript:
        await page.evaluate("window.loadedOnce = true")

    await page.get_by_role("button", name=BUTTONS[1]["title"], exact=True).click()
    await expect(page.get_by_text(f"Echo: {BUTTONS[1]['payload']}")).to_be_visible()

    await page.get_by_label("Or type your answer").fill("line one\n  line two 😟")
    await page.get_by_role("button", name="Send").click()
    await expect(page.get_by_text("Echo: line one")).to_be_visible()

    await page.get_by_label("Or type your answer").fill("/submit")
    await page.get_by_role("button", name="Send").click()
    await expect(page.get_by_role("alert")).to_contain_text("Messages can't start with '/'")
    await expect(page.get_by_label("Or type your answer")).to_have_value("/submit")

    # A browser's own form post sends line breaks as CRLF; the script must send exactly the same.
    assert engine.messages() == ["/start_assessment", BUTTONS[1]["payload"], "line one\r\n  line two 😟"]
    if javascript:
        assert await page.evaluate("window.loadedOnce") is True  # updated in place, never reloaded
