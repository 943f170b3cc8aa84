"""A lead's review in Chromium, of assessments walked through the real engine and submitted.

Two assessments are walked through the engine's REST channel (as tests/e2e/test_lead_review.py does) by a
practitioner of a team of their own, and submitted. Their lead then signs in, filters the case list by
status and by whether immediate danger was reported, searches by one case's reference, opens it, follows an
answer's link to the transcript turn that produced it, records a decision through the form and downloads the
PDF export. axe-core checks every page; a screenshot of every step is kept in test-artifacts/<test name>/.

The pages are found by role, label and text, not CSS classes (their styling is being reworked alongside).
Leads see live cases only, so the list offers them no live/rehearsal filter; the mode is checked in the
store instead.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect
from sqlalchemy import select

from bot.domain.records import AssessmentRecord, UserInfo
from bot.store.review_models import Decision, DecisionPathway, Referral
from tests.e2e.browser import Axe, Shots, new_context
from tests.e2e.conftest import Product, _service, failed
from tests.e2e.test_thin_path import answer_until_free_text

TYPED = '  He wrote "they\'ll all be sorry" on his planner 😟\r\nand tore the page out.  '
OTHER = "Quiet in class for two weeks; no longer sits with his friends."
RATIONALE = "  Known to school; early help fits.\nReview after half term. "
PATHWAY = "Early help"
SHARED = "Nothing shared yet: the family are told first."
OWNER = "Early help coordinator"
LAWFUL_BASIS = "UK GDPR Article 6(1)(e): public task"
CONSENT = "Consent sought and given"
MIN_PDF_BYTES = 5_000  # a rendered case with its answers, well above an empty document


def walk_and_submit(product: Product, practitioner: UserInfo, typed: str) -> AssessmentRecord:
    """Through the real engine: start, answer choice questions until one takes text, type `typed`, submit."""
    store = _service(product.settings)
    sender = store.conversations.open_conversation(practitioner.id, "test")
    replies = product.press(sender, "/start_assessment")
    answer_until_free_text(product, sender, replies, typed)
    return store.assessments.submit(sender)


@pytest.fixture
async def lead_page(
    request: pytest.FixtureRequest, product: Product, browser: Browser
) -> AsyncIterator[tuple[Page, Shots]]:
    context = await new_context(browser)
    page, shots = await context.new_page(), Shots(request)
    yield page, shots
    if failed(request):
        await shots.take(page, "failed-here")
    await context.close()


async def test_a_lead_filters_opens_follows_to_the_transcript_decides_and_exports(
    product: Product, lead_page: tuple[Page, Shots]
) -> None:
    page, shots = lead_page
    axe = Axe()
    base = product.settings.app_url
    store = _service(product.settings)
    team = f"Lead browser team {secrets.token_hex(3)}"
    practitioner = store.users.create_user(
        f"referrer-{secrets.token_hex(3)}", secrets.token_urlsafe(16), "practitioner", team
    )
    target = walk_and_submit(product, practitioner, TYPED)
    other = walk_and_submit(product, practitioner, OTHER)
    assert target.mode == other.mode == "live" and not target.urgent and not other.urgent
    password = secrets.token_urlsafe(16)
    lead = store.users.create_user(f"lead-{secrets.token_hex(3)}", password, "lead", team)

    async def step(name: str, state: str | None = None) -> None:
        if state:
            await axe.check(page, state)
        await shots.take(page, name)

    # Sign in.
    await page.goto(f"{base}/sign-in")
    await step("sign-in", "the sign-in page")
    await page.get_by_label("Username").fill(lead.username)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    # The case list, both cases in it.
    await page.goto(f"{base}/cases")
    await expect(page.get_by_role("heading", name="Cases", exact=True)).to_be_visible()
    for case in (target, other):
        await expect(page.get_by_role("link", name=case.reference, exact=True)).to_be_visible()
    await step("case-list", "the case list")

    # Filtered by status and by "immediate danger reported": still both.
    await page.get_by_label("Status").select_option(label="Submitted")
    await page.get_by_label("Immediate danger reported").select_option(label="Not urgent")
    await page.get_by_role("button", name="Apply filters").click()
    await expect(page).to_have_url(re.compile(r"/cases\?.*status=submitted"))
    await expect(page).to_have_url(re.compile(r"urgent=no"))
    await expect(page.get_by_label("Status")).to_have_value("submitted")
    for case in (target, other):
        await expect(page.get_by_role("link", name=case.reference, exact=True)).to_be_visible()
    await step("filtered", "the case list, filtered")

    # Searched by the child's reference: only that case.
    await page.get_by_label("Reference").fill(target.reference)
    await page.get_by_role("button", name="Apply filters").click()
    await expect(page.get_by_role("link", name=target.reference, exact=True)).to_be_visible()
    await expect(page.get_by_role("link", name=other.reference, exact=True)).to_have_count(0)
    await expect(page.get_by_text("1 case", exact=True)).to_be_visible()
    await step("searched", "the case list, searched by reference")

    # The case page.
    await page.get_by_role("link", name=target.reference, exact=True).click()
    await expect(page.get_by_role("heading", name=f"Case {target.reference}")).to_be_visible()
    await expect(page.get_by_text("In review", exact=True).first).to_be_visible()
    await step("case", "the case page")

    # From the typed answer to the transcript turn that produced it.
    typed = next(a for a in target.answers.values() if a.text == TYPED)
    link = page.get_by_role("link", name=f"See in transcript (the answer to: {typed.wording})")
    href = await link.get_attribute("href")
    turn = re.fullmatch(rf"/cases/{target.id}/transcript#(turn-\d+)", href or "")
    assert turn, f"the answer links to a turn of its own case's transcript: {href}"
    await link.click()
    await expect(page).to_have_url(re.compile(rf"/cases/{target.id}/transcript#{turn.group(1)}$"))
    targeted = page.locator(":target")
    await expect(targeted).to_have_attribute("id", turn.group(1))
    await expect(targeted).to_be_in_viewport()
    await expect(targeted).to_contain_text("Practitioner")
    shown = await targeted.text_content() or ""
    assert TYPED.replace("\r\n", "\n") in shown, f"the turn shows the text exactly as typed: {shown!r}"
    await step("transcript-turn", "the transcript")
    await shots.take(page, "transcript-turn-in-view", full_page=False)

    # Back to the case, and the decision through the form.
    await page.get_by_role("link", name=f"Back to case {target.reference}").click()
    await page.get_by_role("group", name="Pathways").get_by_label(PATHWAY, exact=True).check()
    await page.locator("#pathway-early_help-rationale").fill(RATIONALE)
    await page.locator("#pathway-early_help-shared").fill(SHARED)
    await page.locator("#pathway-early_help-owner").fill(OWNER)
    await (
        page.get_by_role("group", name="Lawful basis for recording and sharing")
        .get_by_label(LAWFUL_BASIS)
        .check()
    )
    await page.get_by_role("group", name="Consent", exact=True).get_by_label(CONSENT, exact=True).check()
    await step("decision-filled", "the case page with the decision filled in")
    await page.get_by_role("button", name="Record the decision").click()
    await expect(page.get_by_text("The decision has been recorded.")).to_be_visible()
    await expect(page.get_by_text("Decided", exact=True).first).to_be_visible()
    await step("decided", "the case page with its decision")

    # The PDF export: a real PDF download.
    async with page.expect_download() as downloading:
        await page.get_by_role("link", name="Export as PDF").click()
    download = await downloading.value
    saved = shots.folder / download.suggested_filename
    await download.save_as(saved)
    assert saved.suffix == ".pdf"
    pdf = Path(saved).read_bytes()
    assert pdf.startswith(b"%PDF-") and len(pdf) > MIN_PDF_BYTES, (pdf[:16], len(pdf))

    # The list filtered by the new status has the decided case and not the other.
    await page.goto(f"{base}/cases")
    await page.get_by_label("Status").select_option(label="Decided")
    await page.get_by_role("button", name="Apply filters").click()
    await expect(page.get_by_role("link", name=target.reference, exact=True)).to_be_visible()
    await expect(page.get_by_role("link", name=other.reference, exact=True)).to_have_count(0)
    await step("decided-cases", "the case list, decided cases")

    with store.session_factory() as session:
        referral = session.scalar(select(Referral).where(Referral.assessment_id == target.id))
        assert referral is not None and referral.status == "decided"
        [decision] = session.scalars(select(Decision).where(Decision.referral_id == referral.id))
        [chosen] = session.scalars(select(DecisionPathway).where(DecisionPathway.decision_id == decision.id))
    assert chosen.pathway == "early_help"
    assert chosen.rationale == RATIONALE.replace("\n", "\r\n"), "stored as the browser sent it"
    assert (chosen.shared, chosen.owner) == (SHARED, OWNER)
    assert list(decision.lawful_bases) == ["art6_public_task"]
    assert decision.consent == "given"
    assert decision.decided_by == lead.id
    assert len(axe.checked) == 9, axe.checked
