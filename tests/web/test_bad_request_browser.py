"""The styled 400 page a browser gets for a form that cannot be read (issue #28), in Chromium with axe-core:
signed in and before sign-in, with JavaScript on and off. The body is broken in flight (Playwright's request
routing), since no browser sends a malformed form on its own; the page is the app's real answer to it."""

from __future__ import annotations

import pytest
from axe import assert_accessible
from playwright.async_api import Browser, Page, Route, expect
from web_helpers import PASSWORD

from bot.domain.records import UserInfo
from tests.e2e.browser import Axe, new_context

BROKEN = b'--b0undary\r\nContent-Disposition: form-data; name="a"\r\n\r\nx'  # no closing boundary


async def break_the_body(route: Route) -> None:
    headers = {**route.request.headers, "content-type": "multipart/form-data; boundary=b0undary"}
    await route.continue_(post_data=BROKEN, headers=headers)


async def see_the_400(page: Page, going_back: str) -> None:
    await expect(page.get_by_role("heading", level=1, name="This form could not be read")).to_be_visible()
    await expect(page.get_by_text("nothing was sent or saved")).to_be_visible()
    await expect(page.get_by_role("link", name=going_back)).to_be_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
async def test_the_400_page_before_sign_in_is_accessible(
    browser: Browser, base_url: str, user: UserInfo, javascript: bool
) -> None:
    context = await new_context(browser, javascript=javascript)
    # axe-core is a script: without JavaScript the page is checked as a snapshot in a second context
    checker = None if javascript else await new_context(browser)
    page = await context.new_page()
    await page.goto(f"{base_url}/sign-in")
    await page.route("**/sign-in", _only_posts)
    await page.get_by_label("Username").fill(user.username)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await see_the_400(page, "Go to the sign-in page")
    await Axe(checker).check(page, "the 400 page, signed out")
    for opened in (context, checker):
        if opened is not None:
            await opened.close()


async def test_the_400_page_signed_in_is_accessible(browser: Browser, base_url: str, user: UserInfo) -> None:
    context = await browser.new_context(bypass_csp=True)
    page = await context.new_page()
    await page.goto(f"{base_url}/sign-in")
    await page.get_by_label("Username").fill(user.username)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("button", name="Start a new screening")).to_be_visible()
    await page.route("**/chat/start", break_the_body)
    await page.get_by_role("button", name="Start a new screening").click()
    await see_the_400(page, "Go back to your screening")
    await expect(page.get_by_role("button", name="Sign out")).to_be_visible()  # the site's layout, signed in
    await assert_accessible(page, "the 400 page, signed in")
    await page.get_by_role("link", name="Go back to your screening").click()
    await expect(page.get_by_role("button", name="Start a new screening")).to_be_visible()
    await context.close()


async def _only_posts(route: Route) -> None:
    if route.request.method == "POST":
        await break_the_body(route)
    else:
        await route.continue_()
