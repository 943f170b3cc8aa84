"""The second factor in Chromium with axe-core (issue #32): a lead's first sign-in goes through the set-up
page (QR code, key, one code), the recovery codes page, then the code page at the next sign-in, where a
recovery code signs them in. BOT_TOTP_REQUIRED=true, as in production."""

from __future__ import annotations

from pathlib import Path

import pyotp
import pytest
from axe import assert_accessible
from playwright.async_api import Browser, expect
from web_helpers import PASSWORD, FakeEngine, make_settings

from bot.settings import Settings
from bot.store.services import Store


@pytest.fixture
def settings(tmp_path: Path, database_url: str, engine: FakeEngine) -> Settings:
    return make_settings(tmp_path, database_url, engine.port, BOT_TOTP_REQUIRED="true")


async def test_set_up_recovery_codes_and_the_code_page_in_chromium(
    browser: Browser, base_url: str, store: Store
) -> None:
    store.users.create_user("lee.lead", PASSWORD, "lead", "North team")
    context = await browser.new_context(bypass_csp=True)  # for axe's script only
    page = await context.new_page()
    await page.goto(f"{base_url}/sign-in")
    await page.get_by_label("Username").fill("lee.lead")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()

    await expect(page.get_by_role("heading", level=1, name="Set up your second factor")).to_be_visible()
    await expect(page.get_by_role("img", name="QR code to scan with your authenticator app")).to_be_visible()
    await assert_accessible(page, "the second factor's set-up page")
    await page.get_by_label("Code from the app").fill("000000x")
    await page.get_by_role("button", name="Confirm and continue").click()
    await expect(page.get_by_role("link", name="The code is not right")).to_be_visible()
    await assert_accessible(page, "the set-up page with a wrong code")
    key = (await page.locator("#secret-key").inner_text()).replace(" ", "")
    await page.get_by_label("Code from the app").fill(pyotp.TOTP(key).now())
    await page.get_by_role("button", name="Confirm and continue").click()

    await expect(page.get_by_role("heading", level=1, name="Your recovery codes")).to_be_visible()
    await assert_accessible(page, "the recovery codes page")
    codes = [text.strip() for text in await page.locator("#recovery-codes code").all_inner_texts()]
    assert len(codes) == 10
    await page.get_by_role("link", name="I have kept my codes: continue").click()
    assert page.url == f"{base_url}/cases"
    await page.get_by_role("button", name="Sign out").click()

    await page.get_by_label("Username").fill("lee.lead")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_label("Enter your security code")).to_be_visible()
    await assert_accessible(page, "the code page")
    await page.get_by_label("Enter your security code").fill(codes[0])
    await page.get_by_role("button", name="Continue").click()
    await expect(page).to_have_url(f"{base_url}/cases")
    await context.close()
