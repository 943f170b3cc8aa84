"""The trainer pages in Chromium (issue #13): a trainer follows the navigation to their team's practice runs,
reads the facts most often missed, and follows a run's link to its debrief; axe finds nothing."""

from __future__ import annotations

import pytest
from debrief_helpers import practice_run
from playwright.async_api import Browser, expect
from test_practice_debrief_browser import signed_in

from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.store.services import Store
from tests.e2e.browser import Shots
from tests.web.axe import assert_accessible


async def test_a_trainer_reads_the_runs_and_missed_facts_and_axe_finds_nothing(
    request: pytest.FixtureRequest,
    browser: Browser,
    base_url: str,
    store: Store,
    bank: QuestionBank,
    people: dict[str, UserInfo],
) -> None:
    shots = Shots(request)
    run = practice_run(store, bank, people["north-practitioner"])
    practice_run(store, bank, people["north-colleague"], submit=False)
    trainer = await signed_in(browser, base_url, "north-trainer")
    await trainer.get_by_role("link", name="Training").click()
    await expect(trainer.get_by_role("heading", name="Practice runs of your team")).to_be_visible()
    await expect(trainer.locator("#missed-a_plan_for_friday-new_group")).to_contain_text("1 of 1")
    await expect(trainer.locator(f"#run-{run.reference}")).to_contain_text("north-practitioner")
    await expect(trainer.locator("#runs")).to_contain_text("Not submitted")
    await assert_accessible(trainer, "the trainer pages of a team's practice runs")
    await shots.take(trainer, "training")
    await trainer.get_by_role("link", name=f"Debrief of {run.reference}").click()
    await expect(trainer.get_by_role("heading", name="Debrief: A plan for Friday")).to_be_visible()
