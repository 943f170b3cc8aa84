"""What happened next in Chromium (issue #12): a bad share is named in the error summary and nothing is saved,
a good one shows in the sharing log, Channel support ended sets the 6- and 12-month reviews on the page, and
axe finds nothing at each step."""

from __future__ import annotations

import re

import pytest
from aiohttp import web
from playwright.async_api import Browser, Page, expect
from review_helpers import PASSWORD, Case
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import UserInfo
from bot.review.forms import DecisionIn
from bot.review.pathway_records import PathwayIn
from bot.store.outcome_models import CaseReview, SharingEntry
from bot.web.review import REVIEW
from tests.e2e.browser import Shots, new_context
from tests.web.axe import assert_accessible

PREVENT = PathwayIn("prevent_referral", "Police screening needed.", "The referral form.", "DSL")


async def test_a_lead_records_what_happened_next_in_the_browser_and_axe_finds_nothing(
    request: pytest.FixtureRequest,
    browser: Browser,
    base_url: str,
    app: web.Application,
    people: dict[str, UserInfo],
    cases: dict[str, Case],
    sessions: sessionmaker[Session],
) -> None:
    shots = Shots(request)
    case, lead = cases["north-live"], people["north-lead"]
    decision = DecisionIn(pathways=(PREVENT,), lawful_bases=("art6_public_task",), consent="given")
    app[REVIEW].record_decision(lead.id, "127.0.0.1", case.id, decision)
    page_: Page = await (await new_context(browser)).new_page()
    await page_.goto(f"{base_url}/sign-in")
    await page_.get_by_label("Username").fill("north-lead")
    await page_.get_by_label("Password").fill(PASSWORD)
    await page_.get_by_role("button", name="Sign in").click()
    await expect(page_.get_by_role("button", name="Sign out")).to_be_visible()
    await page_.goto(f"{base_url}/cases/{case.id}")
    await assert_accessible(page_, "the case page with the what-happened-next forms")

    # Nothing typed but the method: every missing field is in the error summary; nothing is saved.
    sharing = page_.locator("#sharing-form")
    await sharing.get_by_label("Secure email").check()
    await sharing.get_by_role("button", name="Record information shared").click()
    summary = page_.locator("#error-summary")
    await expect(summary).to_be_focused()
    await expect(summary).to_contain_text("Enter what was shared")
    await expect(summary).to_contain_text("Select the lawful basis for sharing it")
    await assert_accessible(page_, "the sharing form refusing an incomplete entry")
    await shots.take(page_, "what-next-sharing-error")
    with sessions() as session:
        assert session.scalars(select(SharingEntry)).all() == []

    sharing = page_.locator("#sharing-form")
    await expect(sharing.get_by_label("Secure email")).to_be_checked()  # kept as sent
    await sharing.get_by_label("What was shared").fill("The referral form,\nas sent.")
    await sharing.get_by_label("With whom (a person, team or organisation)").fill("Police Prevent team")
    await sharing.get_by_label("When was it shared?").fill("1/12/2026")
    await sharing.get_by_label("UK GDPR Article 6(1)(e): public task").check()
    await sharing.get_by_label("Which pathway of the decision it belongs to (optional)").select_option(
        label="Prevent referral to the police (for a child, usually also to MASH)"
    )
    await sharing.get_by_role("button", name="Record information shared").click()
    await expect(page_).to_have_url(re.compile(r"done=shared"))
    await expect(page_.locator("#sharing-table")).to_contain_text("The referral form,\nas sent.")

    outcome = page_.locator("#outcome-form")
    await outcome.get_by_label("What happened, on which pathway").select_option(
        label="Channel panel: support ended"
    )
    await outcome.get_by_label("When did it happen?").fill("30/11/2026")
    await outcome.get_by_role("button", name="Record the outcome").click()
    await expect(page_).to_have_url(re.compile(r"done=outcome"))
    await expect(page_.locator("#outcome-list")).to_contain_text("Channel panel: support ended")
    await expect(page_.locator("#review-list")).to_contain_text("30 May 2027")
    await expect(page_.locator("#review-list")).to_contain_text("30 November 2027")
    await assert_accessible(page_, "the case page with a share, an outcome and two reviews")
    await shots.take(page_, "what-next-recorded")
    with sessions() as session:
        assert len(session.scalars(select(CaseReview)).all()) == 2
