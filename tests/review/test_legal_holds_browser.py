"""A legal hold in Chromium (issue #31): from the case page's button to the hold page; sent without a reason
it says what to change, with the error summary linked to the box; set, the case page confirms it and shows
the reason verbatim; lifted the same way. axe finds nothing on the hold form, its error state, the case page
with the hold, or the lift form."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, expect
from review_helpers import Case
from test_practice_debrief_browser import signed_in

from tests.e2e.browser import Shots
from tests.web.axe import assert_accessible

REASON = "Litigation: the family's solicitor wrote on 3 March.\nKeep everything."
EMPTY = "Enter the reason for the legal hold"


async def test_a_lead_sets_and_lifts_a_hold_and_axe_finds_nothing(
    request: pytest.FixtureRequest, browser: Browser, base_url: str, cases: dict[str, Case]
) -> None:
    shots = Shots(request)
    case = cases["north-live"]
    lead = await signed_in(browser, base_url, "north-lead")
    await lead.goto(f"{base_url}/cases/{case.id}")
    await lead.get_by_role("button", name="Put this case under a legal hold").click()
    box = lead.get_by_label("Why is this case to be held?")
    await expect(box).to_be_visible()
    await assert_accessible(lead, "the legal hold form")

    await lead.get_by_role("button", name="Put under a legal hold").click()
    summary = lead.locator(".govuk-error-summary")
    await expect(summary).to_contain_text(EMPTY)
    await expect(lead.locator("#reason-error")).to_contain_text(EMPTY)
    await assert_accessible(lead, "the legal hold form sent without a reason")
    await summary.get_by_role("link", name=EMPTY).click()
    await expect(box).to_be_focused()

    await box.fill(REASON)
    await lead.get_by_role("button", name="Put under a legal hold").click()
    await expect(lead.get_by_text("The case is under a legal hold.")).to_be_visible()
    await expect(lead.locator("#legal-hold-details .app-verbatim")).to_have_text(REASON)
    await assert_accessible(lead, "the case page with a legal hold")
    await lead.locator("#legal-hold-details").scroll_into_view_if_needed()
    await shots.take(lead, "case-under-hold", full_page=False)  # the lead's guide shows it

    await lead.get_by_role("button", name="Lift the legal hold").click()
    await expect(lead.locator("#hold-reason .app-verbatim")).to_have_text(REASON)
    await assert_accessible(lead, "the form that lifts a legal hold")
    await lead.get_by_label("Why is the hold being lifted?").fill("The claim was withdrawn.")
    await lead.get_by_role("button", name="Lift the legal hold").click()
    await expect(lead.get_by_text("The legal hold has been lifted.")).to_be_visible()
    await expect(lead.get_by_text("This case is not under a legal hold.")).to_be_visible()
