"""A lead and an urgent case its practitioner has not submitted yet, in Chromium (issue #9).

The case is made through the store's own service, as the action server makes it: a conversation, an
assessment, answers, and an urgent flag with the practitioner's danger message. The answers to the danger
follow-up questions, and a notice of the flag, are rows written as their owners write them (the dialogue's
`urgent_detail` and the notifier belong to other parts). Two ordinary submitted cases are there too.

The lead signs in, finds the urgent case at the top of the list, opens it, reads the danger message and the
follow-up answers exactly as typed, records what they did, and sees it listed with their name. axe-core
checks the list and the case page (before and after); screenshots are kept in test-artifacts/<test name>/.
Elements are found by role, label and text, as a person finds them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from playwright.async_api import Browser, Page, expect
from sqlalchemy import func, select
from web_helpers import PASSWORD

from bot.domain.records import AssessmentRecord, UserInfo
from bot.questions import load_bank
from bot.store.models import UrgentFlag
from bot.store.review_models import Referral
from bot.store.services import Store
from bot.store.urgent_models import Notification, UrgentResponse
from tests.e2e.browser import Axe, Shots, new_context
from tests.fixtures.cases import build_case

TEAM = "Riverside team"
FACT_DATE = date(2026, 2, 27)
ANSWER = '  He wrote "they\'ll all be sorry" on his planner\nand tore the page out.  '
DANGER = "  He's at the bus station NOW with a knife <in his bag> & says he'll use it.\n\nPlease help. "
FOLLOW_UPS = (
    (
        "danger_what",
        "What is happening now?",
        "Shouting at people by the ticket office; staff have moved away.",
    ),
    ("danger_999", "Has 999 been called? If so, what is the police reference?", "Yes - ref CAD 2291 (14:05)"),
    ("danger_where", "Where is the young person now?", "Bus station, stand 4, Riverside"),
    ("danger_with", "Who is with them?", "No one he knows.\nA security guard is watching from a distance."),
)
DID = "  Rang the practitioner at 14:12; police on scene (CAD 2291).\nInformed MASH duty & head teacher. "
FLAGGED_AT = datetime(2026, 3, 2, 14, 5, tzinfo=UTC)


@dataclass(frozen=True)
class Seeded:
    lead: UserInfo
    practitioner: UserInfo
    urgent: AssessmentRecord
    submitted: tuple[AssessmentRecord, ...]


@pytest.fixture
def seeded(store: Store) -> Seeded:
    bank = load_bank()
    practitioner = store.users.create_user("sam.okafor", PASSWORD, "practitioner", TEAM)
    lead = store.users.create_user("dsl.patel", PASSWORD, "lead", TEAM)
    submitted = tuple(
        build_case(store, bank, practitioner, text=ANSWER, fact_date=FACT_DATE) for _ in range(2)
    )
    urgent = build_case(
        store, bank, practitioner, text=ANSWER, fact_date=FACT_DATE, danger=DANGER, submit=False
    )
    with store.session_factory.begin() as session:
        for question_id, wording, text in FOLLOW_UPS:
            session.add(
                UrgentFlag(
                    assessment_id=urgent.id,
                    message=text,
                    flagged_at=FLAGGED_AT,
                    question_id=question_id,
                    wording=wording,
                )
            )
        session.add(
            Notification(
                assessment_id=urgent.id,
                recipient_id=lead.id,
                purpose="urgent_flag",
                channel="email",
                status="sent",
                attempts=1,
                next_attempt_at=FLAGGED_AT,
                created_at=FLAGGED_AT,
                sent_at=FLAGGED_AT,
            )
        )
    return Seeded(lead, practitioner, urgent, submitted)


@pytest.fixture
async def lead_page(request: pytest.FixtureRequest, browser: Browser) -> AsyncIterator[tuple[Page, Shots]]:
    context = await new_context(browser)
    page, shots = await context.new_page(), Shots(request)
    yield page, shots
    await context.close()


@asynccontextmanager
async def shot_on_failure(page: Page, shots: Shots) -> AsyncIterator[None]:
    """A picture of where the page was when a step failed (this folder's conftest has no report hook)."""
    try:
        yield
    except BaseException:
        await shots.take(page, "failed-here")
        raise


def folded(text: str) -> str:
    """Text as the browser's text matching folds it (runs of white space as one space, ends trimmed)."""
    return " ".join(text.split())


async def test_a_lead_sees_opens_reads_and_responds_to_an_urgent_unsubmitted_case(
    base_url: str, store: Store, seeded: Seeded, lead_page: tuple[Page, Shots]
) -> None:
    page, shots = lead_page
    async with shot_on_failure(page, shots):
        axe = Axe()
        reference = seeded.urgent.reference

        async def step(name: str, state: str | None = None) -> None:
            if state:
                await axe.check(page, state)
            await shots.take(page, name)

        await page.goto(f"{base_url}/sign-in")
        await page.get_by_label("Username").fill(seeded.lead.username)
        await page.get_by_label("Password").fill(PASSWORD)
        await page.get_by_role("button", name="Sign in").click()
        await expect(page.get_by_role("button", name="Sign out")).to_be_visible()

        # The list: the urgent case first, labelled, with when the flag was raised; then the submitted ones.
        await page.get_by_role("link", name="Cases", exact=True).click()
        await expect(page.get_by_role("heading", name="Cases", exact=True)).to_be_visible()
        table = page.get_by_role("table")
        rows = table.get_by_role("row")
        await expect(rows).to_have_count(4)  # the header row and three cases
        first = rows.nth(1)
        await expect(first.get_by_role("link", name=reference, exact=True)).to_be_visible()
        await expect(first.get_by_text("Urgent - not yet submitted", exact=True)).to_be_visible()
        await expect(first.get_by_text("Flag raised", exact=False)).to_be_visible()
        await expect(first.get_by_text("Not yet submitted", exact=True)).to_be_visible()
        for record in seeded.submitted:
            await expect(table.get_by_role("link", name=record.reference, exact=True)).to_be_visible()
        await step("case-list", "the case list with an urgent unsubmitted case")

        # Whatever the sort, it stays first.
        await page.get_by_label("Sort", exact=True).select_option(label="Oldest first")
        await page.get_by_role("button", name="Apply filters").click()
        await expect(rows.nth(1).get_by_role("link", name=reference, exact=True)).to_be_visible()

        # The case page: the banner, the danger message and follow-up answers verbatim, who to contact.
        await rows.nth(1).get_by_role("link", name=reference, exact=True).click()
        await expect(page.get_by_role("heading", name=f"Case {reference}")).to_be_visible()
        banner = page.get_by_role("region", name="Urgent - not yet submitted")
        await expect(banner).to_be_visible()
        await expect(banner).to_contain_text("has not submitted this assessment yet")
        await expect(banner).to_contain_text(seeded.practitioner.username)
        shown = banner.get_by_text(folded(DANGER), exact=True)
        assert await shown.text_content() == DANGER, "the danger message exactly as typed"
        for _, wording, text in FOLLOW_UPS:
            await expect(banner.get_by_text(wording, exact=True)).to_be_visible()
            assert await banner.get_by_text(folded(text), exact=True).text_content() == text
        # Everything answered so far, and the notice sent to this lead.
        answer = page.get_by_text(folded(ANSWER), exact=True).first
        assert await answer.text_content() == ANSWER
        notices = page.get_by_role("table").filter(has_text="Email")
        await expect(notices.get_by_role("row").filter(has_text=seeded.lead.username)).to_contain_text("Sent")
        # No decision form before submission.
        await expect(page.get_by_role("button", name="Record the decision")).to_have_count(0)
        await expect(
            page.get_by_text("A decision can be recorded once the practitioner submits")
        ).to_be_visible()
        await step("urgent-case", "the urgent unsubmitted case page")

        # Record what you did: a blank note is refused, then the real one is kept and listed.
        await page.get_by_role("button", name="Save what you did").click()
        await expect(page.get_by_role("alert")).to_contain_text("There is a problem")
        await expect(page.get_by_role("link", name="Enter what you did", exact=False)).to_be_visible()
        await step("response-missing", "the urgent case page with a missing note")
        await page.get_by_label("Record what you did").fill(DID)
        await step("response-filled")
        await page.get_by_role("button", name="Save what you did").click()
        await expect(page.get_by_text("What you did has been recorded.")).to_be_visible()
        responses = page.locator("#response-list")
        browser_sent = DID.replace("\n", "\r\n")  # a browser's form post sends line breaks as CRLF
        listed = responses.get_by_text(folded(DID), exact=True)
        assert (await listed.text_content() or "").replace("\r\n", "\n") == DID
        await expect(responses).to_contain_text(seeded.lead.username)
        await step("response-recorded", "the urgent case page with what the lead did")

        with store.session_factory() as session:
            [row] = session.scalars(select(UrgentResponse))
            assert (row.assessment_id, row.responded_by, row.note) == (
                seeded.urgent.id,
                seeded.lead.id,
                browser_sent,
            )
            assert session.scalar(select(func.count()).select_from(Referral)) == 0, (
                "no referral before submission"
            )
        assert axe.checked == [
            "the case list with an urgent unsubmitted case",
            "the urgent unsubmitted case page",
            "the urgent case page with a missing note",
            "the urgent case page with what the lead did",
        ]
