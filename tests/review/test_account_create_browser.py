"""Create an account in Chromium (issue #32): an admin makes a practitioner through the form, check your
answers and the confirmation; the practitioner opens the one-time link, sets their own password and signs
in; axe finds nothing at each step, the refused form included."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Browser, Page, expect
from review_helpers import PASSWORD
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import UserInfo
from bot.store.models import AuditEvent, User
from tests.e2e.browser import Shots, new_context
from tests.web.axe import assert_accessible

NEW_PASSWORD = "violet kettle marching orbit"


async def _signed_in(browser: Browser, base_url: str, username: str, password: str = PASSWORD) -> Page:
    page = await (await new_context(browser)).new_page()
    await page.goto(f"{base_url}/sign-in")
    await page.get_by_label("Username").fill(username)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    return page


async def test_an_admin_creates_a_practitioner_who_signs_in_with_the_link_and_axe_finds_nothing(
    request: pytest.FixtureRequest,
    browser: Browser,
    base_url: str,
    people: dict[str, UserInfo],
    sessions: sessionmaker[Session],
) -> None:
    admin = people["north-admin"]
    shots = Shots(request)
    page = await _signed_in(browser, base_url, "north-admin")
    await page.get_by_role("link", name="Accounts").click()
    await page.get_by_role("button", name="Create an account").click()
    await expect(page.get_by_role("heading", name="Create an account")).to_be_visible()
    await assert_accessible(page, "the create-an-account form")
    await page.get_by_role("button", name="Continue").click()  # nothing filled in
    summary = page.locator("#error-summary")
    await expect(summary).to_be_focused()
    await expect(summary).to_contain_text("Choose the role.")
    await expect(summary).to_contain_text("Give the reason for this account.")
    await assert_accessible(page, "the create-an-account form refusing empty answers")
    await page.get_by_label("Sign-in name").fill("pat.new")
    await page.get_by_label("Email address (optional)").fill("pat@example.org")
    await page.get_by_label("Practitioner").check()
    await page.get_by_label("North team").check()
    await page.get_by_label("Reason for this account").fill("Joined the North team on 1 May")
    await page.get_by_role("button", name="Continue").click()
    await expect(page.locator("#check-answers")).to_contain_text("pat.new")
    await assert_accessible(page, "check your answers for a new account")
    await shots.take(page, "admin-create-check-answers")  # the admin's guide shows it
    await page.get_by_role("button", name="Confirm").click()
    await expect(page.locator("#confirmation")).to_contain_text("Account created")
    await assert_accessible(page, "the confirmation of a new account")
    link = (await page.locator("#reset-link").inner_text()).strip()
    assert re.search(r"/password-reset/\d+\.\d+\.", link)

    newcomer = await (await new_context(browser)).new_page()
    await newcomer.goto(base_url + "/password-reset/" + link.rsplit("/password-reset/", 1)[1])
    await expect(newcomer.get_by_role("heading", name="Set a new password")).to_be_visible()
    await assert_accessible(newcomer, "the set-password page a new account's link opens")
    await newcomer.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    await newcomer.get_by_label("Type the new password again").fill(NEW_PASSWORD)
    await newcomer.get_by_role("button", name="Set password").click()
    await expect(newcomer.get_by_role("heading", name="Password changed")).to_be_visible()
    await _signed_in(browser, base_url, "pat.new", NEW_PASSWORD)

    with sessions() as session:
        made = session.scalars(select(User).where(User.username == "pat.new")).one()
        trail = session.execute(
            select(AuditEvent.action, AuditEvent.actor_id).where(AuditEvent.user_id == made.id)
        ).all()
    assert ("user.created", str(admin.id)) in trail
    assert ("user.password_reset_issued", str(admin.id)) in trail
