"""Not only danger is told (issue #26 item 10), through the real engine, app, outbox worker and a real SMTP
server (tests/e2e/mail_server.py).

A trainer's practice run and then a practitioner's live assessment are walked through the web chat and
submitted. Each active lead of the team gets one "submitted for review" email for the live case, holding no
case content (no answers, no names, no team); the practice run sends nobody anything. A lead follows the
email's link in Chromium, signs in, lands on the case and records a decision with feedback through the form;
the practitioner then gets the feedback notice, without the lead's words, and reads the feedback at the link.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import AsyncIterator
from email.message import Message

import aiohttp
import pytest
from playwright.async_api import Browser, Page, expect
from sqlalchemy import select

from bot.store.models import User
from bot.store.urgent_models import Notification
from tests.e2e.browser import Shots, new_context
from tests.e2e.conftest import Product, _service, failed
from tests.e2e.mail_server import MailServer
from tests.e2e.test_urgent_reaches_lead import wait_for
from tests.e2e.web_practitioner import REFERENCE, WebPractitioner
from tests.web.web_helpers import sign_in

DELIVERY_SECONDS = 30  # a loop guard for the outbox worker's round trip, not a target
RATIONALE = "  Known to school; early help fits.\nReview after half term. "
FEEDBACK = "Thank you: early help will contact the family about the cousin's channel."
PATHWAY = "Early help"
LAWFUL_BASIS = "UK GDPR Article 6(1)(e): public task"
CONSENT = "Consent sought and given"
LINK = re.compile(r"https?://\S+")


@pytest.fixture
async def lead_page(request: pytest.FixtureRequest, browser: Browser) -> AsyncIterator[tuple[Page, Shots]]:
    context = await new_context(browser)
    page, shots = await context.new_page(), Shots(request)
    yield page, shots
    if failed(request):
        await shots.take(page, "failed-here")
    await context.close()


def whole(message: Message) -> str:
    """Every header and the decoded body: what anyone handling the message could read."""
    body = message.get_payload(decode=True)
    assert isinstance(body, bytes)
    return "\n".join(f"{k}: {v}" for k, v in message.items()) + "\n" + body.decode()


async def walk_and_submit(
    product: Product, username: str, password: str, *, practice: bool
) -> WebPractitioner:
    """Sign in, start a screening (or a practice run), answer everything, submit; the walker's typed answers
    are keyed by the one reference it walked (see `only_reference`)."""
    async with aiohttp.ClientSession(
        base_url=product.settings.app_url, cookie_jar=aiohttp.CookieJar(unsafe=True)
    ) as client:
        assert (await sign_in(client, username, password)).status == 303
        me = WebPractitioner(client)
        if practice:
            started = await me.post("/practice/a_plan_for_friday")  # issue #13: from a scenario
            assert started.status == 303, await started.text()
            found = REFERENCE.search(started.headers["Location"])
            assert found, started.headers["Location"]
            reference = found.group(1)
        else:
            reference = await me.start_new()
        await me.answer_until_summary(reference)
        await me.submit(reference)
        assert "Submitted" in await me.get(f"/chat/{reference}")
        me.typed.setdefault(reference, [])
        return me


def only_reference(me: WebPractitioner) -> str:
    [reference] = me.typed
    return reference


async def test_leads_hear_of_a_live_submission_the_practitioner_of_feedback_and_practice_tells_nobody(
    product: Product, mail: MailServer, lead_page: tuple[Page, Shots]
) -> None:
    page, shots = lead_page
    mail.start()
    tag = secrets.token_hex(3)
    team = f"Review notices {tag}"
    practitioner_address = f"referrer-{tag}@example.invalid"
    practitioner, practitioner_password, practitioner_id = product.new_user(
        "practitioner", team, email=practitioner_address
    )
    leads = []
    for number in (1, 2):
        address = f"lead{number}-{tag}@example.invalid"
        leads.append((*product.new_user("lead", team, email=address), address))
    gone_address = f"gone-lead-{tag}@example.invalid"
    *_, gone_id = product.new_user("lead", team, email=gone_address)
    store = _service(product.settings)
    with store.session_factory() as session, session.begin():
        session.get_one(User, gone_id).active = False  # a lead who has left: no notices
    trainer_address = f"trainer-{tag}@example.invalid"
    trainer, trainer_password, _ = product.new_user("trainer", team, email=trainer_address)
    elsewhere = f"elsewhere-lead-{tag}@example.invalid"
    product.new_user("lead", f"{team} elsewhere", email=elsewhere)

    # A practice run first, submitted: nothing is queued for it, so nothing can be sent.
    practice = only_reference(await walk_and_submit(product, trainer, trainer_password, practice=True))
    practice_export = product.export_reference(practice)
    assert practice_export["assessment"]["mode"] == "rehearsal"
    assert practice_export["assessment"]["status"] == "submitted"

    # The live run, submitted through the real engine.
    me = await walk_and_submit(product, practitioner, practitioner_password, practice=False)
    reference = only_reference(me)
    export = product.export_reference(reference)
    assert export["assessment"]["status"] == "submitted" and export["assessment"]["mode"] == "live"
    case_id = export["assessment"]["id"]

    async def leads_told() -> bool:
        return all(mail.inbox.to(address) for *_, address in leads)

    assert await wait_for(leads_told, DELIVERY_SECONDS), mail.inbox.messages
    typed = [text for texts in me.typed.values() for text in texts]
    assert typed, "the walk typed answers the notices must not carry"
    stored = [r["text"] for answer in export["answers"] for r in answer["revisions"] if r["text"]]
    for *_, address in leads:
        [message] = mail.inbox.to(address)
        text = whole(message)
        assert message["Subject"] == f"Safeguarding concern {reference} submitted for review"
        assert "submitted for review" in text and "Urgent" not in text
        assert f"{product.settings.link_base_url}/cases/{case_id}" in text.split(), text
        for secret in (*typed, practitioner, team, "not again"):
            assert secret not in text, secret
        for answer in stored:
            if len(answer) > 3:  # "No", "Yes": words any notice may hold
                assert answer.strip() not in text, answer

    # The lead follows the email's link, signed out: sign-in, then the case itself.
    lead, lead_password, _, lead_address = leads[0]
    [link] = [url for url in LINK.findall(whole(mail.inbox.to(lead_address)[0])) if "/cases/" in url]
    await page.goto(link)
    await expect(page).to_have_url(re.compile(r"/sign-in\?next="))
    await page.get_by_label("Username").fill(lead)
    await page.get_by_label("Password").fill(lead_password)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", name=f"Case {reference}")).to_be_visible()
    await shots.take(page, "case-from-the-email-link")

    # A decision with feedback, through the form.
    await page.get_by_role("group", name="Pathways").get_by_label(PATHWAY, exact=True).check()
    await page.locator("#pathway-early_help-rationale").fill(RATIONALE)
    await page.locator("#pathway-early_help-shared").fill("Nothing shared yet.")
    await page.locator("#pathway-early_help-owner").fill("Early help coordinator")
    await (
        page.get_by_role("group", name="Lawful basis for recording and sharing")
        .get_by_label(LAWFUL_BASIS)
        .check()
    )
    await page.get_by_role("group", name="Consent", exact=True).get_by_label(CONSENT, exact=True).check()
    await page.get_by_label("Feedback to the practitioner who referred (optional)").fill(FEEDBACK)
    await page.get_by_role("button", name="Record the decision").click()
    await expect(page.get_by_text("The decision has been recorded.")).to_be_visible()
    await shots.take(page, "decided")

    async def practitioner_told() -> bool:
        return bool(mail.inbox.to(practitioner_address))

    assert await wait_for(practitioner_told, DELIVERY_SECONDS), mail.inbox.messages
    [message] = mail.inbox.to(practitioner_address)
    text = whole(message)
    assert message["Subject"] == f"Feedback from your lead on {reference}"
    assert "left feedback for you" in text
    chat_link = f"{product.settings.link_base_url}/chat/{reference}"
    assert chat_link in text.split(), text
    for secret in (FEEDBACK, "Thank you", "cousin", RATIONALE.strip(), "Early help", "early_help", lead):
        assert secret not in text, secret

    # The link takes the practitioner to their assessment, where the feedback is, in the lead's words.
    async with aiohttp.ClientSession(
        base_url=product.settings.app_url, cookie_jar=aiohttp.CookieJar(unsafe=True)
    ) as client:
        assert (await sign_in(client, practitioner, practitioner_password)).status == 303
        async with client.get(chat_link.removeprefix(product.settings.link_base_url)) as response:
            assert response.status == 200
            assert "Feedback from your lead:" in await response.text()
            assert FEEDBACK.replace("'", "&#39;") in await response.text()

    # Each lead had one notice, the practitioner one; nobody else had any, and none about the practice run.
    for *_, address in leads:
        assert len(mail.inbox.to(address)) == 1, address
    assert len(mail.inbox.to(practitioner_address)) == 1
    for nobody in (trainer_address, gone_address, elsewhere):
        assert not mail.inbox.to(nobody), nobody
    assert not [m for _, m in mail.inbox.messages if practice in whole(m)]
    with store.session_factory() as session:
        queued = session.scalars(select(Notification)).all()
        practice_id = practice_export["assessment"]["id"]
        assert not [n for n in queued if n.assessment_id == practice_id], "a practice run queues no notice"
        ours = sorted((n.recipient_id, n.purpose, n.status) for n in queued if n.assessment_id == case_id)
    assert ours == sorted(
        [(lead_id_, "submitted_for_review", "sent") for _, _, lead_id_, _ in leads]
        + [(practitioner_id, "feedback_given", "sent")]
    )
