"""The case page's chronologies in Chromium (issue #18): a rough date reads as the range it means beside the
words as typed, a "don't know" is listed apart as not dated, each answer item of the case's chronology leads
to the answer on the page and each of the child's chronology straight to its transcript turn, and axe finds
nothing."""

from __future__ import annotations

import re
from datetime import date

from dated_cases import case_with_dates, engine_record
from playwright.async_api import Browser, Page, expect
from review_helpers import PASSWORD
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.review.services import ReviewService
from bot.settings import Settings
from bot.store.services import Store
from tests.e2e.browser import new_context
from tests.web.axe import assert_accessible


async def test_ranges_and_undated_answers_in_the_browser_and_axe_finds_nothing(
    browser: Browser,
    base_url: str,
    store: Store,
    bank: QuestionBank,
    people: dict[str, UserInfo],
    sessions: sessionmaker[Session],
    settings: Settings,
) -> None:
    review = ReviewService(sessions, bank)
    case = case_with_dates(store, bank, people["north-practitioner"], "March 2024", date(2024, 3, 1))
    turns = engine_record(settings.engine_tracker_db, case)
    review.link_case_record(people["north-lead"].id, "192.0.2.18", case.id, "CR-1818183")
    page_: Page = await (await new_context(browser)).new_page()
    await page_.goto(f"{base_url}/sign-in")
    await page_.get_by_label("Username").fill("north-lead")
    await page_.get_by_label("Password").fill(PASSWORD)
    await page_.get_by_role("button", name="Sign in").click()
    await expect(page_.get_by_role("button", name="Sign out")).to_be_visible()

    await page_.goto(f"{base_url}/cases/{case.id}")
    table = page_.locator("#child-chronology-table")
    await expect(table).to_contain_text("1 March to 31 March 2024")
    await expect(table).to_contain_text("March 2024")
    await expect(page_.locator("#child-chronology-undated-list")).to_contain_text("don't know")
    await expect(page_.locator("#chronology-undated-list")).to_contain_text("don't know")
    await assert_accessible(page_, "the case page with ranges and undated answers in both chronologies")

    await page_.locator('a[href="#answer-online_concern__when"]').first.click()
    await expect(page_).to_have_url(re.compile(r"#answer-online_concern__when$"))
    await expect(page_.locator("#answer-online_concern__when")).to_contain_text("March 2024")

    # The child's chronology leads straight to the transcript turn that gave the answer.
    turn = f"turn-{turns['online_concern__when']}"
    await table.locator(f'a[href$="/transcript#{turn}"]').click()
    await expect(page_).to_have_url(re.compile(rf"/cases/{case.id}/transcript#{turn}$"))
    await expect(page_.locator(f"#{turn}")).to_contain_text("March 2024")
    await assert_accessible(page_, "the transcript reached from the child's chronology")
