"""The account pages in Chromium (issue #32): an admin moves a practitioner to another team and deactivates a
leaver, each through its form, check answers and confirmation; the leaver's open session is refused at its
next request; each change is in the audit trail with who made it; axe finds nothing at each step."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Browser, Page, expect
from review_helpers import PASSWORD
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import UserInfo
from bot.store.models import AuditEvent
from tests.e2e.browser import Shots, new_context
from tests.web.axe import assert_accessible


async def _signed_in(browser: Browser, base_url: str, username: str) -> Page:
    page = await (await new_context(browser)).new_page()
    await page.goto(f"{base_url}/sign-in")
    await page.get_by_label("Username").fill(username)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    return page


async def test_an_admin_moves_a_practitioner_and_deactivates_a_leaver_and_axe_finds_nothing(
    request: pytest.FixtureRequest,
    browser: Browser,
    base_url: str,
    people: dict[str, UserInfo],
    sessions: sessionmaker[Session],
) -> None:
    shots = Shots(request)
    mover, leaver, admin = people["north-practitioner"], people["north-colleague"], people["north-admin"]
    leavers_page = await _signed_in(browser, base_url, "north-colleague")
    page = await _signed_in(browser, base_url, "north-admin")

    await page.get_by_role("link", name="Accounts").click()
    await expect(page.locator("#accounts")).to_contain_text("north-lead")
    await shots.take(page, "admin-accounts")  # the admin's guide shows the whole list
    await page.get_by_label("Sign-in name contains").fill("north-pr")
    await page.get_by_role("button", name="Search").click()
    await expect(page.locator("#accounts")).to_contain_text("north-practitioner")
    await expect(page.locator("#accounts")).not_to_contain_text("north-lead")
    await assert_accessible(page, "the accounts list, searched")
    await page.get_by_role("link", name="north-practitioner").click()
    await assert_accessible(page, "an account's summary")
    await page.get_by_role("link", name="Move to another team").click()
    await page.get_by_role("button", name="Continue").click()  # nothing chosen, no reason
    summary = page.locator("#error-summary")
    await expect(summary).to_be_focused()
    await expect(summary).to_contain_text("Choose the team to move them to.")
    await expect(summary).to_contain_text("Give the reason for this change.")
    await assert_accessible(page, "the team form refusing an empty answer")
    await page.get_by_label("South team").check()
    await page.get_by_label("Reason for this change").fill("Moved to the South locality")
    await page.get_by_role("button", name="Continue").click()
    await expect(page.locator("#check-answers")).to_contain_text("North team to South team")
    await assert_accessible(page, "check your answers for a team move")
    await shots.take(page, "admin-check-answers")
    await page.get_by_role("button", name="Confirm").click()
    await expect(page.locator("#confirmation")).to_contain_text("Team changed")
    await assert_accessible(page, "the confirmation of a team move")

    await page.goto(f"{base_url}/admin/users/{leaver.id}")
    await page.get_by_role("link", name="Deactivate").click()
    await page.get_by_label("Reason for this change").fill("Left the council on 31 March")
    await page.get_by_role("button", name="Continue").click()
    await page.get_by_role("button", name="Confirm").click()
    await expect(page.locator("#confirmation")).to_contain_text("Account deactivated")
    await assert_accessible(page, "the confirmation of a deactivation")
    await page.goto(f"{base_url}/admin/users/{leaver.id}")
    await expect(page.locator("#row-status")).to_contain_text("Deactivated")
    await expect(page.locator("#account-changes")).to_contain_text("Left the council on 31 March")
    await shots.take(page, "admin-account-summary")

    await leavers_page.goto(f"{base_url}/chat")  # the leaver's open session, at its next request
    await expect(leavers_page).to_have_url(re.compile(r"/sign-in"))
    await expect(leavers_page.get_by_role("button", name="Sign in")).to_be_visible()

    with sessions() as session:
        trail = session.execute(
            select(AuditEvent.action, AuditEvent.actor_id, AuditEvent.user_id).where(
                AuditEvent.action.startswith("user.")
            )
        ).all()
    assert ("user.team_changed", str(admin.id), mover.id) in trail
    assert ("user.deactivated", str(admin.id), leaver.id) in trail
