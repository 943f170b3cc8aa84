"""A day in the life of one team, lived through the real product (issue #26, "Must show").

Real engine, action server and app, a real SMTP server (tests/e2e/mail_server.py) and Debian's Chromium;
nothing mocked. One team: two practitioners, two leads (all four with email addresses) and a trainer.

- Morning: each practitioner keeps several assessments going (over HTTP with the pages' own forms, as
  tests/e2e/test_many_assessments.py does): each submits one, pauses another and comes back to it.
- Danger: practitioner 1, back in a paused assessment, presses "Someone is in danger now" in Chromium. Both
  leads get an email holding no case content; lead 1, signed out, follows its link, is sent to sign in and
  lands on that case.
- A false alarm: practitioner 2 reports danger part way through an assessment, carries on and submits it.
  Lead 2 stands the flag down with a reason on the case page: the Cases list no longer marks the case urgent
  and the reason shows on the case page.
- A decision: lead 1 records a decision with feedback on practitioner 1's submitted case; practitioner 1 gets
  an email holding neither case content nor the feedback, follows its link signed out, and reads the feedback.
- Practice: the trainer starts a practice run and reports danger in it: no notice is queued or sent, and the
  practice case is on neither lead's Cases list.

Screenshots of each step in Chromium are kept in test-artifacts/<test name>/.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from tests.e2e.browser import Shots, new_context
from tests.e2e.conftest import Product, _service, failed
from tests.e2e.day_helpers import (
    a_team,
    assert_no_case_content,
    at_work,
    folded,
    link_in,
    mail_about,
    notices_of,
    notices_pending,
    sign_in_here,
)
from tests.e2e.mail_server import MailServer
from tests.e2e.outbox_barrier import not_markers, outbox_went_round
from tests.e2e.test_urgent_reaches_lead import assessment_id_of, case_rows, lead_list, wait_for

NOTICE_SECONDS = 30  # a generous bound for the outbox worker, polled; not a target
STAND_DOWN = (
    "  Rang the school: he was quoting a film to his friends, not threatening anyone.\nNot an emergency. "
)
RATIONALE = "Worries about his wellbeing, no sign of a risk of harm to others.\nEarly help fits."
FEEDBACK = "  Thank you for the detail about the planner: it helped.\nEarly help will ring you on Monday. "
URGENT_UNSUBMITTED = "Urgent - not yet submitted"
DANGER_TAG = "Immediate danger reported"


class People:
    """A fresh browser (its own cookies, so signed out) for each person, and numbered screenshots of their
    steps; on failure, a picture of every open page where the test stopped."""

    def __init__(self, browser: Browser, shots: Shots) -> None:
        self.browser, self.shots = browser, shots
        self.open: list[tuple[str, BrowserContext, Page]] = []

    async def browser_for(self, who: str) -> Page:
        context = await new_context(self.browser)
        page = await context.new_page()
        self.open.append((who, context, page))
        return page

    async def shot(self, page: Page, step: str) -> None:
        who = next(name for name, _, open_page in self.open if open_page is page)
        await self.shots.take(page, f"{who}-{step}")


@pytest.fixture
async def people(request: pytest.FixtureRequest, browser: Browser) -> AsyncIterator[People]:
    everyone = People(browser, Shots(request))
    yield everyone
    for who, context, page in everyone.open:
        if failed(request):
            await everyone.shots.take(page, f"failed-here-{who}")
        await context.close()


def urgent_subject(reference: str) -> str:
    return f"Urgent: safeguarding concern {reference} needs a lead now"


async def test_a_day_in_the_life_of_one_team(product: Product, mail: MailServer, people: People) -> None:
    mail.start()
    base = product.settings.app_url
    store = _service(product.settings)
    team = a_team(product)
    one, two = team.practitioners
    lead1, lead2 = team.leads
    names = [person.username for person in team.everyone]

    # Morning. Practitioner 1 submits one assessment and pauses a second; practitioner 2 pauses one and
    # starts another, in which they report danger part way through (a false alarm, as it turns out), carry
    # on and submit; then they go back to the paused one and pause it again.
    async with at_work(product, one) as me1, at_work(product, two) as me2:
        a1 = await me1.start_new()
        await me1.answer_until_summary(a1)
        await me1.submit(a1)
        a2 = await me1.start_new()
        for _ in range(4):
            await me1.answer(a2)
        assert (await me1.press(a2, "Pause")).status == 303

        b1 = await me2.start_new()
        for _ in range(3):
            await me2.answer(b1)
        assert (await me2.press(b1, "Pause")).status == 303
        b2 = await me2.start_new()
        for _ in range(3):
            await me2.answer(b2)
        assert (await me2.danger(b2)).status == 303
        assert "call 999" in await me2.get(f"/chat/{b2}")
        assert (await me2.press(b2, "Carry on with the assessment")).status == 303
        await me2.answer_until_summary(b2)
        await me2.submit(b2)
        assert (await me2.press(b1, "Carry on where I left off")).status == 303
        await me2.answer(b1)
        assert (await me2.press(b1, "Pause")).status == 303

        # Practitioner 1 comes back to the paused one and answers a little more.
        assert (await me1.press(a2, "Carry on where I left off")).status == 303
        await me1.answer(a2)
        for home, drafts, submitted in (
            (await me1.get("/chat"), [a2], [a1]),
            (await me2.get("/chat"), [b1], [b2]),
        ):
            waiting, done = home.split('id="submitted"', 1)
            assert all(ref in waiting for ref in drafts) and all(ref in done for ref in submitted), home
    typed = [text for texts in (me1.typed, me2.typed) for said in texts.values() for text in said]

    # Danger, for real: practitioner 1 presses "Someone is in danger now" on the paused assessment's page.
    page1 = await people.browser_for("practitioner1")
    await page1.goto(f"{base}/chat/{a2}")
    await sign_in_here(page1, one)
    await expect(page1).to_have_url(re.compile(rf"/chat/{a2}(#.*)?$"))
    await page1.get_by_role("button", name="Someone is in danger now").click()
    await expect(page1.get_by_text("999").first).to_be_visible()
    await people.shot(page1, "danger-reported")

    # Both leads are told by email, with no case content.
    async def both_leads_told() -> bool:
        return all(mail_about(mail, lead, urgent_subject(a2)) for lead in team.leads)

    assert await wait_for(both_leads_told, NOTICE_SECONDS), [m["Subject"] for _, m in mail.inbox.messages]
    notices = [mail_about(mail, lead, urgent_subject(a2)) for lead in team.leads]
    assert [len(n) for n in notices] == [1, 1], "one notice each"
    for [notice] in notices:
        assert_no_case_content(notice, a2, typed, names)
    link = link_in(notices[0][0])
    assert link == link_in(notices[1][0])
    case_a2 = re.fullmatch(rf"{re.escape(base)}(/cases/\d+)", link)
    assert case_a2, link

    # Lead 1, signed out, follows the link: sent to sign in, then on that case.
    lead_page = await people.browser_for("lead1")
    await lead_page.goto(link)
    await expect(lead_page).to_have_url(f"{base}/sign-in?next={case_a2.group(1)}")
    await people.shot(lead_page, "sent-to-sign-in")
    await sign_in_here(lead_page, lead1)
    await expect(lead_page).to_have_url(link)
    await expect(lead_page.get_by_role("heading", name=f"Case {a2}")).to_be_visible()
    await expect(lead_page.get_by_role("region", name=URGENT_UNSUBMITTED)).to_be_visible()
    await people.shot(lead_page, "on-the-urgent-case")

    # The false alarm: lead 2 finds practitioner 2's submitted case marked urgent, and stands the flag down.
    async def told_of_b2() -> bool:
        return all(mail_about(mail, lead, urgent_subject(b2)) for lead in team.leads)

    assert await wait_for(told_of_b2, NOTICE_SECONDS), "both leads told of the other danger report too"
    page2 = await people.browser_for("lead2")
    await page2.goto(f"{base}/sign-in")
    await sign_in_here(page2, lead2)
    await page2.get_by_role("link", name="Cases", exact=True).click()
    row = page2.get_by_role("row").filter(has=page2.get_by_role("link", name=b2, exact=True))
    await expect(row.get_by_text(DANGER_TAG, exact=True)).to_be_visible()
    await expect(
        page2.get_by_role("row").filter(has=page2.get_by_role("link", name=a2, exact=True))
    ).to_contain_text(URGENT_UNSUBMITTED)
    await people.shot(page2, "cases-before-stand-down")
    await row.get_by_role("link", name=b2, exact=True).click()
    await expect(page2.get_by_role("heading", name=f"Case {b2}")).to_be_visible()
    await page2.get_by_label("Stand down the urgent flag").fill(STAND_DOWN)
    await page2.get_by_role("button", name="Stand down the urgent flag").click()
    await expect(page2.get_by_role("region", name="Urgent flag stood down")).to_be_visible()
    reason = page2.locator("#stand-down-list").get_by_text(folded(STAND_DOWN), exact=True)
    assert (await reason.text_content() or "").replace("\r\n", "\n") == STAND_DOWN, "the reason as typed"
    await expect(page2.locator("#stand-down-list")).to_contain_text(lead2.username)
    await people.shot(page2, "stood-down")
    await page2.get_by_role("link", name="Cases", exact=True).click()
    row = page2.get_by_role("row").filter(has=page2.get_by_role("link", name=b2, exact=True))
    await expect(row).to_be_visible()
    await expect(row).not_to_contain_text(DANGER_TAG)
    await expect(row).not_to_contain_text(URGENT_UNSUBMITTED)
    await expect(
        page2.get_by_role("row").filter(has=page2.get_by_role("link", name=a2, exact=True))
    ).to_contain_text(URGENT_UNSUBMITTED)
    await people.shot(page2, "cases-after-stand-down")

    # A decision with feedback: lead 1 on practitioner 1's submitted case.
    async def told_of_submissions() -> bool:
        return all(
            mail_about(mail, lead, f"Safeguarding concern {ref} submitted for review")
            for lead in team.leads
            for ref in (a1, b2)
        )

    assert await wait_for(told_of_submissions, NOTICE_SECONDS), "each submission told to both leads"
    await lead_page.get_by_role("link", name="Cases", exact=True).click()
    await lead_page.get_by_role("link", name=a1, exact=True).click()
    await expect(lead_page.get_by_role("heading", name=f"Case {a1}")).to_be_visible()
    await lead_page.get_by_role("group", name="Pathways").get_by_label("Early help", exact=True).check()
    await lead_page.locator("#pathway-early_help-rationale").fill(RATIONALE)
    await lead_page.locator("#pathway-early_help-shared").fill("Nothing shared yet.")
    await lead_page.locator("#pathway-early_help-owner").fill("Early help coordinator")
    await (
        lead_page.get_by_role("group", name="Lawful basis for recording and sharing")
        .get_by_label("UK GDPR Article 6(1)(e): public task")
        .check()
    )
    consent = lead_page.get_by_role("group", name="Consent", exact=True)
    await consent.get_by_label("Consent sought and given", exact=True).check()
    await lead_page.get_by_label("Feedback to the practitioner who referred (optional)").fill(FEEDBACK)
    await lead_page.get_by_role("button", name="Record the decision").click()
    await expect(lead_page.get_by_text("The decision has been recorded.")).to_be_visible()
    await people.shot(lead_page, "decided")

    feedback_subject = f"Feedback from your lead on {a1}"

    async def practitioner_told() -> bool:
        return bool(mail_about(mail, one, feedback_subject))

    assert await wait_for(practitioner_told, NOTICE_SECONDS), [m["Subject"] for _, m in mail.inbox.messages]
    [notice] = mail_about(mail, one, feedback_subject)
    assert_no_case_content(notice, a1, [*typed, FEEDBACK, RATIONALE], names)
    assert link_in(notice) == f"{base}/chat/{a1}"

    # Practitioner 1, signed out on another machine, follows it and reads the feedback.
    page1b = await people.browser_for("practitioner1-later")
    await page1b.goto(link_in(notice))
    await sign_in_here(page1b, one)
    await expect(page1b).to_have_url(re.compile(rf"/chat/{a1}(#.*)?$"))
    await expect(page1b.get_by_text("Feedback from your lead:")).to_be_visible()
    shown = page1b.get_by_text(folded(FEEDBACK), exact=True)
    assert (await shown.text_content() or "").replace("\r\n", "\n") == FEEDBACK, "the feedback as typed"
    await people.shot(page1b, "feedback-on-the-assessment")
    await page1b.goto(f"{base}/chat")
    submitted = page1b.locator("#submitted")
    await expect(submitted.get_by_role("row").filter(has_text=a1)).to_contain_text(folded(FEEDBACK))
    await people.shot(page1b, "feedback-at-home")

    # Practice: every notice so far delivered, the trainer reports danger in a practice run.
    async def outbox_empty() -> bool:
        return notices_pending(product, team) == 0

    assert await wait_for(outbox_empty, NOTICE_SECONDS)
    delivered = len(mail.inbox.messages)
    trainer = await people.browser_for("trainer")
    await trainer.goto(f"{base}/sign-in")
    await sign_in_here(trainer, team.trainer)
    # Issue #13: a practice run starts from a scenario's case card.
    await trainer.get_by_role("button", name="Practise with a scenario").click()
    await trainer.get_by_role("link", name="A plan for Friday").click()
    await trainer.get_by_role("button", name="Start this practice run").click()
    banner = trainer.get_by_text("Rehearsal - fictional case: A plan for Friday", exact=True)
    await expect(banner).to_be_visible()
    started = re.fullmatch(rf"{re.escape(base)}/chat/(A-[0-9A-Z]{{6}})(#.*)?", trainer.url)
    assert started, trainer.url
    practice = started.group(1)
    await trainer.get_by_role("button", name="Someone is in danger now").click()
    await expect(trainer.get_by_text("999").first).to_be_visible()
    # The page must not claim what is not true of a practice run: no lead can see it.
    await expect(trainer.get_by_text("leads can see it now")).to_have_count(0)
    await expect(trainer.get_by_text("This practice run is flagged as urgent")).to_be_visible()
    await people.shot(trainer, "practice-danger")
    record = store.assessments.get_assessment(assessment_id=practice)
    assert record is not None and record.mode == "rehearsal" and record.urgent, record
    assert notices_of(product, record.id) == 0, "a practice run queues no notice"
    # A whole outbox pass after the report (its markers about a1): a notice, were one wrongly sent, is in.
    await outbox_went_round(product, mail, assessment_id_of(product, a1))
    assert len(not_markers(mail)) == delivered, [m["Subject"] for _, m in not_markers(mail)[delivered:]]

    # ... and it is on neither lead's Cases list, nor can a lead open it.
    for lead in team.leads:
        listing = await lead_list(product, lead.username, lead.password)
        assert practice not in listing
        assert any(a2 in row for row in case_rows(listing)), "the live urgent case is listed"
    await lead_page.goto(f"{base}/cases")
    await expect(lead_page.get_by_role("link", name=practice, exact=True)).to_have_count(0)
    await people.shot(lead_page, "cases-without-the-practice-run")
    response = await lead_page.goto(f"{base}/cases/{record.id}")
    assert response is not None and response.status == 404

    # The end of the day, as stored.
    statuses = {ref: product.export_reference(ref)["assessment"] for ref in (a1, a2, b1, b2)}
    assert [statuses[ref]["status"] for ref in (a1, a2, b1, b2)] == [
        "submitted",
        "in_progress",
        "in_progress",
        "submitted",
    ]
    assert statuses[a2]["urgent"] is True
    assert all(r["practitioner"] == one.username for r in (statuses[a1], statuses[a2]))
    assert all(r["practitioner"] == two.username for r in (statuses[b1], statuses[b2]))
