"""The decision form's pathways in Chromium (issue #12): ticking a pathway reveals its own fields, a bad
combination is named in the error summary, a combined decision is recorded and shown, and axe finds nothing
at each step."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Browser, Page, expect
from review_helpers import PASSWORD, Case
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.pathways import PATHWAY_BY_KEY
from bot.review.partners import PARTNERS
from bot.store.review_models import DecisionPathway
from tests.e2e.browser import Shots, new_context
from tests.web.axe import assert_accessible

EARLY_HELP = PATHWAY_BY_KEY["early_help"].label
PARTNER = PATHWAY_BY_KEY["community_partner"].label
NONE = PATHWAY_BY_KEY["no_further_action"].label


async def test_a_lead_combines_pathways_in_the_browser_and_axe_finds_nothing(
    request: pytest.FixtureRequest,
    browser: Browser,
    base_url: str,
    cases: dict[str, Case],
    sessions: sessionmaker[Session],
) -> None:
    shots = Shots(request)
    page_: Page = await (await new_context(browser)).new_page()
    await page_.goto(f"{base_url}/sign-in")
    await page_.get_by_label("Username").fill("north-lead")
    await page_.get_by_label("Password").fill(PASSWORD)
    await page_.get_by_role("button", name="Sign in").click()
    await expect(page_.get_by_role("button", name="Sign out")).to_be_visible()
    case = cases["north-live"]
    await page_.goto(f"{base_url}/cases/{case.id}")
    form = page_.locator("#decision-form")

    # Hidden until ticked: each pathway's own fields come with its box.
    rationale = form.locator("#pathway-early_help-rationale")
    await expect(rationale).to_be_hidden()
    await form.get_by_label(EARLY_HELP, exact=True).check()
    await expect(rationale).to_be_visible()
    await expect(form.get_by_label(EARLY_HELP, exact=True)).to_have_attribute("aria-expanded", "true")
    await assert_accessible(page_, "the decision form with a pathway's fields revealed")

    # "No further action" with another pathway: named in the error summary, and nothing is saved.
    await form.get_by_label(NONE, exact=True).check()
    for key in ("early_help", "no_further_action"):
        await form.locator(f"#pathway-{key}-rationale").fill("Because.")
        await form.locator(f"#pathway-{key}-shared").fill("Nothing shared yet.")
        await form.locator(f"#pathway-{key}-owner").fill("Designated safeguarding lead")
    await form.get_by_label("UK GDPR Article 6(1)(e): public task").check()
    await form.get_by_label("Consent sought and given").check()
    await form.get_by_role("button", name="Record the decision").click()
    summary = page_.locator("#error-summary")
    await expect(summary).to_be_focused()
    await expect(summary).to_contain_text("cannot be combined with another pathway")
    await assert_accessible(page_, "the decision form refusing a bad combination")
    await shots.take(page_, "decision-pathways-error")
    with sessions() as session:
        assert session.scalars(select(DecisionPathway)).all() == []

    # The fields typed are kept; untick "no further action", add a partner, and the decision is recorded.
    await expect(form.locator("#pathway-early_help-rationale")).to_have_value("Because.")
    await form.get_by_label(NONE, exact=True).uncheck()
    await form.get_by_label(PARTNER, exact=True).check()
    await form.locator("#pathway-community_partner-partner").select_option(PARTNERS[0].key)
    await form.locator("#pathway-community_partner-rationale").fill("Mentoring fits what he wants.")
    await form.locator("#pathway-community_partner-shared").fill("Name and school, with consent.")
    await form.locator("#pathway-community_partner-owner").fill("Ms Khan")
    await form.get_by_label("UK GDPR Article 6(1)(e): public task").check()
    await form.get_by_label("Consent sought and given").check()
    await form.get_by_role("button", name="Record the decision").click()
    await expect(page_).to_have_url(re.compile(r"done=decision"))
    decided = page_.locator("#decision + dl")
    await expect(decided).to_contain_text("Pathway 1 of 2")
    await expect(decided).to_contain_text(PARTNERS[0].name)
    await expect(decided).to_contain_text("Mentoring fits what he wants.")
    await assert_accessible(page_, "the case page with a decision that combines two pathways")
    await shots.take(page_, "decision-pathways-recorded")
    with sessions() as session:
        rows = session.scalars(select(DecisionPathway).order_by(DecisionPathway.position)).all()
        assert [(r.pathway, r.partner) for r in rows] == [
            ("early_help", None),
            ("community_partner", PARTNERS[0].key),
        ]
