"""A trainer's feedback form on a practice run's debrief in Chromium (issue #13): sent empty it says what to
change, with the error summary linked to the box; a note is saved and listed verbatim for the trainee; axe
finds nothing on the form, its error state, or the saved note. Moving a run to live is checked the same way:
the confirmation page says what happens, and axe finds nothing on it or its error state."""

from __future__ import annotations

import pytest
from debrief_helpers import practice_run
from playwright.async_api import Browser, expect
from test_practice_debrief_browser import signed_in

from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.review.practice_feedback import EMPTY
from bot.store.practice_move import EMPTY_REASON
from bot.store.services import Store
from tests.e2e.browser import Shots
from tests.web.axe import assert_accessible

NOTE = "Good: you wrote down what the student showed you.\nNext time ask about home as well."


async def test_a_trainer_writes_feedback_and_axe_finds_nothing(
    request: pytest.FixtureRequest,
    browser: Browser,
    base_url: str,
    store: Store,
    bank: QuestionBank,
    people: dict[str, UserInfo],
) -> None:
    shots = Shots(request)
    run = practice_run(store, bank, people["north-practitioner"])
    trainer = await signed_in(browser, base_url, "north-trainer")
    await trainer.goto(f"{base_url}/practice/runs/{run.reference}/debrief")
    box = trainer.get_by_label("Write feedback to the trainee")
    await expect(box).to_be_visible()
    await assert_accessible(trainer, "the trainer's feedback form on a debrief")

    await trainer.get_by_role("button", name="Save feedback").click()
    summary = trainer.locator(".govuk-error-summary")
    await expect(summary).to_contain_text(EMPTY)
    await expect(trainer.locator("#feedback-text-error")).to_contain_text(EMPTY)
    await assert_accessible(trainer, "the feedback form sent empty")
    await summary.get_by_role("link", name=EMPTY).click()
    await expect(box).to_be_focused()

    await box.fill(NOTE)
    await trainer.get_by_role("button", name="Save feedback").click()
    await expect(trainer.get_by_text("Your feedback was saved.")).to_be_visible()
    await expect(trainer.locator("#feedback .app-verbatim").first).to_have_text(NOTE)
    await assert_accessible(trainer, "the debrief with the trainer's note saved")
    await shots.take(trainer, "practice-feedback")

    trainee = await signed_in(browser, base_url, "north-practitioner")
    await trainee.goto(f"{base_url}/practice/runs/{run.reference}/debrief")
    await expect(trainee.locator("#feedback .app-verbatim").first).to_have_text(NOTE)
    await expect(trainee.get_by_label("Write feedback to the trainee")).to_have_count(0)


async def test_the_move_to_live_page_says_what_happens_and_axe_finds_nothing(
    request: pytest.FixtureRequest,
    browser: Browser,
    base_url: str,
    store: Store,
    bank: QuestionBank,
    people: dict[str, UserInfo],
) -> None:
    run = practice_run(store, bank, people["north-practitioner"], submit=False)
    trainee = await signed_in(browser, base_url, "north-practitioner")
    await trainee.goto(f"{base_url}/chat/{run.reference}")
    await trainee.get_by_role("link", name="This is about a real child: move to live").click()
    await expect(trainee.locator("#what-happens")).to_contain_text("kept exactly as typed")
    await assert_accessible(trainee, "the page that moves a practice run to live")
    await Shots(request).take(trainee, "move-to-live")  # the trainer's guide shows it
    await trainee.get_by_role("button", name="Move to live").click()
    await expect(trainee.locator(".govuk-error-summary")).to_contain_text(EMPTY_REASON)
    await assert_accessible(trainee, "the move to live sent without a reason")
    await trainee.get_by_label("Why is this about a real child?").fill("It is Sam, in my class.")
    await trainee.get_by_role("button", name="Move to live").click()
    await expect(trainee.get_by_text("This is now a live assessment in your team")).to_be_visible()
    await expect(trainee.get_by_text("Rehearsal - fictional case")).to_have_count(0)
    await assert_accessible(trainee, "the run's chat just moved to live")
