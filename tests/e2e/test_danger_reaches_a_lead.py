"""Issue #26 item 8 with the real engine, app and a real mail server: a danger report can never reach nobody.

What was seen: a coordinator (in a team with no lead) started a live screening and reported danger; nobody
was notified, and the "phone your lead" advice came 180 seconds later; `bot user add` put people in a team
with no lead without a word. Now:

- a coordinator's or an administrator's account cannot start a screening or report danger, on the web
  pages or in Teams: refused with a message that says who raises concerns and to call 999; nothing is stored,
  no notice is queued, and the store audits the refusal (Teams reaches the store; the web pages refuse at
  the route);
- a practitioner added by `bot user add` to a team with no lead is warned about (the CLI's own wording is
  tested in tests/cli/test_cli.py); when they use "Someone is in danger now" in Chromium, the very page the
  report lands on tells them to phone their lead, and so does their home page; the outbox holds the
  practitioner's own "phone your lead" notice and no lead notice, and it is audited as such.

The product runs with a one-hour deadline for reaching a lead (tests/e2e/conftest.py), so anything said here
was said because no lead could be reached, not because a deadline passed.
"""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import AsyncIterator

import aiohttp
import pytest
from playwright.async_api import Browser, Page, expect
from sqlalchemy import select

from bot.chat.messages import NOT_PERMITTED_MESSAGE
from bot.store.db import make_session_factory
from bot.store.models import Assessment, AuditEvent, Conversation, UrgentFlag
from bot.store.urgent_models import Notification
from bot.teams.cards import DANGER_ACTION, START_ACTION
from tests.e2e.browser import Shots, new_context
from tests.e2e.conftest import Product, failed
from tests.e2e.mail_server import MailServer
from tests.e2e.test_teams_real_engine import Practitioner, TeamsClient
from tests.e2e.test_urgent_reaches_lead import wait_for
from tests.teams.teams_helpers import TENANT
from tests.web.web_helpers import csrf_from, sign_in

ROUTE_REFUSAL = "Your role does not give you access to this page."
HOME_REFUSAL = "Your account does not raise concerns about young people"
PHONE_NOW = (
    "We could not reach a safeguarding lead about your urgent report. Phone your safeguarding lead now."
)
DELIVERY_SECONDS = 20  # how long to wait for the worker's mail; a bound, not a target


def rows(product: Product, model: type, **where: object) -> list:
    sessions = make_session_factory(product.settings.database_url)
    try:
        with sessions() as session:
            query = select(model).filter_by(**where)
            return list(session.scalars(query))
    finally:
        sessions.kw["bind"].dispose()


def assessments_of(product: Product, user_id: int) -> list[Assessment]:
    conversations = {c.id for c in rows(product, Conversation, user_id=user_id)}
    return [a for a in rows(product, Assessment) if a.conversation_id in conversations]


def audited(product: Product, action: str, **where: object) -> list[AuditEvent]:
    return rows(product, AuditEvent, action=action, **where)


@pytest.mark.parametrize("role", ["coordinator", "admin"])
async def test_a_coordinator_or_admin_cannot_start_a_screening_or_report_danger(
    product: Product, role: str
) -> None:
    team = f"No lead {role} {secrets.token_hex(3)}"  # as seen: a team with no lead
    username, password, user_id = product.new_user(role, team)
    notices_before = len(rows(product, Notification))

    # The web pages: the home page says why there is nothing to start; the forms, posted anyway, are refused.
    async with aiohttp.ClientSession(
        base_url=product.settings.app_url, cookie_jar=aiohttp.CookieJar(unsafe=True)
    ) as client:
        assert (await sign_in(client, username, password)).status == 303
        async with client.get("/chat") as response:
            assert response.status == 200
            home = await response.text()
        assert HOME_REFUSAL in home and "call 999" in home
        assert "Start a new screening" not in home and 'id="danger-control"' not in home
        for path in ("/chat/start", "/chat/danger"):
            async with client.post(
                path, data={"csrf_token": csrf_from(home)}, allow_redirects=False
            ) as response:
                assert response.status == 403, path
                assert ROUTE_REFUSAL in await response.text()

    # Teams, where "Start a new screening" and the danger control reach the store: refused, and audited.
    aad_object_id = str(uuid.uuid4())
    linked = product.bot("user", "link-teams", username, "--tenant", TENANT, "--aad-object-id", aad_object_id)
    assert linked.returncode == 0, linked.stderr
    async with aiohttp.ClientSession() as http:
        teams = TeamsClient(http, product, Practitioner(username, password, user_id, aad_object_id))
        for action in (START_ACTION, DANGER_ACTION):
            replies = await teams.send(teams.activity(value={"action": action}))
            assert [reply.get("text") for reply in replies] == [NOT_PERMITTED_MESSAGE], replies
    assert "call 999" in NOT_PERMITTED_MESSAGE and "practitioners and trainers" in NOT_PERMITTED_MESSAGE

    assert assessments_of(product, user_id) == []  # nothing stored
    assert len(rows(product, Notification)) == notices_before  # nobody notified of anything
    refusals = audited(product, "assessment.start_refused", user_id=user_id)
    assert len(refusals) == 2 and all(event.detail.get("role") == role for event in refusals), refusals


