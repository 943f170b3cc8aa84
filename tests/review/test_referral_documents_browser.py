"""Documents to send in Chromium (issue #12): a lead opens the form from the case, a bad date of birth is
named in the error summary and nothing is saved, a good form makes the Prevent referral and logs the share,
and axe finds nothing at each step."""

from __future__ import annotations

import pytest
from aiohttp import web
from document_helpers import decide, documents_case
from playwright.async_api import Browser, Page, expect
from review_helpers import PASSWORD
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.store.document_models import IdentifyingDetails, ReferralDocument
from bot.store.outcome_models import SharingEntry
from bot.store.services import Store
from bot.web.review import REVIEW
from tests.e2e.browser import Shots, new_context
from tests.web.axe import assert_accessible


async def test_a_lead_makes_a_prevent_referral_in_the_browser_and_axe_finds_nothing(
    request: pytest.FixtureRequest,
    browser: Browser,
    base_url: str,
    app: web.Application,
    store: Store,
    bank: QuestionBank,
    people: dict[str, UserInfo],
    sessions: sessionmaker[Session],
) -> None:
    shots = Shots(request)
    lead = people["north-lead"]
    case = documents_case(store, bank, people["north-practitioner"])
    decide(app[REVIEW], sessions, lead, case)
    page_: Page = await (await new_context(browser)).new_page()
    await page_.goto(f"{base_url}/sign-in")
    await page_.get_by_label("Username").fill("north-lead")
    await page_.get_by_label("Password").fill(PASSWORD)
    await page_.get_by_role("button", name="Sign in").click()
    await expect(page_.get_by_role("button", name="Sign out")).to_be_visible()
    await page_.goto(f"{base_url}/cases/{case.id}")
    await page_.get_by_role("link", name="Documents to send (referrals, partner requests)").click()
    await expect(page_.get_by_role("heading", name="Documents to send")).to_be_visible()
    await assert_accessible(page_, "the documents form")

    form = page_.locator("#document-form")
    await form.get_by_label("Prevent referral", exact=True).check()
    await form.get_by_label("Child's full name").fill("Sam Example")
    await form.get_by_label("Date of birth", exact=True).fill("31/2/2012")
    await form.get_by_label("Secure email").check()
    await form.get_by_role("button", name="Make the document and log the share").click()
    summary = page_.locator("#error-summary")
    await expect(summary).to_be_focused()
    await expect(summary).to_contain_text("Enter a real date of birth")
    await expect(summary).to_contain_text("Select the lawful basis for sharing it")
    await expect(page_.get_by_label("Child's full name")).to_have_value("Sam Example")
    await assert_accessible(page_, "the documents form refusing a bad date of birth")
    await shots.take(page_, "documents-error")
    with sessions() as session:
        assert session.scalars(select(IdentifyingDetails)).all() == []
        assert session.scalars(select(SharingEntry)).all() == []

    await form.get_by_label("Date of birth", exact=True).fill("3/4/2012")
    await form.get_by_label("Public task").check()
    await form.get_by_role("button", name="Make the document and log the share").click()
    banner = page_.locator("#document-made")
    await expect(banner).to_contain_text("The document is ready")
    await assert_accessible(page_, "the documents page after making one")
    await shots.take(page_, "documents-made")
    async with page_.expect_download() as download:
        await banner.get_by_role("link", name="Download the PDF").click()
    assert (await download.value).suggested_filename.endswith(".pdf")
    with sessions() as session:
        made = session.scalars(select(ReferralDocument)).one()
        assert made.kind == "prevent_referral" and made.details_id is not None
        assert session.scalars(select(SharingEntry.shared_what)).one() == "Prevent referral"
