"""Change identifying details in Chromium (issue #12): a lead opens the form from the case page, a bad date of
birth is named in the focused error summary and nothing is saved, a good save makes the next version and
returns to the case with a confirmation, and axe finds nothing at each step."""

from __future__ import annotations

import pytest
from document_helpers import documents_case
from playwright.async_api import Browser, Page, expect
from review_helpers import PASSWORD
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.store.document_models import IdentifyingDetails
from bot.store.services import Store
from tests.e2e.browser import Shots, new_context
from tests.web.axe import assert_accessible


async def test_a_lead_changes_identifying_details_in_the_browser_and_axe_finds_nothing(
    request: pytest.FixtureRequest,
    browser: Browser,
    base_url: str,
    store: Store,
    bank: QuestionBank,
    people: dict[str, UserInfo],
    sessions: sessionmaker[Session],
) -> None:
    shots = Shots(request)
    case = documents_case(store, bank, people["north-practitioner"])
    page_: Page = await (await new_context(browser)).new_page()
    await page_.goto(f"{base_url}/sign-in")
    await page_.get_by_label("Username").fill("north-lead")
    await page_.get_by_label("Password").fill(PASSWORD)
    await page_.get_by_role("button", name="Sign in").click()
    await expect(page_.get_by_role("button", name="Sign out")).to_be_visible()
    await page_.goto(f"{base_url}/cases/{case.id}")
    await page_.get_by_role("link", name="Change identifying details").click()
    await expect(page_.get_by_role("heading", name="Change identifying details")).to_be_visible()
    await assert_accessible(page_, "the identifying details form")

    form = page_.locator("#details-form")
    await form.get_by_label("Child's full name").fill("Sam Example")
    await form.get_by_label("Date of birth", exact=True).fill("31/2/2012")
    await form.get_by_role("button", name="Save the identifying details").click()
    summary = page_.locator("#error-summary")
    await expect(summary).to_be_focused()
    await expect(summary).to_contain_text("Enter a real date of birth")
    await expect(page_.get_by_label("Child's full name")).to_have_value("Sam Example")
    await assert_accessible(page_, "the identifying details form refusing a bad date of birth")
    await shots.take(page_, "details-error")
    with sessions() as session:
        assert session.scalars(select(IdentifyingDetails)).all() == []

    await form.get_by_label("Date of birth", exact=True).fill("3/4/2012")
    await form.get_by_role("button", name="Save the identifying details").click()
    await expect(page_.locator("#notice")).to_contain_text("The identifying details have been changed")
    await assert_accessible(page_, "the case page after changing the details")
    await page_.get_by_role("link", name="Change identifying details").click()
    await expect(page_.get_by_label("Child's full name")).to_have_value("Sam Example")
    await expect(page_.locator("#details-about")).to_contain_text("version 1")
    await shots.take(page_, "details-version-1")
    with sessions() as session:
        (row,) = session.scalars(select(IdentifyingDetails)).all()
        assert (row.child_name, row.date_of_birth.isoformat() if row.date_of_birth else None) == (
            "Sam Example",
            "2012-04-03",
        )
