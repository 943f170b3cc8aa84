"""The organisation sign-in links on the account pages in Chromium (issue #32): an admin links an
organisation account and unlinks it, each through its form, check answers and confirmation; axe finds
nothing at each step."""

from __future__ import annotations

from playwright.async_api import Browser, expect
from test_account_pages_browser import _signed_in

from bot.domain.records import UserInfo
from tests.web.axe import assert_accessible

ISSUER = "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0"
OID = "0b6a3d1c-6f51-4c4f-9d8e-1f0a2b3c4d5e"


async def test_an_admin_links_and_unlinks_an_organisation_account_and_axe_finds_nothing(
    browser: Browser, base_url: str, people: dict[str, UserInfo]
) -> None:
    target = people["north-practitioner"]
    page = await _signed_in(browser, base_url, "north-admin")
    await page.goto(f"{base_url}/admin/users/{target.id}")
    await expect(page.locator("#oidc-links")).to_contain_text("None linked")
    await page.get_by_role("link", name="Link an organisation account").click()
    await page.get_by_label("Issuer").fill("login.example.org")
    await page.get_by_role("button", name="Continue").click()
    summary = page.locator("#error-summary")
    await expect(summary).to_be_focused()
    await expect(summary).to_contain_text("issuer address")
    await assert_accessible(page, "the link form refusing a bad issuer")
    await page.get_by_label("Issuer").fill(ISSUER)
    await page.get_by_label("Subject").fill(OID)
    await page.get_by_label("Reason for this change").fill("Joined Entra ID in May")
    await page.get_by_role("button", name="Continue").click()
    await expect(page.locator("#check-answers")).to_contain_text(OID)
    await assert_accessible(page, "check your answers for a link")
    await page.get_by_role("button", name="Confirm").click()
    await expect(page.locator("#confirmation")).to_contain_text("Organisation account linked")
    await page.goto(f"{base_url}/admin/users/{target.id}")
    await expect(page.locator("#oidc-links")).to_contain_text(OID)
    await assert_accessible(page, "an account's summary with an organisation link")

    await page.get_by_role("link", name="Unlink an organisation account").click()
    await page.get_by_label(f"{OID} at {ISSUER}").check()
    await page.get_by_label("Reason for this change").fill("Linked the wrong person")
    await assert_accessible(page, "the unlink form")
    await page.get_by_role("button", name="Continue").click()
    await page.get_by_role("button", name="Confirm").click()
    await expect(page.locator("#confirmation")).to_contain_text("Organisation account unlinked")
    await assert_accessible(page, "the confirmation of an unlink")