@pytest.fixture
async def page(request: pytest.FixtureRequest, browser: Browser) -> AsyncIterator[tuple[Page, Shots]]:
    context = await new_context(browser)
    page, shots = await context.new_page(), Shots(request)
    yield page, shots
    if failed(request):
        await shots.take(page, "failed-here")
    await context.close()


async def test_a_practitioner_in_a_team_with_no_lead_is_told_at_once_to_phone(
    product: Product, mail: MailServer, page: tuple[Page, Shots]
) -> None:
    browser_page, shots = page
    mail.start()
    team = f"No lead {secrets.token_hex(3)}"
    username, password = f"e2e-alone-{secrets.token_hex(3)}", secrets.token_urlsafe(16)
    address = f"{username}@example.invalid"
    added = product.bot(
        "user",
        "add",
        username,
        "--role=practitioner",
        f"--team={team}",
        "--create-team",
        f"--email={address}",
        stdin=password,
    )
    assert added.returncode == 0, added.stderr
    assert f"warning: team '{team}' has no safeguarding lead" in added.stderr  # the administrator is told
    elsewhere = f"other-{secrets.token_hex(3)}@example.invalid"
    product.new_user("lead", f"{team} elsewhere", email=elsewhere)

    base = product.settings.app_url
    await browser_page.goto(f"{base}/sign-in")
    await browser_page.get_by_label("Username").fill(username)
    await browser_page.get_by_label("Password").fill(password)
    await browser_page.get_by_role("button", name="Sign in").click()
    await expect(browser_page.get_by_role("heading", name="Your assessments")).to_be_visible()
    await shots.take(browser_page, "home")

    await browser_page.get_by_role("button", name="Someone is in danger now").click()
    await browser_page.wait_for_url(f"{base}/chat/A-*")
    await shots.take(browser_page, "after-the-report")
    # The page the report lands on says it: no deadline to wait for, no reload needed.
    await expect(browser_page.get_by_text(PHONE_NOW)).to_be_visible()
    await expect(browser_page.get_by_role("log")).to_contain_text("999")
    landed = re.search(r"/chat/(A-[0-9A-Z]{6})", browser_page.url)
    assert landed, browser_page.url
    reference = landed.group(1)
    await browser_page.get_by_role("link", name="Your assessments").click()
    await expect(browser_page.get_by_text(PHONE_NOW)).to_be_visible()
    await shots.take(browser_page, "home-after-the-report")

    # Stored and flagged; the outbox holds the practitioner's notice to phone, and no lead notice.
    [assessment] = rows(product, Assessment, reference=reference)
    assert assessment.mode == "live" and assessment.lead_unreached_at is not None
    assert rows(product, UrgentFlag, assessment_id=assessment.id)
    notices = rows(product, Notification, assessment_id=assessment.id)
    assert {(n.purpose, n.channel) for n in notices} == {("lead_unreached", "email")}, notices
    [told] = audited(product, "urgent.no_reachable_lead", assessment_id=assessment.id)
    assert told.detail["leads"] == 0 and told.detail["notices"] == 1

    async def delivered() -> bool:
        return len(mail.inbox.to(address)) >= 1

    assert await wait_for(delivered, DELIVERY_SECONDS)
    [message] = mail.inbox.to(address)
    assert message["Subject"] == f"Urgent: phone your safeguarding lead now about {reference}"
    assert mail.inbox.to(elsewhere) == []  # the other team's lead hears nothing
