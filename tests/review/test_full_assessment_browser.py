"""Issue #12 in Chromium, with axe at each step: a lead asks for the full assessment on a Request for Support
(a message too long is named in the error summary and nothing changes; a good one moves the case), the
practitioner sees their lead's notice and message on their home page; and the case page's "Documents made"
list of another case."""

from __future__ import annotations

import pytest
from aiohttp import web
from document_helpers import decide, documents_case
from playwright.async_api import Browser, Page, expect
from review_helpers import PASSWORD
from sqlalchemy.orm import Session, sessionmaker
from test_request_for_support_pages import send_screening

from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.review.document_records import DocumentIn
from bot.store.models import Assessment
from bot.store.services import Store
from bot.web.review import REVIEW
from tests.e2e.browser import Shots, new_context
from tests.web.axe import assert_accessible

MESSAGE = "Please complete the family section: what do the parents say?"


async def signed_in(browser: Browser, base_url: str, username: str) -> Page:
    page = await (await new_context(browser)).new_page()
    await page.goto(f"{base_url}/sign-in")
    await page.get_by_label("Username").fill(username)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    return page


async def test_asking_for_the_full_assessment_and_the_practitioners_notice_pass_axe(
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
    case = send_screening(store, bank, people["north-practitioner"])
    lead = await signed_in(browser, base_url, "north-lead")
    await lead.goto(f"{base_url}/cases/{case.id}")
    await expect(lead.get_by_role("heading", name="Ask for the full assessment")).to_be_visible()
    await assert_accessible(lead, "a Request for Support with the ask-for-the-full-assessment form")

    field = lead.get_by_label("Message to the practitioner (optional)")
    await field.fill("x" * 10_001)  # over MAX_ANSWER_CHARS
    await lead.get_by_role("button", name="Ask for the full assessment").click()
    summary = lead.locator("#error-summary")
    await expect(summary).to_be_focused()
    await assert_accessible(lead, "the ask-for-the-full-assessment form refusing a message too long")
    with sessions() as session:
        assert session.get_one(Assessment, case.id).status == "submitted"  # nothing changed

    await lead.get_by_label("Message to the practitioner (optional)").fill(MESSAGE)
    await lead.get_by_role("button", name="Ask for the full assessment").click()
    await expect(lead.locator("#case-status")).to_contain_text("Waiting for the practitioner")
    await assert_accessible(lead, "the case after asking for the full assessment")
    await shots.take(lead, "ask-full-done")

    practitioner = await signed_in(browser, base_url, "north-practitioner")
    await practitioner.goto(f"{base_url}/chat")
    notice = practitioner.locator(f"#full-requested-{case.reference}")
    await expect(notice).to_contain_text("Your lead asked for the full assessment")
    await expect(notice).to_contain_text(MESSAGE)
    await assert_accessible(practitioner, "the practitioner's home page with their lead's request")
    await shots.take(practitioner, "practitioner-full-requested")

    # The case page's list of documents made, on a case with a decision and one document.
    other = documents_case(store, bank, people["north-practitioner"])
    pathways = decide(app[REVIEW], sessions, people["north-lead"], other)
    app[REVIEW].make_document(
        people["north-lead"].id,
        "127.0.0.1",
        other.id,
        DocumentIn(
            pathway=str(pathways["prevent_referral"]), method="secure_email", lawful_basis="art6_public_task"
        ),
    )
    await lead.goto(f"{base_url}/cases/{other.id}")
    table = lead.locator("#documents-made-table")
    await expect(table).to_contain_text("Prevent referral")
    await expect(table.get_by_role("link", name="PDF of Prevent referral")).to_be_visible()
    await assert_accessible(lead, "a case page listing the documents made")
