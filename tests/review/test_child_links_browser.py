"""The case-record link and the assignment in Chromium (issue #12): a bad ID is named in the error summary and
nothing is saved, a good one shows the child's chronology across two referrals, the case is assigned, the
case list shows who has it and how long it has waited, and axe finds nothing at each step."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Browser, Page, expect
from review_helpers import PASSWORD, Case
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import UserInfo
from bot.store.review_models import Referral
from tests.e2e.browser import Shots, new_context
from tests.web.axe import assert_accessible


async def test_a_lead_links_and_assigns_a_case_in_the_browser_and_axe_finds_nothing(
    request: pytest.FixtureRequest,
    browser: Browser,
    base_url: str,
    people: dict[str, UserInfo],
    cases: dict[str, Case],
    sessions: sessionmaker[Session],
) -> None:
    shots = Shots(request)
    case, other = cases["north-live"], cases["north-colleague-live"]
    page_: Page = await (await new_context(browser)).new_page()
    await page_.goto(f"{base_url}/sign-in")
    await page_.get_by_label("Username").fill("north-lead")
    await page_.get_by_label("Password").fill(PASSWORD)
    await page_.get_by_role("button", name="Sign in").click()
    await expect(page_.get_by_role("button", name="Sign out")).to_be_visible()
    await page_.goto(f"{base_url}/cases/{other.id}")
    form = page_.locator("#case-record-form")
    await form.get_by_label("Link to the council case-record ID").fill("CR-0123999")
    await form.get_by_role("button", name="Save case-record ID").click()
    await expect(page_).to_have_url(re.compile(r"done=linked"))

    await page_.goto(f"{base_url}/cases/{case.id}")
    await assert_accessible(page_, "the case page with the case-record and assignment forms")
    form = page_.locator("#case-record-form")
    await form.get_by_label("Link to the council case-record ID").fill("nonsense")
    await form.get_by_role("button", name="Save case-record ID").click()
    summary = page_.locator("#error-summary")
    await expect(summary).to_be_focused()
    await expect(summary).to_contain_text("Enter a case-record ID in the council's format")
    await assert_accessible(page_, "the case-record form refusing a bad ID")
    await shots.take(page_, "child-case-record-error")
    with sessions() as session:
        stored = session.scalar(select(Referral.case_record_id).where(Referral.assessment_id == case.id))
        assert stored is None

    form = page_.locator("#case-record-form")
    await form.get_by_label("Link to the council case-record ID").fill("cr-0123999")
    await form.get_by_role("button", name="Save case-record ID").click()
    await expect(page_).to_have_url(re.compile(r"done=linked"))
    table = page_.locator("#child-chronology-table")
    await expect(table).to_contain_text(case.reference)
    await expect(table).to_contain_text(other.reference)

    assignment = page_.locator("#assignment-form")
    await assignment.get_by_label("Assign to").select_option(label="north-lead (you)")
    await assignment.get_by_role("button", name="Save assignment").click()
    await expect(page_).to_have_url(re.compile(r"done=assigned"))
    await expect(page_.locator("#assigned-to")).to_contain_text("north-lead")
    await assert_accessible(page_, "the case page with the child's chronology and an assignment")
    await shots.take(page_, "child-chronology")

    await page_.goto(f"{base_url}/cases")
    await expect(page_.locator("#assigned-list")).to_contain_text(case.reference)
    await page_.get_by_label("Assigned", exact=True).select_option(label="Unassigned")
    await page_.get_by_label("Sort").select_option(label="Longest waiting for a decision first")
    await page_.get_by_role("button", name="Apply filters").click()
    await expect(page_).to_have_url(re.compile(r"assigned=none"))
    await expect(page_.locator("#cases")).to_contain_text(other.reference)
    await expect(page_.locator("#cases")).not_to_contain_text(case.reference)
    await assert_accessible(page_, "the case list filtered to unassigned, longest waiting first")
