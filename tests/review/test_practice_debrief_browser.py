"""The debrief of a practice run in Chromium (issue #13): the trainee follows the link from their submitted
run to its debrief, and a trainer of the team opens it too; axe finds nothing on either page."""

from __future__ import annotations

import pytest
from debrief_helpers import practice_run
from playwright.async_api import Browser, Page, expect
from review_helpers import PASSWORD

from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.store.services import Store
from tests.e2e.browser import Shots, new_context
from tests.web.axe import assert_accessible


async def signed_in(browser: Browser, base_url: str, username: str) -> Page:
    page_: Page = await (await new_context(browser)).new_page()
    await page_.goto(f"{base_url}/sign-in")
    await page_.get_by_label("Username").fill(username)
    await page_.get_by_label("Password").fill(PASSWORD)
    await page_.get_by_role("button", name="Sign in").click()
    await expect(page_.get_by_role("button", name="Sign out")).to_be_visible()
    return page_


async def test_the_trainee_and_their_trainer_read_the_debrief_and_axe_finds_nothing(
    request: pytest.FixtureRequest,
    browser: Browser,
    base_url: str,
    store: Store,
    bank: QuestionBank,
    people: dict[str, UserInfo],
) -> None:
    shots = Shots(request)
    run = practice_run(store, bank, people["north-practitioner"])
    trainee = await signed_in(browser, base_url, "north-practitioner")
    await trainee.goto(f"{base_url}/chat/{run.reference}")
    await trainee.get_by_role("link", name="Read the debrief of this practice run").click()
    await expect(trainee.get_by_role("heading", name="Debrief: A plan for Friday")).to_be_visible()
    await expect(trainee.locator("#fact-new_group")).to_contain_text("Not captured")
    await expect(trainee.locator("#fact-post_time_place")).to_contain_text("in your answer to")
    await expect(trainee.locator("#danger")).to_contain_text("Danger path not taken")
    await assert_accessible(trainee, "the trainee's debrief of a practice run")
    await shots.take(trainee, "practice-debrief")

    trainer = await signed_in(browser, base_url, "north-trainer")
    await trainer.goto(f"{base_url}/practice/runs/{run.reference}/debrief")
    await expect(trainer.locator("#run-summary")).to_contain_text("by north-practitioner")
    await expect(trainer.get_by_role("link", name="Open the run's case page")).to_be_visible()
    await assert_accessible(trainer, "a trainer's view of a trainee's debrief")
